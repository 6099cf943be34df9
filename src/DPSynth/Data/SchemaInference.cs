using System.Globalization;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// Drafts a YAML schema from a CSV file, for convenience only (<c>dpsynth schema infer</c>). The draft's bounds and
/// categories are read from the private data, so it opens with a loud warning: it is not private until a person
/// replaces them with public knowledge (design.md section 2).
/// </summary>
/// <remarks>
/// <para>Missing values: the tokens given (<c>--missing</c>), or else those <see cref="MissingTokenDetection"/> finds: a
/// common token (<c>""</c>, <c>NA</c>, <c>N</c>, <c>NULL</c>, <c>.</c>, <c>?</c>) or the only text that is not a number in
/// a column of numbers. The most frequent token comes first, so decoding writes missing cells as the data did.</para>
/// <para>Each column is then drafted by <see cref="ColumnDraft"/>: numbers stay numeric (and nullable when a missing
/// token occurs), numeric categories sort by value, and every entry encodes every value it was drafted from, so the
/// draft always passes <c>schema check</c> on the same file. Header names that are empty or repeated cannot be matched
/// by name and are left out, with a comment.</para>
/// </remarks>
public static class SchemaInference
{
    /// <summary>Integer columns with at most this many values get one cell per value.</summary>
    public const int MaxPerValueCells = 100;

    /// <summary>Bins given to wider integer and to continuous columns.</summary>
    public const int DraftBins = 20;

    /// <summary>Beyond this many distinct values a column is not drafted as categorical.</summary>
    public const int MaxCategories = 1000;

    /// <summary>The warning the draft opens with (one comment line each).</summary>
    public static IReadOnlyList<string> Warning { get; } =
    [
        "WARNING: DRAFT SCHEMA READ FROM THE PRIVATE DATA. NOT PRIVATE AS IT STANDS.",
        "Every min, max and category below was copied from the input file, so this file discloses the data:",
        "a rare category or an extreme value can identify a person. Before any release, replace each bound and",
        "category list with public knowledge (a code book, a standard, a regulation), or pay for them with a DP",
        "domain-discovery step, and delete this warning. Review every column.",
    ];

    /// <summary>
    /// True when <paramref name="schemaText"/> still carries the draft's warning: its bounds and categories were read from
    /// the private rows. <c>synth</c> warns about such a schema; <c>run</c>, which signs the schema into a release, refuses it.
    /// </summary>
    public static bool IsDraft(string schemaText)
    {
        ArgumentNullException.ThrowIfNull(schemaText);
        return schemaText.Contains(Warning[0], StringComparison.Ordinal);
    }

    /// <summary>Reads <paramref name="csvPath"/> and returns the draft YAML text.</summary>
    /// <param name="csvPath">The CSV file.</param>
    /// <param name="header">True when the first record names the columns.</param>
    /// <param name="delimiter">The field separator.</param>
    /// <param name="missingTokens">The texts that mean "missing" (compared after trimming), in the order the draft lists
    /// them; null to detect them (<see cref="MissingTokenDetection"/>).</param>
    /// <exception cref="InputException">The file is missing, empty, not UTF-8 or malformed.</exception>
    public static string DraftYaml(
        string csvPath, bool header = true, string delimiter = ",", IReadOnlyList<string>? missingTokens = null)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        CsvTextRows.CheckDelimiter(delimiter);
        var explicitTokens = missingTokens is null
            ? []
            : new HashSet<string>(missingTokens.Select(t => t.Trim()), StringComparer.Ordinal);
        var options = CsvOptions.Default with { Header = header, Delimiter = delimiter, Trim = true };
        var stats = new List<ColumnProfile>();
        string[] names = [];
        var (_, paddedHeader) = CsvTextRows.Read(
            csvPath,
            options,
            header =>
            {
                names = header;
                stats.AddRange(header.Select(_ => new ColumnProfile(explicitTokens)));
            },
            (fields, line) =>
            {
                if (fields.Length != names.Length)
                {
                    var message = fields is [""] && names.Length > 1
                        ? Messages.CsvBlankLine(names.Length)
                        : Messages.CsvWrongFieldCount(fields.Length, names.Length, lastFieldEmpty: fields[^1].Length == 0);
                    throw new InputException(message, new SourceLocation(csvPath, line));
                }

                for (var f = 0; f < names.Length; f++)
                {
                    stats[f].Add(fields[f]);
                }
            });

