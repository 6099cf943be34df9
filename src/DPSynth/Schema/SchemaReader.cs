using System.Collections.Immutable;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Schema;

/// <summary>
/// Reads a YAML schema (design.md section 2) strictly: unknown keys, wrong types, empty or duplicate categories,
/// <c>min &gt; max</c>, non-increasing edges and duplicate column names are all reported, each with file, line, column
/// and key, in one <see cref="LoadResult{T}"/>.
/// </summary>
/// <remarks>
/// Top-level keys: <c>columns</c> (required), <c>missing</c> (default <c>[""]</c>), <c>nullable</c> (default false),
/// <c>on_out_of_domain</c> (default <c>fail</c>), <c>bad_rows</c> (default <c>fail</c>), <c>csv</c>, <c>other_token</c>,
/// <c>constraints</c> (structural zeros, <see cref="Constraint"/>), <c>dp_discovery</c> (the record of a DP domain
/// discovery, <see cref="DiscoveryRecord"/>).
/// Column keys: <c>name</c>, <c>type</c>, and by type <c>min</c>, <c>max</c>, <c>bins</c>, <c>edges</c>,
/// <c>categories</c>, <c>aliases</c>, <c>granularity</c>, <c>format</c>, plus <c>nullable</c> and
/// <c>on_out_of_domain</c> overriding the file-wide values. Whether a column has a missing cell is its
/// <c>nullable</c>, else the file-wide <c>nullable</c>: never the data.
/// </remarks>
public static partial class SchemaReader
{
    private static readonly string[] TopKeys =
        ["columns", "missing", "nullable", "on_out_of_domain", "bad_rows", "csv", "other_token", "constraints", "dp_discovery"];
    private static readonly string[] CsvKeys = ["header", "delimiter", "quote", "trim", "skip_lines"];

    private static readonly Dictionary<string, OutOfDomainAction> OutOfDomainChoices = new(StringComparer.Ordinal)
    {
        ["clamp"] = OutOfDomainAction.Clamp,
        ["other"] = OutOfDomainAction.Other,
        ["drop"] = OutOfDomainAction.Drop,
        ["fail"] = OutOfDomainAction.Fail,
    };

    private static readonly Dictionary<string, BadRowAction> BadRowChoices = new(StringComparer.Ordinal)
    {
        ["fail"] = BadRowAction.Fail,
        ["skip"] = BadRowAction.Skip,
    };

