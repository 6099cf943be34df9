using System.Collections.Immutable;
using DPSynth.Schema;

namespace DPSynth.Audits;

/// <summary>The per-column metrics of the audit distance, one per attribute of a <see cref="Schema.Domain"/>, in order.</summary>
/// <remarks>Validated against the domain at construction: one metric per attribute, with the attribute's cell count.</remarks>
public sealed class DistanceSpec
{
    /// <summary>Creates a spec for <paramref name="domain"/>.</summary>
    /// <exception cref="ArgumentException">The metrics do not match the domain's attributes and sizes.</exception>
    public DistanceSpec(Domain domain, IEnumerable<ColumnMetric> columns)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(columns);
        Domain = domain;
        Columns = [.. columns];
        if (Columns.Length != domain.Count)
        {
            throw new ArgumentException($"The domain has {domain.Count} attributes but {Columns.Length} metrics were given.");
        }

        for (var i = 0; i < Columns.Length; i++)
        {
            if (Columns[i].Cells != domain.Size(i))
            {
                throw new ArgumentException(
                    $"Metric of '{domain.Names[i]}' has {Columns[i].Cells} cells but the domain says {domain.Size(i)}.");
            }

            if (Columns[i].OrderedCells < 0 || Columns[i].OrderedCells > Columns[i].Cells)
            {
                throw new ArgumentException($"Metric of '{domain.Names[i]}' has an invalid ordered cell count.");
            }
        }
    }

    /// <summary>The domain the spec describes.</summary>
    public Domain Domain { get; }

    /// <summary>One metric per attribute, in domain order.</summary>
    public ImmutableArray<ColumnMetric> Columns { get; }

    /// <summary>
    /// The spec of a schema: integer, continuous and date columns are ordered (their value bins, with the missing cell
    /// after them compared as a category); categorical and boolean columns are categorical.
    /// </summary>
    public static DistanceSpec FromSchema(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var metrics = new ColumnMetric[schema.Columns.Length];
        for (var i = 0; i < metrics.Length; i++)
        {
            var column = schema.Columns[i];
            metrics[i] = column.Kind is ColumnKind.Integer or ColumnKind.Continuous or ColumnKind.Date
                ? ColumnMetric.Ordered(column.CellCount, column.CellCount - column.ValueCellCount)
                : ColumnMetric.Categorical(column.CellCount);
        }

        return new DistanceSpec(schema.Domain, metrics);
    }

    /// <summary>Every column categorical (0/1 mismatch).</summary>
    public static DistanceSpec AllCategorical(Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var metrics = new ColumnMetric[domain.Count];
        for (var i = 0; i < metrics.Length; i++)
        {
            metrics[i] = ColumnMetric.Categorical(domain.Size(i));
        }

        return new DistanceSpec(domain, metrics);
    }

    /// <summary>The named attributes ordered (all their codes are bins), every other one categorical.</summary>
    /// <exception cref="ArgumentException">A name is not an attribute of the domain.</exception>
    public static DistanceSpec WithOrdered(Domain domain, IEnumerable<string> orderedNames)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(orderedNames);
        var ordered = new bool[domain.Count];
        foreach (var name in orderedNames)
        {
            var index = domain.IndexOf(name);
            if (index < 0)
            {
                throw new ArgumentException($"'{name}' is not an attribute of the domain.", nameof(orderedNames));
            }

            ordered[index] = true;
        }

        var metrics = new ColumnMetric[domain.Count];
        for (var i = 0; i < metrics.Length; i++)
        {
            metrics[i] = ordered[i] ? ColumnMetric.Ordered(domain.Size(i)) : ColumnMetric.Categorical(domain.Size(i));
        }

        return new DistanceSpec(domain, metrics);
    }
}