        IReadOnlyList<DetectedToken> detected = [];
        var tokens = missingTokens is null
            ? (detected = MissingTokenDetection.Detect(names, stats)).Select(d => d.Token).ToList()
            : missingTokens.Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        return Render(names, stats, options with { Trim = paddedHeader || stats.Exists(s => s.Padded) }, tokens, detected);
    }

    private static string Render(
        string[] names, List<ColumnProfile> stats, CsvOptions options, List<string> tokens, IReadOnlyList<DetectedToken> detected)
    {
        var yaml = new StringBuilder();
        foreach (var line in Warning)
        {
            yaml.Append("# ").Append(line).Append('\n');
        }

        yaml.Append('\n');
        WriteMissing(yaml, tokens, detected);
        yaml.Append("nullable: false\n");
        yaml.Append("on_out_of_domain: fail\n");
        yaml.Append("bad_rows: fail\n");
        yaml.Append(CultureInfo.InvariantCulture, $"csv: {{ header: {Bool(options.Header)}, delimiter: {Quote(options.Delimiter)}, trim: {Bool(options.Trim)} }}\n");

        // Columns are found by their header name: one that is empty or repeated could not be found, or would be refused.
        var unusable = options.Header
            ? names.Where(n => n.Length == 0 || names.Count(m => m == n) > 1).ToHashSet(StringComparer.Ordinal)
            : [];
        if (names.All(unusable.Contains))
        {
            throw new InputException(Messages.InferNoUsableColumnName);
        }

        if (unusable.Count > 0)
        {
            yaml.Append("# Left out: columns whose header name is empty or repeated (").AppendJoin(", ", unusable.Select(Quote))
                .Append("); give them distinct names to draft them.\n");
        }

        var present = new HashSet<string>(tokens, StringComparer.Ordinal);
        yaml.Append("columns:\n");
        for (var c = 0; c < names.Length; c++)
        {
            if (!unusable.Contains(names[c]))
            {
                ColumnDraft.Write(yaml, names[c], stats[c], present);
            }
        }

        return yaml.ToString();
    }

    /// <summary>The <c>missing</c> line, after a comment saying why each detected token was taken.</summary>
    private static void WriteMissing(StringBuilder yaml, List<string> tokens, IReadOnlyList<DetectedToken> detected)
    {
        if (detected.Count > 0)
        {
            yaml.Append("# Missing tokens found in the data (give `schema infer --missing` to choose them yourself):\n");
            foreach (var token in detected)
            {
                var where = string.Join(", ", token.Columns.Take(3).Select(Quote))
                    + (token.Columns.Count > 3 ? string.Create(CultureInfo.InvariantCulture, $" and {token.Columns.Count - 3} more") : "");
                yaml.Append("#   ").Append(Quote(token.Token)).Append(token.OnlyTextOf is { } column
                    ? $": the only text that is not a number in column {Quote(column)}; in {where}\n"
                    : $": a common missing token; in {where}\n");
            }
        }

        yaml.Append("missing: [").AppendJoin(", ", tokens.Select(Quote)).Append("]\n");
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A YAML double-quoted scalar.</summary>
    internal static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var ch in text)
        {
            _ = ch switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                // YAML 1.1 also breaks lines at U+2028 and U+2029, and a byte-order mark may not stand inside a document.
                _ when char.IsControl(ch) || ch is '\u2028' or '\u2029' or '\uFEFF' =>
                    quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}"),
                _ => quoted.Append(ch),
            };
        }

        return quoted.Append('"').ToString();
    }
}
