using System.Globalization;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// Drafts a YAML schema from a CSV file, for convenience only (<c>dpsynth schema infer</c>). The draft's bounds and
/// categories are read from the private data, so it opens with a loud warning: it is not private until a person
/// replaces them with public knowledge (design.md section 2).
/// </summary>
/// <remarks>
/// Rules: a column whose non-missing values all parse as integers is an integer column (one cell per value up to
/// <see cref="MaxPerValueCells"/> values, else <see cref="DraftBins"/> bins); all numbers: continuous with
/// <see cref="DraftBins"/> bins; <c>true</c>/<c>false</c> only: boolean; otherwise categorical with the values seen,
/// sorted. A column with more than <see cref="MaxCategories"/> distinct values gets an empty category list and a
/// comment, so the draft fails <c>schema check</c> until someone decides (such columns are usually identifiers).
/// Missing tokens are <c>""</c>, <c>?</c> and <c>NA</c>; a column is made nullable when one occurs.
/// </remarks>
public static class SchemaInference
{
    /// <summary>Integer columns with at most this many values get one cell per value.</summary>
    public const int MaxPerValueCells = 100;

    /// <summary>Bins given to wider integer and to continuous columns.</summary>
    public const int DraftBins = 20;

    /// <summary>Beyond this many distinct values a column is not drafted as categorical.</summary>
    public const int MaxCategories = 1000;

    private static readonly string[] MissingTokens = ["", "?", "NA"];

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
    /// <exception cref="InputException">The file is missing, empty, not UTF-8 or malformed.</exception>
    public static string DraftYaml(string csvPath, bool header = true, string delimiter = ",")
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        ArgumentNullException.ThrowIfNull(delimiter);
        if (delimiter.Length == 0 || delimiter.AsSpan().IndexOfAny("\"\r\n") >= 0)
        {
            throw new InputException(Messages.BadDelimiter);
        }

        var options = CsvOptions.Default with { Header = header, Delimiter = delimiter, Trim = true };
        string? badData = null;
        using var reader = CsvEncoder.OpenText(csvPath);
        using var records = new CsvRecordReader(
            reader, csvPath, CsvEncoder.ParserConfiguration(options, args => badData ??= args.RawRecord), CsvLimits.Default);
        var parser = records.Parser;
        var stats = new List<ColumnStats>();
        string[]? names = null;
        var rows = 0L;
        var headerLine = 0L;
        try
        {
            while (records.Read())
            {
                // Touch every field first: CsvHelper reports a stray quote only when a field is read.
                var fields = new string[parser.Count];
                for (var f = 0; f < fields.Length; f++)
                {
                    fields[f] = parser[f];
                }

                if (badData is not null)
                {
                    throw new InputException(Messages.CsvBadQuoting(options.Quote), new SourceLocation(csvPath, parser.RawRow));
                }

                if (names is null)
                {
                    headerLine = parser.RawRow;
                    names = new string[fields.Length];
                    for (var f = 0; f < names.Length; f++)
                    {
                        names[f] = header ? fields[f].Trim() : $"column{f + 1}";
                        stats.Add(new ColumnStats());
                    }

                    if (header)
                    {
                        continue;
                    }
                }

                if (fields.Length != names.Length)
                {
                    throw new InputException(Messages.CsvWrongFieldCount(fields.Length, names.Length), new SourceLocation(csvPath, parser.RawRow));
                }

                rows++;
                for (var f = 0; f < names.Length; f++)
                {
                    stats[f].Add(fields[f]);
                }
            }
        }
        catch (Exception ex) when (ex is DecoderFallbackException || ex.InnerException is DecoderFallbackException)
        {
            throw new InputException(Messages.InvalidUtf8, Utf8Validation.FindFirstInvalid(csvPath));
        }

        if (names is null)
        {
            throw new InputException(Messages.CsvEmpty, new SourceLocation(csvPath, 1));
        }

        if (rows == 0)
        {
            throw new InputException(Messages.CsvHeaderOnly, new SourceLocation(csvPath, headerLine));
        }

