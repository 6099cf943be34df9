using System.Collections.Immutable;
using DPSynth.Data;

namespace DPSynth.Evaluation;

/// <summary>
/// Per-group fidelity: for each value of a group column, its share in real and synthetic rows, how well the other
/// columns' distributions within the group match (TVD), and the TSTR vs TRTR accuracy on the group's real test rows.
/// </summary>
/// <remarks>Reads the real rows without noise: an internal figure, never part of a public release.</remarks>
public static class SubgroupFidelity
{
    /// <summary>Computes one <see cref="GroupFidelity"/> per cell of <paramref name="groupColumn"/>.</summary>
    /// <param name="real">The real rows the synthesizer was fitted on.</param>
    /// <param name="synthetic">The synthetic rows.</param>
    /// <param name="groupColumn">Index of the group column.</param>
    /// <param name="labels">Display label of each cell of the group column.</param>
    /// <param name="utility">The downstream-utility evaluation and its fitted models, or null to skip the utility part.</param>
    /// <param name="realTest">Real test rows for the utility part.</param>
    public static ImmutableArray<GroupFidelity> Compute(
        EncodedTable real,
        EncodedTable synthetic,
        int groupColumn,
        IReadOnlyList<string> labels,
        (DownstreamUtility Evaluation, FittedUtilityModels Models)? utility = null,
        EncodedTable? realTest = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(labels);
        var domain = real.Domain;
        var groups = domain.Size(groupColumn);
        ArgumentOutOfRangeException.ThrowIfNotEqual(labels.Count, groups);
        var realRows = RowsByGroup(real, groupColumn);
        var synthRows = RowsByGroup(synthetic, groupColumn);
        var testRows = realTest is null ? null : RowsByGroup(realTest, groupColumn);
        var result = ImmutableArray.CreateBuilder<GroupFidelity>(groups);
        for (var g = 0; g < groups; g++)
        {
            var tvd = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            for (var c = 0; c < domain.Count; c++)
            {
                if (c != groupColumn)
                {
                    tvd[domain.Names[c]] = ConditionalTvd(real, realRows[g], synthetic, synthRows[g], c);
                }
            }

            double tstr = double.NaN, trtr = double.NaN;
            var nTest = 0;
            if (utility is { } u && realTest is not null && testRows![g].Count > 0)
            {
                nTest = testRows[g].Count;
                var (t, r) = u.Evaluation.Score(u.Models, realTest.SelectRows(testRows[g].ToArray()));
                (tstr, trtr) = u.Evaluation.IsClassification ? (t.Accuracy, r.Accuracy) : (t.R2, r.R2);
            }

            result.Add(new GroupFidelity(
                domain.Names[groupColumn],
                labels[g],
                Share(realRows[g].Count, real.RowCount),
                Share(synthRows[g].Count, synthetic.RowCount),
                tvd.Count == 0 ? double.NaN : tvd.Values.Average(),
                tvd.ToImmutable(),
                nTest,
                tstr,
                trtr));
        }

        return result.MoveToImmutable();
    }

    private static double Share(int part, int total) => total == 0 ? 0 : (double)part / total;

    private static List<int>[] RowsByGroup(EncodedTable table, int column)
    {
        var rows = new List<int>[table.Domain.Size(column)];
        for (var g = 0; g < rows.Length; g++)
        {
            rows[g] = [];
        }

        var codes = table.Columns[column];
        for (var r = 0; r < table.RowCount; r++)
        {
            rows[codes[r]].Add(r);
        }

        return rows;
    }

    // TVD = 0.5 * sum_v |p_real(v | group) - p_synth(v | group)|; NaN when the group is empty on either side.
    private static double ConditionalTvd(EncodedTable real, List<int> realRows, EncodedTable synth, List<int> synthRows, int column)
    {
        if (realRows.Count == 0 || synthRows.Count == 0)
        {
            return double.NaN;
        }

        var p = new double[real.Domain.Size(column)];
        foreach (var r in realRows)
        {
            p[real.Columns[column][r]] += 1.0 / realRows.Count;
        }

        foreach (var r in synthRows)
        {
            p[synth.Columns[column][r]] -= 1.0 / synthRows.Count;
        }

        var sum = 0.0;
        foreach (var x in p)
        {
            sum += Math.Abs(x);
        }

        return sum / 2;
    }
}
