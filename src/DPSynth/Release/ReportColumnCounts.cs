using System.Collections.Immutable;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Release;

/// <summary>
/// The synthetic table's own 1-way marginal of one column, with its cells' labels: post-processing of DP outputs, fit
/// for the public report. Made only by <see cref="PublicReportContent.Create"/>, from the synthetic table.
/// </summary>
public sealed class ReportColumnCounts
{
    private ReportColumnCounts(string column, ImmutableArray<string> labels, ImmutableArray<long> counts)
    {
        Column = column;
        Labels = labels;
        Counts = counts;
    }

    /// <summary>The column's name (from the schema).</summary>
    public string Column { get; }

    /// <summary>The label of each cell, by code (<see cref="CellLabels"/>).</summary>
    public ImmutableArray<string> Labels { get; }

    /// <summary>The number of synthetic rows in each cell, by code.</summary>
    public ImmutableArray<long> Counts { get; }

    /// <summary>Every column's counts in <paramref name="synthetic"/>, in schema order.</summary>
    internal static ImmutableArray<ReportColumnCounts> Of(TableSchema schema, EncodedTable synthetic)
    {
        var result = ImmutableArray.CreateBuilder<ReportColumnCounts>(schema.Columns.Length);
        for (var c = 0; c < schema.Columns.Length; c++)
        {
            var counts = new long[schema.Domain.Size(c)];
            var column = synthetic.Columns[c];
            for (var r = 0; r < synthetic.RowCount; r++)
            {
                counts[column[r]]++;
            }

            result.Add(new ReportColumnCounts(schema.Columns[c].Name, [.. CellLabels.Labels(schema, c)], [.. counts]));
        }

        return result.MoveToImmutable();
    }
}