        return Render(names, stats, options, stats.Exists(s => s.Padded));
    }

    private static string Render(string[] names, List<ColumnStats> stats, CsvOptions options, bool trim)
    {
        var yaml = new StringBuilder();
        foreach (var line in Warning)
        {
            yaml.Append("# ").Append(line).Append('\n');
        }

        yaml.Append('\n');
        yaml.Append("missing: [").AppendJoin(", ", MissingTokens.Select(Quote)).Append("]\n");
        yaml.Append("nullable: false\n");
        yaml.Append("on_out_of_domain: fail\n");
        yaml.Append("bad_rows: fail\n");
        yaml.Append(CultureInfo.InvariantCulture, $"csv: {{ header: {Bool(options.Header)}, delimiter: {Quote(options.Delimiter)}, trim: {Bool(trim)} }}\n");
        yaml.Append("columns:\n");
        for (var c = 0; c < names.Length; c++)
        {
            stats[c].Render(yaml, names[c]);
        }

        return yaml.ToString();
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
                _ when char.IsControl(ch) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}"),
                _ => quoted.Append(ch),
            };
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>What one column's values look like.</summary>
    private sealed class ColumnStats
    {
        private readonly HashSet<string> distinct = new(StringComparer.Ordinal);
        private bool allIntegers = true;
        private bool allNumbers = true;
        private bool tooMany;
        private bool sawMissing;
        private long values;
        private long minInteger = long.MaxValue;
        private long maxInteger = long.MinValue;
        private double minNumber = double.PositiveInfinity;
        private double maxNumber = double.NegativeInfinity;

        public bool Padded { get; private set; }

        public void Add(string raw)
        {
            var text = raw.Trim();
            Padded |= text.Length != raw.Length;
            if (Array.IndexOf(MissingTokens, text) >= 0)
            {
                sawMissing = true;
                return;
            }

            values++;
            if (!tooMany && distinct.Add(text) && distinct.Count > MaxCategories)
            {
                tooMany = true;
                distinct.Clear();
            }

            if (allIntegers && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                && Math.Abs(whole) <= 1L << 53)
            {
                minInteger = Math.Min(minInteger, whole);
                maxInteger = Math.Max(maxInteger, whole);
            }
            else
            {
                allIntegers = false;
            }

            if (allNumbers && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                minNumber = Math.Min(minNumber, number);
                maxNumber = Math.Max(maxNumber, number);
            }
            else
            {
                allNumbers = false;
            }
        }

        public void Render(StringBuilder yaml, string name)
        {
            yaml.Append("  - name: ").Append(Quote(name)).Append('\n');
            if (values > 0 && allIntegers)
            {
                yaml.Append("    type: integer\n");
                yaml.Append(CultureInfo.InvariantCulture, $"    min: {minInteger}    # READ FROM THE DATA: replace with a public bound\n");
                yaml.Append(CultureInfo.InvariantCulture, $"    max: {maxInteger}    # READ FROM THE DATA: replace with a public bound\n");
                if (maxInteger - minInteger + 1 > MaxPerValueCells)
                {
                    yaml.Append(CultureInfo.InvariantCulture, $"    bins: {DraftBins}\n");
                }
            }
            else if (values > 0 && allNumbers)
            {
                yaml.Append("    type: continuous\n");
                yaml.Append(CultureInfo.InvariantCulture, $"    min: {minNumber:R}    # READ FROM THE DATA: replace with a public bound\n");
                yaml.Append(CultureInfo.InvariantCulture, $"    max: {(maxNumber > minNumber ? maxNumber : minNumber + 1):R}    # READ FROM THE DATA: replace with a public bound\n");
                yaml.Append(CultureInfo.InvariantCulture, $"    bins: {DraftBins}\n");
            }
            else if (values > 0 && !tooMany && distinct.All(v => v is "true" or "false"))
            {
                yaml.Append("    type: boolean\n");
            }
            else if (tooMany || values == 0)
            {
                yaml.Append("    type: categorical\n");
                yaml.Append(CultureInfo.InvariantCulture, $"    # {(tooMany ? $"more than {MaxCategories} distinct values: probably an identifier; drop or generalise it" : "no values: declare the categories")}\n");
                yaml.Append("    categories: []\n");
            }
            else
            {
                yaml.Append("    type: categorical\n");
                yaml.Append("    # READ FROM THE DATA: replace with the public list of categories\n");
                var sorted = distinct.ToArray();
                Array.Sort(sorted, StringComparer.Ordinal);
                yaml.Append("    categories: [").AppendJoin(", ", sorted.Select(Quote)).Append("]\n");
            }

            if (sawMissing)
            {
                yaml.Append("    nullable: true\n");
            }
        }
    }
}
