using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Tests.Support;
using FsCheck.Xunit;

namespace DPSynth.Tests.Privacy;

/// <summary>The thresholded histogram of DP domain discovery (docs/privacy.md#stability-histogram).</summary>
public sealed class StabilityHistogramTests
{
    /// <summary>
    /// The threshold is the least integer the proof allows: (tau - 2)^2 &gt;= 2 sigma^2 ln(1/delta), and one less would
    /// not satisfy it (up to the floating-point nudges, which only raise it).
    /// </summary>
    [Property(MaxTest = 200)]
    public bool TheThresholdIsTheLeastTheTailBoundAllows(int s, int d)
    {
        var sigmaSquared = new Rational(1 + Math.Abs(s % 1_000_000), 1 + Math.Abs(d % 7));
        if (sigmaSquared < Rational.One)
        {
            sigmaSquared = Rational.One;
        }

        var delta = Math.Pow(10, -1 - Math.Abs(d % 15));
        var tau = StabilityHistogram.ThresholdFor(sigmaSquared, delta);
        var needed = 2 * sigmaSquared.ToDouble() * Math.Log(1 / delta);
        var margin = tau - 2;
        return margin * margin >= needed && (margin - 2.0) * (margin - 2.0) < needed;
    }

    /// <summary>
    /// Analytical check of the bound behind the threshold: the exact probability that a label of count 1 is kept,
    /// P[1 + Z &gt;= tau] with Z ~ N_Z(0, sigma^2), summed from the pmf in doubles (terms below 1e-300 of the mass are
    /// dropped, far below the margins here), is at most delta.
    /// </summary>
    [Theory]
    [InlineData(1.0, 1e-3)]
    [InlineData(2.5, 1e-6)]
    [InlineData(10.0, 1e-9)]
    [InlineData(23.6, 6.7e-12)]
    [InlineData(100.0, 1e-12)]
    [InlineData(1000.0, 1e-15)]
    public void ALabelOfCountOneIsKeptWithProbabilityAtMostDelta(double sigma, double delta)
    {
        var sigmaSquared = Rational.FromDouble(sigma * sigma);
        var tau = StabilityHistogram.ThresholdFor(sigmaSquared, delta);
        var kept = ExactUpperTail(sigma * sigma, tau - 1);
        Assert.True(kept <= delta, $"P[kept] = {kept:E3} > delta = {delta:E3} at sigma {sigma}, tau {tau}");
    }

    /// <summary>
    /// Statistical check with the real sampler (CSPRNG): 200,000 labels of count 1 at sigma^2 = 4, delta = 0.05 (tau = 7);
    /// the number kept must fit Binomial(200,000, p) with p the exact tail P[Z &gt;= 6] (two-sided exact binomial test,
    /// false failure &lt;= 1e-6), and p itself is at most delta.
    /// </summary>
    [Fact]
    public void KeptSingletonsFollowTheExactTail()
    {
        var histogram = StabilityHistogram.For(new Rho(new Rational(1, 8)), 0.05);
        Assert.Equal(new Rational(4, 1), histogram.SigmaSquared);
        var p = ExactUpperTail(4, histogram.Threshold - 1);
        Assert.True(p <= histogram.FailureProbability);
        const int labels = 200_000;
        var counts = Enumerable.Range(0, labels).Select(i => new KeyValuePair<string, long>($"v{i}", 1)).ToArray();
        var accountant = new ZcdpAccountant(histogram.Cost.Rho);
        var kept = histogram.Keep(accountant.Charge(histogram.Cost, "singletons"), counts);
        Statistics.AssertBinomial(kept.Count, labels, p);
        Assert.All(kept, k => Assert.True(k.Value >= histogram.Threshold));
    }

    /// <summary>
    /// A label held by many rows is kept: with count tau + 40 sigma it is dropped only when Z &lt;= -40 sigma, probability
    /// at most exp(-800) (the same tail bound); a label no row holds has no count and never appears.
    /// </summary>
    [Fact]
    public void CommonLabelsAreKeptAndAbsentOnesNeverAppear()
    {
        var histogram = StabilityHistogram.For(new Rho(new Rational(1, 200)), 1e-9);
        var sigma = Math.Sqrt(histogram.SigmaSquared.ToDouble());
        var common = histogram.Threshold + (long)Math.Ceiling(40 * sigma);
        var accountant = new ZcdpAccountant(histogram.Cost.Rho);
        var kept = histogram.Keep(
            accountant.Charge(histogram.Cost, "common"), [new("common", common), new("other", common * 2)]);
        Assert.Equal(["common", "other"], kept.Select(k => k.Key));
    }

    /// <summary>
    /// Kept labels come out in ordinal order, not in the order given (where each label first appears in the file). Every
    /// label is kept except with probability at most 4 exp(-800) (as above).
    /// </summary>
    [Fact]
    public void KeptLabelsComeOutInOrdinalOrderNotTheFilesOrder()
    {
        var histogram = StabilityHistogram.For(new Rho(new Rational(1, 200)), 1e-9);
        var common = histogram.Threshold + (long)Math.Ceiling(40 * Math.Sqrt(histogram.SigmaSquared.ToDouble()));
        KeyValuePair<string, long>[] inFileOrder = [new("zeta", common), new("Beta", common), new("alpha", common), new("10", common)];
        var accountant = new ZcdpAccountant(histogram.Cost.Rho);

        var kept = histogram.Keep(accountant.Charge(histogram.Cost, "order"), inFileOrder);

        Assert.Equal(["10", "Beta", "alpha", "zeta"], kept.Select(k => k.Key));
    }

    [Fact]
    public void KeepNeedsAReceiptForItsOwnCostAndRefusesEmptyCounts()
    {
        var histogram = StabilityHistogram.For(new Rho(new Rational(1, 2)), 1e-6);
        var other = StabilityHistogram.For(new Rho(new Rational(1, 4)), 1e-6);
        var accountant = new ZcdpAccountant(Rho.FromDouble(1));
        Assert.Throws<InvalidOperationException>(() => histogram.Keep(accountant.Charge(other.Cost, "wrong"), [new("a", 5)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.Keep(accountant.Charge(histogram.Cost, "zero"), [new("a", 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityHistogram.For(new Rho(new Rational(1, 2)), 0));
    }

    /// <summary>P[Z &gt;= k] for Z ~ N_Z(0, sigma^2), from the pmf (k &gt;= 1).</summary>
    internal static double ExactUpperTail(double sigmaSquared, long k)
    {
        double Term(long x) => Math.Exp(-(double)x * x / (2 * sigmaSquared));
        var limit = (long)Math.Ceiling(Math.Sqrt(2 * sigmaSquared * 700)) + 2;
        var total = 1.0;
        for (var x = 1L; x <= limit; x++)
        {
            total += 2 * Term(x);
        }

        var tail = 0.0;
        for (var x = limit; x >= k; x--)
        {
            tail += Term(x); // smallest first, for precision
        }

        return tail / total;
    }
}
