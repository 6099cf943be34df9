using DPSynth.Privacy;
using FsCheck.Xunit;

namespace DPSynth.Tests.Privacy;

public sealed class ConversionTests
{
    [Theory]
    [InlineData(1, 1e-9, 0.0149731)]
    [InlineData(0.3, 1e-9, 0.00147675)]
    [InlineData(10, 1e-9, 1.0907857)]
    [InlineData(1, 1e-6, 0.0243560)]
    public void TheTightConversionGivesTheKnownValues(double epsilon, double delta, double rho)
    {
        var actual = ZcdpConversion.RhoFromApproxDp(new ApproxDp(epsilon, delta)).Value.ToDouble();
        Assert.Equal(rho, actual, rho * 5e-6);
    }

    [Fact]
    public void TheSimpleBoundGivesTheKnownValue()
    {
        var actual = ZcdpConversion.RhoFromApproxDpSimple(new ApproxDp(1, 1e-9)).Value.ToDouble();
        Assert.Equal(0.0117812, actual, 0.0117812 * 5e-6);
    }

    [Fact]
    public void EpsilonFromRhoInvertsTheKnownValue()
    {
        var epsilon = ZcdpConversion.EpsilonFromRho(Rho.FromDouble(0.0149731), 1e-9);
        Assert.Equal(1, epsilon, 1e-4);
        Assert.True(ZcdpConversion.DeltaFromRho(Rho.FromDouble(0.0149731), 1.0001) <= 1e-9);
    }

    [Fact]
    public void InvalidGuaranteesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApproxDp(-1, 1e-9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApproxDp(double.NaN, 1e-9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApproxDp(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApproxDp(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rho.FromDouble(-0.5));
        Assert.Equal(0, ZcdpConversion.EpsilonFromRho(Rho.Zero, 1e-9));
    }

    [Property(MaxTest = 60)]
    public bool TheRoundTripNeverIncreasesEpsilon(int e, int d)
    {
        var (epsilon, delta) = Guarantee(e, d);
        var rho = ZcdpConversion.RhoFromApproxDp(new ApproxDp(epsilon, delta));
        return ZcdpConversion.EpsilonFromRho(rho, delta) <= epsilon;
    }

    [Property(MaxTest = 60)]
    public bool TheTightRhoIsAtLeastTheSimpleBoundRho(int e, int d)
    {
        var (epsilon, delta) = Guarantee(e, d);
        var guarantee = new ApproxDp(epsilon, delta);
        return ZcdpConversion.RhoFromApproxDp(guarantee) >= ZcdpConversion.RhoFromApproxDpSimple(guarantee)
            && ZcdpConversion.EpsilonFromRho(ZcdpConversion.RhoFromApproxDp(guarantee), delta)
               <= ZcdpConversion.EpsilonFromRhoSimple(ZcdpConversion.RhoFromApproxDp(guarantee), delta);
    }

    [Property(MaxTest = 40)]
    public bool RhoGrowsWithEpsilonAndWithDelta(int e, int d)
    {
        var (epsilon, delta) = Guarantee(e, d);
        var rho = ZcdpConversion.RhoFromApproxDp(new ApproxDp(epsilon, delta));
        return ZcdpConversion.RhoFromApproxDp(new ApproxDp(epsilon * 1.1, delta)) >= rho
            && ZcdpConversion.RhoFromApproxDp(new ApproxDp(epsilon, Math.Min(delta * 10, 0.5))) >= rho;
    }

    [Property(MaxTest = 40)]
    public bool EpsilonGrowsWithRhoAndFallsWithDelta(int r, int d)
    {
        var rho = Rho.FromDouble(Math.Pow(10, -5 + (Math.Abs(r % 1000) / 200.0))); // 1e-5 .. 1
        var delta = Math.Pow(10, -3 - Math.Abs(d % 10));
        var epsilon = ZcdpConversion.EpsilonFromRho(rho, delta);
        return ZcdpConversion.EpsilonFromRho(Rho.FromDouble(rho.Value.ToDouble() * 1.1), delta) >= epsilon
            && ZcdpConversion.EpsilonFromRho(rho, delta / 10) >= epsilon;
    }

    // epsilon in [0.01, 20] (log scale), delta in 1e-3 .. 1e-12.
    private static (double Epsilon, double Delta) Guarantee(int e, int d) =>
        (Math.Pow(10, -2 + (Math.Abs(e % 1000) * 3.3 / 1000)), Math.Pow(10, -3 - Math.Abs(d % 10)));

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(10.0)]
    public void ASubnormalRhoGivesTheConservativeDeltaNotNaN(double epsilon)
    {
        // rho = 4.9e-324 makes alpha infinite and the bound NaN; the answer must be the conservative delta = 1.
        foreach (var rho in new[] { double.Epsilon, double.Epsilon * 1000, 1e-310 })
        {
            var delta = ZcdpConversion.DeltaFromRho(Rho.FromDouble(rho), epsilon);
            Assert.False(double.IsNaN(delta));
            Assert.True(delta is > 0 and <= 1, $"delta {delta} at rho {rho}");
            Assert.False(double.IsNaN(ZcdpConversion.LogDeltaUpperBound(rho, epsilon)));
        }

        Assert.Equal(1, ZcdpConversion.DeltaFromRho(Rho.FromDouble(double.Epsilon), epsilon));
        Assert.False(double.IsNaN(ZcdpConversion.EpsilonFromRho(Rho.FromDouble(double.Epsilon), 1e-9)));
    }
}
