using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Synthesizers;

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

        // Batches bound the memory of the count vectors (all 3-way marginals of a wide table can be large).
        const int Batch = 64;
        var sum = 0.0;
        for (var start = 0; start < cliques.Count; start += Batch)
        {
            var batch = cliques.Skip(start).Take(Batch).ToArray();
            var x = MarginalCounter.CountMany(real, batch);
            var y = MarginalCounter.CountMany(synthetic, batch);
            for (var i = 0; i < batch.Length; i++)
            {
                sum += Distance(x[i], real.RowCount, y[i], synthetic.RowCount);
            }
        }

        return sum / cliques.Count;
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
