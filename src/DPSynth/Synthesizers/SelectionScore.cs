namespace DPSynth.Synthesizers;

/// <summary>
/// Exact selection scores in fixed point (privacy-details.md section 2): only the public inputs, the model's marginal
/// xhat_r and the data-independent penalty b_r, are rounded to the grid 2^-<see cref="GridBits"/>; the L1 error against
/// the true integer counts is then computed exactly in integers, so the score's sensitivity is exactly the weight.
/// </summary>
/// <remarks>
/// A score is <c>W_r * (sum_i |x_i 2^k - round(xhat_i 2^k)| - round(b_r 2^k))</c> in units of
/// <c>2^-k * 2^-10</c> (the weight grid of <see cref="CandidateSet"/>). Adding or removing one row moves one x_i by one,
/// so the L1 term moves by at most 2^k units and the score by at most <c>W_r 2^k</c>: <see cref="Sensitivity"/>.
/// </remarks>
internal static class SelectionScore
{
    /// <summary>Bits of the fixed-point grid: 1/4096 of a count is far below the selection's resolution.</summary>
    public const int GridBits = 12;

    private const double Scale = 1 << GridBits;

    /// <summary>The exact score of one candidate, in units of 2^-12 counts times 2^-10 weight.</summary>
    /// <param name="trueCounts">The data's marginal (integer counts).</param>
    /// <param name="modelCounts">The model's marginal (public: a function of earlier DP outputs).</param>
    /// <param name="penalty">The data-independent penalty b_r in counts (AIM: sqrt(2/pi) sigma n_r; MWEM: n_r).</param>
    /// <param name="weightUnits">The candidate's weight in units of 2^-10.</param>
    public static Int128 Compute(ReadOnlySpan<double> trueCounts, ReadOnlySpan<double> modelCounts, double penalty, long weightUnits)
    {
        if (trueCounts.Length != modelCounts.Length)
        {
            throw new ArgumentException("The true and model marginals have different cell counts.");
        }

        return weightUnits * (L1OnGrid(trueCounts, modelCounts) - RoundToGrid(penalty));
    }

    /// <summary>The exact score of one candidate whose true marginal may be stored sparsely (same value as above).</summary>
    public static Int128 Compute(TrueMarginal trueCounts, ReadOnlySpan<double> modelCounts, double penalty, long weightUnits)
    {
        ArgumentNullException.ThrowIfNull(trueCounts);
        return weightUnits * (trueCounts.L1OnGrid(modelCounts) - RoundToGrid(penalty));
    }

    /// <summary><c>sum_i |x_i 2^k - round(xhat_i 2^k)|</c> over dense counts (equal lengths).</summary>
    public static Int128 L1OnGrid(ReadOnlySpan<double> trueCounts, ReadOnlySpan<double> modelCounts)
    {
        Int128 l1 = 0;
        for (var i = 0; i < trueCounts.Length; i++)
        {
            // Counts are exact integers below 2^31, so the shift is exact; the model value is rounded (public).
            var x = (Int128)(long)trueCounts[i] << GridBits;
            var xhat = (Int128)RoundToGrid(modelCounts[i]);
            l1 += Int128.Abs(x - xhat);
        }

        return l1;
    }

    /// <summary>
    /// The same sum when only the non-zero counts are stored (<paramref name="cells"/> ascending, distinct): every cell
    /// contributes <c>|round(xhat_i 2^k)|</c>, and a non-zero cell then swaps that term for <c>|x_i 2^k - round(xhat_i 2^k)|</c>.
    /// Integer arithmetic throughout, so the result equals the dense sum exactly.
    /// </summary>
    public static Int128 L1OnGrid(ReadOnlySpan<int> cells, ReadOnlySpan<int> counts, ReadOnlySpan<double> modelCounts)
    {
        Int128 l1 = 0;
        for (var i = 0; i < modelCounts.Length; i++)
        {
            l1 += Math.Abs(RoundToGrid(modelCounts[i]));
        }

        for (var k = 0; k < cells.Length; k++)
        {
            var xhat = (Int128)RoundToGrid(modelCounts[cells[k]]);
            l1 += Int128.Abs(((Int128)counts[k] << GridBits) - xhat) - Int128.Abs(xhat);
        }

        return l1;
    }

    /// <summary>The sensitivity of the scores of candidates whose largest weight is <paramref name="maxWeightUnits"/>.</summary>
    public static Int128 Sensitivity(long maxWeightUnits) => (Int128)maxWeightUnits << GridBits;

    /// <summary>A public value rounded to the nearest multiple of 2^-12, in grid units.</summary>
    public static long RoundToGrid(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A model marginal or penalty is not finite.");
        }

        return checked((long)Math.Round(value * Scale, MidpointRounding.ToEven));
    }
}