    /// <summary>Reads the schema file at <paramref name="path"/> (UTF-8).</summary>
    public static LoadResult<TableSchema> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var reader = new StreamReader(
                RegularFile.OpenRead(path, Messages.WhatSchema), new UTF8Encoding(false, throwOnInvalidBytes: true));
            return Read(reader, path);
        }
        catch (InputException ex)
        {
            return LoadResult<TableSchema>.Failure([new Diagnostic(new SourceLocation(path), ex.Message)]);
        }
        catch (DecoderFallbackException)
        {
            return LoadResult<TableSchema>.Failure([new Diagnostic(new SourceLocation(path), Messages.InvalidUtf8)]);
        }
    }

    /// <summary>Reads a schema from YAML text; <paramref name="file"/> names it in diagnostics.</summary>
    public static LoadResult<TableSchema> Read(TextReader reader, string file)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new YamlFieldReader(file);
        if (YamlLoader.Load(reader, fields) is not { } stream)
        {
            return LoadResult<TableSchema>.Failure(fields.Diagnostics);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? new SourceLocation(file, 1, 1) : fields.At(stream.Documents[0].RootNode, null);
            return LoadResult<TableSchema>.Failure([new Diagnostic(at, Messages.SchemaNotAMapping)]);
        }

        return ReadMapping(root, fields);
    }

    /// <summary>
    /// Reads a schema from an already parsed mapping (a schema embedded in a policy file); <paramref name="file"/> names
    /// the file in diagnostics.
    /// </summary>
    public static LoadResult<TableSchema> ReadNode(YamlMappingNode root, string file)
    {
        ArgumentNullException.ThrowIfNull(root);
        return ReadMapping(root, new YamlFieldReader(file));
    }

    private static LoadResult<TableSchema> ReadMapping(YamlMappingNode root, YamlFieldReader fields)
    {
        fields.CheckKeys(root, TopKeys);

        // The csv layout first: whether fields are trimmed decides which tokens, labels and names can ever match.
        var csv = YamlFieldReader.Get(root, "csv") is { } c ? ReadCsv(c, fields) : CsvOptions.Default;
        var missing = ReadMissing(root, fields, csv.Trim);
        var nullable = YamlFieldReader.Get(root, "nullable") is { } n ? fields.Boolean(n, "nullable") ?? false : false;
        var onOutOfDomain = YamlFieldReader.Get(root, "on_out_of_domain") is { } o
            ? fields.Choice(o, "on_out_of_domain", OutOfDomainChoices) ?? OutOfDomainAction.Fail
            : OutOfDomainAction.Fail;
        var badRows = YamlFieldReader.Get(root, "bad_rows") is { } b
            ? fields.Choice(b, "bad_rows", BadRowChoices) ?? BadRowAction.Fail
            : BadRowAction.Fail;
        var otherToken = YamlFieldReader.Get(root, "other_token") is { } t
            ? fields.StringOrEmpty(t, "other_token") ?? TableSchema.DefaultOtherToken
            : TableSchema.DefaultOtherToken;
        var discovery = ReadDiscovery(root, fields);

        var columns = new List<ColumnSpec>();
        var beforeColumns = fields.Diagnostics.Count;
        if (YamlFieldReader.Get(root, "columns") is not { } columnsNode)
        {
            fields.Error(root, "columns", Messages.SchemaHasNoColumns);
        }
        else if (fields.Sequence(columnsNode, "columns") is { } list)
        {
            if (list.Children.Count == 0)
            {
                fields.Error(list, "columns", Messages.SchemaHasNoColumns);
            }

            var defaults = new ColumnDefaults(nullable, onOutOfDomain, missing.Set, csv);
            var firstByName = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var item in list.Children)
            {
                if (ReadColumn(item, defaults, fields, firstByName) is { } column)
                {
                    columns.Add(column);
                }
            }
        }

        var constraints = ReadConstraints(root, fields, columns, fields.Diagnostics.Count == beforeColumns);
        return fields.Diagnostics.Count > 0
            ? LoadResult<TableSchema>.Failure(fields.Diagnostics)
            : LoadResult<TableSchema>.Success(
                new TableSchema(columns, missing.Tokens, csv, badRows, otherToken, constraints) { DpDiscovery = discovery });
    }

    private static (ImmutableArray<string> Tokens, HashSet<string> Set) ReadMissing(YamlMappingNode root, YamlFieldReader fields, bool trim)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (YamlFieldReader.Get(root, "missing") is not { } node)
        {
            set.Add(string.Empty);
            return ([string.Empty], set);
        }

        var tokens = ImmutableArray.CreateBuilder<string>();
        if (fields.Sequence(node, "missing") is { } list)
        {
            foreach (var item in list.Children)
            {
                if (fields.StringOrEmpty(item, "missing") is { } token)
                {
                    if (!set.Add(token))
                    {
                        fields.Error(item, "missing", Messages.DuplicateMissingToken(token));
                    }
                    else if (trim && !IsTrimmed(token))
                    {
                        fields.Error(item, "missing", Messages.MissingTokenNotTrimmed(token));
                    }
                    else
                    {
                        tokens.Add(token);
                    }
                }
            }
        }

        return (tokens.ToImmutable(), set);
    }

    private static CsvOptions ReadCsv(YamlNode node, YamlFieldReader fields)
    {
        if (fields.Mapping(node, "csv") is not { } map)
        {
            return CsvOptions.Default;
        }

        fields.CheckKeys(map, CsvKeys);
        var options = CsvOptions.Default;
        if (YamlFieldReader.Get(map, "header") is { } header && fields.Boolean(header, "header") is { } h)
        {
            options = options with { Header = h };
        }

        if (YamlFieldReader.Get(map, "trim") is { } trim && fields.Boolean(trim, "trim") is { } t)
        {
            options = options with { Trim = t };
        }

        if (YamlFieldReader.Get(map, "skip_lines") is { } skip && fields.Integer(skip, "skip_lines") is { } s)
        {
            if (s is < 0 or > int.MaxValue)
            {
                fields.Error(skip, "skip_lines", Messages.SkipLinesOutOfRange);
            }
            else
            {
                options = options with { SkipLines = (int)s };
            }
        }

        if (YamlFieldReader.Get(map, "quote") is { } quote && fields.String(quote, "quote") is { } q)
        {
            if (q.Length != 1 || q[0] is '\r' or '\n')
            {
                fields.Error(quote, "quote", Messages.QuoteNotOneCharacter);
            }
            else
            {
                options = options with { Quote = q[0] };
            }
        }

        if (YamlFieldReader.Get(map, "delimiter") is { } delimiter && fields.String(delimiter, "delimiter") is { } d)
        {
            if (d.Contains('\r', StringComparison.Ordinal) || d.Contains('\n', StringComparison.Ordinal) || d.Contains(options.Quote, StringComparison.Ordinal))
            {
                fields.Error(delimiter, "delimiter", Messages.BadDelimiter);
            }
            else
            {
                options = options with { Delimiter = d };
            }
        }

        return options;
    }

    /// <summary>
    /// True when <paramref name="text"/> has no white space around it: what <c>csv: {trim: true}</c> leaves of a field
    /// (the encoder trims a field with <c>Trim()</c>, which removes what <c>char.IsWhiteSpace</c> accepts: the same test).
    /// </summary>
    private static bool IsTrimmed(string text) => text.AsSpan().Trim().Length == text.Length;

    /// <summary>The file-wide values a column inherits, and the layout its names and labels are compared under.</summary>
    private sealed record ColumnDefaults(bool Nullable, OutOfDomainAction OnOutOfDomain, HashSet<string> MissingTokens, CsvOptions Csv);
}
