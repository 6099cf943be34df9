using DPSynth.Privacy.Mechanisms;
using DPSynth.Privacy;
using DPSynth.Schema;

namespace DPSynth.Data.Discovery;

/// <summary>
/// A numeric column's bounds and bin edges from DP quantiles over a public <see cref="NumberGrid"/>
/// (docs/privacy.md#dp-quantile): the q and 1 - q quantiles become min and max; quantiles k/bins (k = 1 .. bins-1) the
/// inner edges. Everything after the selections is post-processing of the chosen grid points.
/// </summary>
/// <remarks>
/// Choosing q: a candidate outside the data scores q n below the best one, and there are up to m (the grid's size) of
/// them, so the selection lands outside the data with probability about m exp(-epsilon q n / 2). q is therefore the
/// smallest of 1%, 2%, ... that makes epsilon q n / 2 at least ln(m) + ln(1000) (outside with probability about 1/1000),
/// at most 25%; n is the probe's noisy count of the column's numbers, a DP output, so q is post-processing.
/// </remarks>
internal static class NumericDomain
{
    /// <summary>Learns the column from its grid cell counts (<see cref="NumberGrid.CellOf"/>).</summary>
    public static DiscoveredColumn Learn(
        string name, ColumnKind kind, long[] cells, double noisyCount, DiscoveryBudget budget, ZcdpAccountant accountant,
        string label)
    {
        var grid = kind == ColumnKind.Integer ? NumberGrid.Integers : NumberGrid.Reals;
        var atOrBelow = new long[cells.Length];
        var running = 0L;
        for (var j = 0; j < cells.Length; j++)
        {
            running += cells[j];
            atOrBelow[j] = running;
        }

        int Quantile(Privacy.Rho rho, int numerator, int denominator, string what)
        {
            var quantile = QuantileMechanism.ForRho(rho);
            return quantile.Select(accountant.Charge(quantile.Cost, $"{label}: {what}"), atOrBelow, running, numerator, denominator);
        }

        var tail = TailPercent(QuantileMechanism.ForRho(budget.BoundQuantile).Epsilon.ToDouble(), noisyCount, grid.Count);
        var lo = Quantile(budget.BoundQuantile, tail, 100, $"lower bound ({tail}%)");
        var hi = Quantile(budget.BoundQuantile, 100 - tail, 100, $"upper bound ({100 - tail}%)");
        var inner = new int[budget.Bins - 1];
        for (var k = 1; k < budget.Bins; k++)
        {
            inner[k - 1] = Quantile(budget.EdgeQuantile, k, budget.Bins, $"edge {k}/{budget.Bins}");
        }

        return FromGridIndices(name, kind, grid, lo, hi, inner, budget.Bins);
    }

    /// <summary>
    /// The bounds' tail q in percent (see the remarks): from 1 to <see cref="MaxTailPercent"/>, from public values only.
    /// </summary>
    public static int TailPercent(double epsilon, double noisyCount, int candidates)
    {
        var needed = 2 * (Math.Log(candidates) + Math.Log(1000)) / (epsilon * Math.Max(noisyCount, 1));
        return (int)Math.Clamp(Math.Ceiling(needed * 100), 1, MaxTailPercent);
    }

    /// <summary>The largest tail the bounds leave out on each side, in percent.</summary>
    public const int MaxTailPercent = 25;

    /// <summary>
    /// The column for the chosen grid indices (pure post-processing): bounds in order and distinct; an integer column
    /// spanning at most <see cref="DiscoveryOptions.MaxPerValueCells"/> values gets one cell per value; otherwise the
    /// distinct inner edges strictly between the bounds, or equal-width bins when fewer than half of them are left.
    /// </summary>
    internal static DiscoveredColumn FromGridIndices(
        string name, ColumnKind kind, NumberGrid grid, int lo, int hi, IReadOnlyList<int> inner, int bins)
    {
        (lo, hi) = (Math.Min(lo, hi), Math.Max(lo, hi));
        if (lo == hi)
        {
            // A single point: widen by one grid step so min < max (a continuous bin needs room for values).
            (lo, hi) = hi + 1 < grid.Count ? (lo, hi + 1) : (lo - 1, hi);
        }

        var min = grid.Points[lo];
        var max = grid.Points[hi];
        if (kind == ColumnKind.Integer && max - min + 1 <= DiscoveryOptions.MaxPerValueCells)
        {
            return new DiscoveredColumn(name, kind, true, [], min, max, [], 0);
        }

        var edges = inner.Where(i => i > lo && i < hi).Distinct().Order().Select(i => grid.Points[i]).ToList();
        if (edges.Count * 2 < bins - 1)
        {
            var equal = kind == ColumnKind.Integer ? (int)Math.Min(bins, max - min + 1) : bins;
            return new DiscoveredColumn(name, kind, true, [], min, max, [], equal);
        }

        return new DiscoveredColumn(name, kind, true, [], min, max, [min, .. edges, max], 0);
    }
}
