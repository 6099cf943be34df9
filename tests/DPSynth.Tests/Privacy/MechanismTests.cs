using System.Numerics;
using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Privacy.Sampling;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Privacy;

public sealed class MechanismTests
{
    /// <summary>Selection frequencies match softmax(eps q / (2 Delta)): chi-square, false failure &lt;= 1e-6.</summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 2, 3)]
    [InlineData(3, 1, 2)]
    public void ExponentialMechanismSelectsWithSoftmaxProbabilities(long epsNumerator, long epsDenominator, long sensitivity)
    {
        Int128[] scores = [0, 1, 2, 3, 5, 8, -4, 2, 7, 0];
        var epsilon = new Rational(epsNumerator, epsDenominator);
        var mechanism = ExponentialMechanism.WithEpsilon(epsilon);
        const int n = 60_000;
        var counts = Select(mechanism, scores, sensitivity, n, excluded: default);
        var eps = (double)epsNumerator / epsDenominator;
        var weights = scores.Select(q => Math.Exp(eps * (double)q / (2.0 * sensitivity))).ToArray();
        var total = weights.Sum();
        AssertMergedFit(counts, weights.Select(w => n * w / total).ToArray());
    }

    /// <summary>Excluded candidates are never chosen; the rest follow softmax over the included ones (false failure &lt;= 1e-6).</summary>
    [Fact]
    public void ExcludedCandidatesAreNeverChosen()
    {
        Int128[] scores = [10, 0, 1, 20, 2, 3];
        bool[] excluded = [false, false, false, true, false, true];
        var mechanism = ExponentialMechanism.WithEpsilon(new Rational(1, 1));
        const int n = 40_000;
        var counts = Select(mechanism, scores, 2, n, excluded);
        Assert.Equal(0, counts[3]);
        Assert.Equal(0, counts[5]);
        var weights = scores.Select((q, i) => excluded[i] ? 0 : Math.Exp((double)q / 4)).ToArray();
        var total = weights.Sum();
        AssertMergedFit(
            counts.Where((_, i) => !excluded[i]).ToArray(),
            weights.Where((_, i) => !excluded[i]).Select(w => n * w / total).ToArray());
    }

