using System.Collections.Immutable;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Schema;

/// <summary>
/// The declared public domain of a table (design.md section 2): its columns, the missing-value tokens, what to do with
/// values outside the domain and with bad rows, and the CSV layout. Immutable; read with <see cref="SchemaReader"/>
/// (YAML) or <see cref="DomainJsonReader"/> (Private-PGM domain JSON), or with <see cref="Load"/> for either.
/// </summary>
public sealed class TableSchema
{
    /// <summary>The text a decoded "other" cell is written as, unless the schema's <c>other_token</c> says otherwise.</summary>
    public const string DefaultOtherToken = "__other__";

    /// <summary>
    /// Creates a schema; column names must be distinct and constraints compiled against these columns (the reader
    /// checks both and reports where).
    /// </summary>
    public TableSchema(
        IEnumerable<ColumnSpec> columns,
        IEnumerable<string> missingTokens,
        CsvOptions csv,
        BadRowAction badRows = BadRowAction.Fail,
        string otherToken = DefaultOtherToken,
        IEnumerable<Constraint>? constraints = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(missingTokens);
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(otherToken);
        Columns = [.. columns];
        MissingTokens = [.. missingTokens];
        Csv = csv;
        BadRows = badRows;
        OtherToken = otherToken;
        var names = new string[Columns.Length];
        var sizes = new int[Columns.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Columns[i].Name;
            sizes[i] = Columns[i].CellCount;
        }

        Domain = new Domain(names, sizes);
        Constraints = constraints is null ? [] : [.. constraints];
        foreach (var constraint in Constraints)
        {
            if (constraint.Columns[^1] >= Columns.Length || constraint.Allowed.Length != Domain.CellCount(constraint.Columns.AsSpan()))
            {
                throw new ArgumentException($"Constraint '{constraint.Text}' does not fit these columns.", nameof(constraints));
            }
        }
    }

    /// <summary>The declared columns, in order (the order of the encoded table's attributes).</summary>
    public ImmutableArray<ColumnSpec> Columns { get; }

    /// <summary>File-wide tokens read as missing (compared after trimming when <see cref="CsvOptions.Trim"/>).</summary>
    public ImmutableArray<string> MissingTokens { get; }

    /// <summary>The text a decoded missing cell is written as: the first missing token, or empty.</summary>
    public string MissingToken => MissingTokens.IsEmpty ? string.Empty : MissingTokens[0];

    /// <summary>The text a decoded "other" cell is written as.</summary>
    public string OtherToken { get; }

    /// <summary>The CSV layout.</summary>
    public CsvOptions Csv { get; }

    /// <summary>What to do with a bad row.</summary>
    public BadRowAction BadRows { get; }

    /// <summary>
    /// The declared structural zeros: combinations of cells no row can have. Public facts, enforced at no privacy cost
    /// in the fitted model and the sampler.
    /// </summary>
    public ImmutableArray<Constraint> Constraints { get; }

    /// <summary>The attribute names and cell counts (missing and other cells included) the engine works on.</summary>
    public Domain Domain { get; }

    /// <summary>
    /// The record of the DP domain discovery that learnt this schema's domains (<c>dp_discovery</c>), or null for a
    /// schema written from public knowledge.
    /// </summary>
    public DiscoveryRecord? DpDiscovery { get; init; }

    /// <summary>The same schema with another CSV layout (to read a file written by <c>CsvDecoder</c>, say).</summary>
    public TableSchema WithCsv(CsvOptions csv) =>
        new(Columns, MissingTokens, csv, BadRows, OtherToken, Constraints) { DpDiscovery = DpDiscovery };

    /// <summary>
    /// Reads a schema file: a Private-PGM domain JSON when the name ends in <c>.json</c>, a YAML schema otherwise.
    /// </summary>
    /// <exception cref="InputException">
    /// The file is missing, not a regular file, or invalid; the message lists every problem with its location.
    /// </exception>
    public static TableSchema Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        RegularFile.Require(path, Messages.WhatSchema);

        var result = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? DomainJsonReader.ReadFile(path)
            : SchemaReader.ReadFile(path);
        return result.GetValueOrThrow();
    }
}
