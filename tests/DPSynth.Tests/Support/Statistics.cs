using MathNet.Numerics.Distributions;

namespace DPSynth.Tests.Support;

/// <summary>
/// Goodness-of-fit checks for the statistical tests. Every check is calibrated so that a correct sampler fails it
/// with probability at most <see cref="FalseFailure"/>.
/// </summary>
public static class Statistics
{
    /// <summary>The false-failure probability of every statistical check.</summary>
    public const double FalseFailure = 1e-6;

    /// <summary>The least expected count of a chi-square bin: sparser tail bins are merged until they reach it.</summary>
    public const double MinExpected = 20;

    /// <summary>
    /// The nominal level of the chi-square checks: 1e-7, a tenfold margin under <see cref="FalseFailure"/>. Pearson's
    /// statistic is only approximately chi-square; with every bin expecting at least <see cref="MinExpected"/> the
    /// approximation's error in the 1e-7 tail is far below that margin, so the real false-failure probability stays
    /// below 1e-6.
    /// </summary>
    public const double ChiSquareLevel = 1e-7;

    /// <summary>
    /// Normal-approximation bound for two-sided z checks: 5.5 standard errors. The exact normal tail at 5.5 is 3.8e-8;
    /// the margin over 4.89 (the 1e-6 point) covers the CLT error at the sample sizes used (at least 10^5).
    /// </summary>
    public const double ZBound = 5.5;

    /// <summary>
    /// Pearson chi-square test of <paramref name="samples"/> against the pmf on the integers
    /// <paramref name="low"/>..<paramref name="high"/> (mass outside must be negligible). Consecutive values are merged
    /// into bins as described below; the leftover joins the last bin; values
    /// outside the range count in the first or last bin. Consecutive values are merged into bins, from the left, until each
    /// bin's expected count is at least <see cref="MinExpected"/> (20), which merges the sparse tails; then
    /// <see cref="AssertBins"/>.
    /// </summary>
    public static void AssertFits(IReadOnlyList<long> samples, Func<long, double> pmf, long low, long high)
    {
        var weights = new double[high - low + 1];
        var total = 0.0;
        for (var x = low; x <= high; x++)
        {
            weights[x - low] = pmf(x);
            total += weights[x - low];
        }

        var observed = new long[weights.Length];
        foreach (var s in samples)
        {
            observed[Math.Clamp(s, low, high) - low]++;
        }

        var n = samples.Count;
        var binExpected = new List<double>();
        var binObserved = new List<long>();
        double e = 0;
        long o = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            e += n * weights[i] / total;
            o += observed[i];
            if (e >= MinExpected)
            {
                binExpected.Add(e);
                binObserved.Add(o);
                e = 0;
                o = 0;
            }
        }

        if (binExpected.Count == 0)
        {
            throw new InvalidOperationException("Too few samples for one bin.");
        }

        binExpected[^1] += e;
        binObserved[^1] += o;
        AssertBins(binObserved, binExpected);
    }

    /// <summary>
    /// Pearson chi-square test of observed counts against expected counts (each at least <see cref="MinExpected"/>):
    /// asserts the statistic is below ChiSquared.InvCDF(bins - 1, 1 - <see cref="ChiSquareLevel"/>), a false-failure
    /// probability of at most 1e-6 (see <see cref="ChiSquareLevel"/>). Needs at least three bins: two outcomes take the
    /// exact <see cref="AssertBinomial"/>.
    /// </summary>
    public static void AssertBins(IReadOnlyList<long> observed, IReadOnlyList<double> expected)
    {
        Assert.True(expected.Count >= 3, "Two outcomes take the exact binomial test (AssertBinomial), not chi-square.");
        var statistic = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i] >= MinExpected, $"bin {i} expects {expected[i]} < {MinExpected}");
            var d = observed[i] - expected[i];
            statistic += d * d / expected[i];
        }

        var critical = ChiSquared.InvCDF(expected.Count - 1, 1 - ChiSquareLevel);
        Assert.True(statistic < critical,
            $"chi-square {statistic:F1} >= critical {critical:F1} with {expected.Count - 1} degrees of freedom");
    }

    /// <summary>
    /// Exact two-sided binomial test: <paramref name="successes"/> out of <paramref name="trials"/> with success
    /// probability <paramref name="p"/>. Fails when P[X &lt;= k] or P[X &gt;= k] is at most 1e-6 / 2 (both tails from
    /// the binomial CDF, the upper one as the lower tail of the failures to keep its precision), so a correct sampler
    /// fails with probability at most 1e-6, exactly (the discrete test is conservative).
    /// </summary>
    public static void AssertBinomial(long successes, long trials, double p)
    {
        Assert.True(p > 0 && p < 1, $"p = {p} must be in (0, 1)");
        Assert.InRange(successes, 0, trials);
        var n = checked((int)trials);
        var k = (int)successes;
        var lower = Binomial.CDF(p, n, k); // P[X <= k]
        var upper = Binomial.CDF(1 - p, n, n - k); // P[n - X <= n - k] = P[X >= k]
        var tail = FalseFailure / 2;
        Assert.True(lower > tail && upper > tail,
            $"{successes} of {trials} with p = {p}: P[X <= k] = {lower:E3}, P[X >= k] = {upper:E3} (each must be > {tail:E1})");
    }

    /// <summary>Asserts |mean - expected| &lt;= 5.5 standard errors, with the true variance.</summary>
    public static void AssertMean(IReadOnlyList<long> samples, double expectedMean, double variance)
    {
        var mean = samples.Average(x => (double)x);
        var error = ZBound * Math.Sqrt(variance / samples.Count);
        Assert.True(Math.Abs(mean - expectedMean) <= error, $"mean {mean} is not within {error} of {expectedMean}");
    }

    /// <summary>
    /// Asserts the sample variance (about a known mean of 0) is within 5.5 standard errors of
    /// <paramref name="variance"/>, the standard error being sqrt((m4 - variance^2) / n) with the true fourth moment.
    /// </summary>
    public static void AssertVariance(IReadOnlyList<long> samples, double variance, double fourthMoment)
    {
        var estimate = samples.Average(x => (double)x * x);
        var error = ZBound * Math.Sqrt((fourthMoment - (variance * variance)) / samples.Count);
        Assert.True(Math.Abs(estimate - variance) <= error, $"variance {estimate} is not within {error} of {variance}");
    }

    /// <summary>
    /// Asserts the signs are balanced: given m non-zero samples, the share of positive ones is within
    /// sqrt(ln(2/1e-6) / (2m)) of 1/2, which Hoeffding's inequality guarantees with probability at least 1 - 1e-6.
    /// </summary>
    public static void AssertSymmetric(IReadOnlyList<long> samples)
    {
        var positive = samples.Count(x => x > 0);
        var nonZero = positive + samples.Count(x => x < 0);
        var bound = Math.Sqrt(Math.Log(2 / FalseFailure) / (2.0 * nonZero));
        Assert.True(Math.Abs(((double)positive / nonZero) - 0.5) <= bound, $"{positive} of {nonZero} non-zero samples are positive");
    }

    /// <summary>The moments E[X^2] and E[X^4] of a symmetric pmf on -limit..limit (normalized).</summary>
    public static (double Second, double Fourth) Moments(Func<long, double> pmf, long limit)
    {
        double total = 0, second = 0, fourth = 0;
        for (var x = -limit; x <= limit; x++)
        {
            var p = pmf(x);
            total += p;
            second += p * x * x;
            fourth += p * x * x * (double)x * x;
        }

        return (second / total, fourth / total);
    }
}