    [Fact]
    public void ExponentialMechanismHandlesHugeScoreGapsExactly()
    {
        // A 10^30 gap takes the BigInteger path; the best candidate must win (the others have weight exp(-5e29)).
        Int128[] scores = [0, Int128.Parse("1000000000000000000000000000000"), 5];
        var mechanism = ExponentialMechanism.WithEpsilon(new Rational(1, 1));
        var accountant = new ZcdpAccountant(new Rho(mechanism.Cost.Rho.Value * 20));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(1, mechanism.Select(accountant.Charge(mechanism.Cost, "select"), scores, new Rational(1, 1)));
        }
    }

    [Fact]
    public void ExponentialMechanismCostsEpsilonSquaredOverEight()
    {
        var mechanism = ExponentialMechanism.WithEpsilon(new Rational(3, 10));
        Assert.Equal(new Rational(9, 800), mechanism.Cost.Rho.Value);
        var fromDouble = ExponentialMechanism.ForEpsilonRoundedDown(0.1);
        Assert.True(fromDouble.Epsilon <= Rational.FromDouble(0.1));
        Assert.True(Rational.FromDouble(0.1) - fromDouble.Epsilon < new Rational(1, BigInteger.One << 40));
        var rho = Rho.FromDouble(0.0123);
        var forRho = ExponentialMechanism.ForRho(rho);
        Assert.True(forRho.Cost.Rho <= rho);
        Assert.True(rho.Value - forRho.Cost.Rho.Value < new Rational(1, BigInteger.One << 30));
    }

    [Fact]
    public void GaussianMechanismCostsSensitivitySquaredOverTwoSigmaSquared()
    {
        var mechanism = GaussianMechanism.WithSigmaSquared(new Rational(25, 2), l2Sensitivity: 2);
        Assert.Equal(new Rational(4, 25), mechanism.Cost.Rho.Value);
    }

    [Fact]
    public void SigmaSquaredFromADoubleIsRoundedUpAndTheCostIsNeverAboveTheAskedRho()
    {
        foreach (var sigma in new[] { 0.5, 1.1, 3.3, 57.9, 100, 1234.5678, 10_000.1 })
        {
            var mechanism = GaussianMechanism.ForSigma(sigma);
            var exact = Rational.FromDouble(sigma) * Rational.FromDouble(sigma);
            Assert.True(mechanism.SigmaSquared >= exact);
            Assert.True((mechanism.SigmaSquared - exact) / exact <= new Rational(1, 1_000_000));
        }

        foreach (var r in new[] { 1e-6, 0.0149731, 0.5, 3.0 })
        {
            var rho = Rho.FromDouble(r);
            var mechanism = GaussianMechanism.ForRho(rho);
            Assert.True(mechanism.Cost.Rho <= rho);
            Assert.True((rho.Value - mechanism.Cost.Rho.Value) / rho.Value <= new Rational(1, 1_000_000));
        }
    }

    [Fact]
    public void GaussianReleaseAddsNoiseToEveryCountAfterTheCharge()
    {
        var mechanism = GaussianMechanism.WithSigmaSquared(new Rational(4, 1));
        var accountant = new ZcdpAccountant(Rho.FromDouble(1));
        var receipt = accountant.Charge(mechanism.Cost, "measure");
        var truth = Enumerable.Repeat(1000L, 10_000).ToArray();
        var noisy = mechanism.Release(receipt, truth);
        Assert.Equal(10_000, noisy.Length);
        Assert.All(noisy, x => Assert.InRange(x, 1000 - 40, 1000 + 40));
        Assert.Contains(noisy, x => x != 1000);
        Assert.True(receipt.IsRedeemed);
        Assert.All(truth, x => Assert.Equal(1000, x));
    }

    [Fact]
    public void AReceiptForAnotherCostOrAUsedReceiptReleasesNothing()
    {
        var gaussian = GaussianMechanism.WithSigmaSquared(new Rational(4, 1));
        var other = GaussianMechanism.WithSigmaSquared(new Rational(9, 1));
        var accountant = new ZcdpAccountant(Rho.FromDouble(1));
        var counts = new long[] { 5, 6 };
        var wrong = accountant.Charge(other.Cost, "other");
        Assert.Throws<InvalidOperationException>(() => gaussian.ReleaseInPlace(wrong, counts));
        Assert.Equal([5L, 6L], counts);
        var right = accountant.Charge(gaussian.Cost, "right");
        gaussian.ReleaseInPlace(right, counts);
        Assert.Throws<InvalidOperationException>(() => gaussian.ReleaseInPlace(right, counts));

        var exponential = ExponentialMechanism.WithEpsilon(new Rational(1, 2));
        Assert.Throws<InvalidOperationException>(() => exponential.Select(wrong, new Int128[] { 1, 2 }, new Rational(1, 1)));
    }

    [Fact]
    public void ARefusedChargeLeavesNoReceiptSoNoNoiseCanBeDrawn()
    {
        var gaussian = GaussianMechanism.WithSigmaSquared(new Rational(1, 1)); // rho = 1/2
        var accountant = new ZcdpAccountant(Rho.FromDouble(0.75));
        accountant.Charge(gaussian.Cost, "first");
        var refused = Assert.Throws<BudgetRefusedException>(() => accountant.Charge(gaussian.Cost, "second"));
        Assert.Contains("second", refused.Message, StringComparison.Ordinal);
        Assert.Single(accountant.Charges);
        Assert.Equal(new Rational(1, 2), accountant.Spent.Value);
    }

    [Fact]
    public void InsecureNoiseMarksTheAccountant()
    {
        var mechanism = GaussianMechanism.WithSigmaSquared(new Rational(4, 1)).WithBits(new InsecureSeededBits(1));
        Assert.True(mechanism.IsInsecure);
        var accountant = new ZcdpAccountant(Rho.FromDouble(1));
        Assert.False(accountant.UsedInsecureNoise);
        mechanism.Release(accountant.Charge(mechanism.Cost, "demo"), new long[3]);
        Assert.True(accountant.UsedInsecureNoise);
    }

    private static long[] Select(ExponentialMechanism mechanism, Int128[] scores, long sensitivity, int n, bool[]? excluded)
    {
        var accountant = new ZcdpAccountant(new Rho(mechanism.Cost.Rho.Value * n));
        var counts = new long[scores.Length];
        for (var i = 0; i < n; i++)
        {
            counts[mechanism.Select(accountant.Charge(mechanism.Cost, "select"), scores, new Rational(sensitivity, 1), excluded)]++;
        }

        return counts;
    }

    // Merges candidates with expected count below 20 (in order of expected count, so the unlikely tail first) so every
    // bin expects at least Statistics.MinExpected; then the chi-square check (false failure <= 1e-6).
    private static void AssertMergedFit(long[] observed, double[] expected)
    {
        var order = Enumerable.Range(0, expected.Length).OrderBy(i => expected[i]).ToArray();
        var bins = new List<(long O, double E)>();
        (long O, double E) open = (0, 0);
        foreach (var i in order)
        {
            open = (open.O + observed[i], open.E + expected[i]);
            if (open.E >= Statistics.MinExpected)
            {
                bins.Add(open);
                open = (0, 0);
            }
        }

        if (open.E > 0)
        {
            bins[^1] = (bins[^1].O + open.O, bins[^1].E + open.E);
        }

        Statistics.AssertBins(bins.Select(b => b.O).ToArray(), bins.Select(b => b.E).ToArray());
    }
}
