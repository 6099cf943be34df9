using DPSynth.Data;
using DPSynth.Marginals;

namespace DPSynth.Evaluation;

/// <summary>
/// Total variation distance between the marginals of two tables on the same domain:
/// <c>TVD_r = 0.5 * || p_real(r) - p_synth(r) ||_1</c> with each contingency table normalised to sum 1.
/// </summary>
public static class MarginalTvd
{
    /// <summary>The 1/2/3-way mean TVD report of <paramref name="synthetic"/> against <paramref name="real"/>.</summary>
    /// <exception cref="ArgumentException">The domains differ, or a table has no rows.</exception>
    public static UtilityReport Compare(EncodedTable real, EncodedTable synthetic)
    {
        Check(real, synthetic);
        return new UtilityReport(
            synthetic.RowCount, MeanKWay(real, synthetic, 1), MeanKWay(real, synthetic, 2), MeanKWay(real, synthetic, 3));
    }

    /// <summary>The mean TVD over all k-way marginals; NaN when the domain has fewer than k attributes.</summary>
    public static double MeanKWay(EncodedTable real, EncodedTable synthetic, int k)
    {
        Check(real, synthetic);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (real.Domain.Count < k)
        {
            return double.NaN;
        }

        var cliques = Workload.AllKWay(real.Domain, k).Cliques.Select(w => w.Clique).ToArray();
        return Mean(real, synthetic, cliques);
    }

    /// <summary>The mean TVD over the given cliques.</summary>
    public static double Mean(EncodedTable real, EncodedTable synthetic, IReadOnlyList<Clique> cliques)
    {
        Check(real, synthetic);
        ArgumentNullException.ThrowIfNull(cliques);
        ArgumentOutOfRangeException.ThrowIfZero(cliques.Count);

        // A marginal with more cells than both tables have rows is compared through the rows' sorted cells: a 3-way
        // marginal of 1000-category columns is 10^9 cells dense, and at most rows + rows non-zero.
        var rows = (long)real.RowCount + synthetic.RowCount;
        var distances = new double[cliques.Count];
        var sparse = Enumerable.Range(0, cliques.Count).Where(i => cliques[i].CellCount(real.Domain) > rows).ToArray();
        if (sparse.Length > 0)
        {
            var realCells = new int[real.RowCount];
            var syntheticCells = new int[synthetic.RowCount];
            foreach (var i in sparse)
            {
                distances[i] = SparseDistance(real, realCells, synthetic, syntheticCells, cliques[i]);
            }
        }

        // Batches bound the memory of the dense count vectors: each has at most as many cells as the tables have rows.
        var dense = Enumerable.Range(0, cliques.Count).Where(i => cliques[i].CellCount(real.Domain) <= rows).ToArray();
        for (var start = 0; start < dense.Length; start += DenseBatch)
        {
            var batch = dense.Skip(start).Take(DenseBatch).ToArray();
            var x = MarginalCounter.CountMany(real, [.. batch.Select(i => cliques[i])]);
            var y = MarginalCounter.CountMany(synthetic, [.. batch.Select(i => cliques[i])]);
            for (var k = 0; k < batch.Length; k++)
            {
                distances[batch[k]] = Distance(x[k], real.RowCount, y[k], synthetic.RowCount);
            }
        }

        // Summed in the cliques' order, so the mean does not depend on which path each clique took.
        var sum = 0.0;
        foreach (var distance in distances)
        {
            sum += distance;
        }

        return sum / cliques.Count;
    }

    /// <summary>Marginals counted densely at once (the preflight estimate bounds their memory with it).</summary>
    public const int DenseBatch = 64;

    /// <summary>The TVD of one clique from the two tables' row cells, sorted and merged (no dense count vector).</summary>
    private static double SparseDistance(EncodedTable real, int[] realCells, EncodedTable synthetic, int[] syntheticCells, Clique clique)
    {
        MarginalCounter.CellOfEachRow(real, clique, realCells);
        MarginalCounter.CellOfEachRow(synthetic, clique, syntheticCells);
        Array.Sort(realCells);
        Array.Sort(syntheticCells);
        double nx = real.RowCount, ny = synthetic.RowCount, sum = 0;
        int i = 0, j = 0;
        while (i < realCells.Length || j < syntheticCells.Length)
        {
            var cell = j == syntheticCells.Length || (i < realCells.Length && realCells[i] <= syntheticCells[j])
                ? realCells[i]
                : syntheticCells[j];
            int x = 0, y = 0;
            for (; i < realCells.Length && realCells[i] == cell; i++)
            {
                x++;
            }

            for (; j < syntheticCells.Length && syntheticCells[j] == cell; j++)
            {
                y++;
            }

            sum += Math.Abs((x / nx) - (y / ny));
        }

        return 0.5 * sum;
    }

    /// <summary><c>0.5 * sum_i |x_i / nx - y_i / ny|</c>.</summary>
    public static double Distance(ReadOnlySpan<double> x, double nx, ReadOnlySpan<double> y, double ny)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("The marginals have different cell counts.");
        }

        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += Math.Abs((x[i] / nx) - (y[i] / ny));
        }

        return 0.5 * sum;
    }

    private static void Check(EncodedTable real, EncodedTable synthetic)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        if (!real.Domain.Equals(synthetic.Domain))
        {
            throw new ArgumentException("The real and synthetic tables have different domains.");
        }

        if (real.RowCount == 0 || synthetic.RowCount == 0)
        {
            throw new ArgumentException("A table with no rows has no marginal distribution.");
        }
    }
}
