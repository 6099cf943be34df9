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
    [InlineData(1e-10)]
    [InlineData(1e-12)]
    [InlineData(1e-14)]
    public void TheDeltaBoundIsAnUpperBoundWhereTheBestAlphaIsLarge(double rho)
    {
        // A small rho puts the best alpha at 1e4 .. 1e8, where alpha log(1 - 1/alpha) needs an accurate log1p. The bound
        // must not fall below the true log delta, which is at least f(a) - f'(a)^2 / (4 rho) for any a: f(alpha) =
        // (alpha - 1)(alpha rho - epsilon) + alpha log(1 - 1/alpha) - log(alpha - 1) has f'' = 2 rho + 1/(alpha (alpha - 1))
        // >= 2 rho. f is evaluated here with the series alpha log(1 - 1/alpha) = -sum_k 1/(k alpha^(k-1)), independent of
        // the code under test, to about 1e-13; the tolerance 1e-12 is ten times that.
        for (var j = 1; j <= 100; j++)
        {
            var epsilon = Math.Sqrt(rho) * j * 0.1;
            var lower = LogDeltaLowerBound(rho, epsilon);
            var bound = ZcdpConversion.LogDeltaUpperBound(rho, epsilon);
            Assert.True(bound >= lower - 1e-12, $"rho {rho}, epsilon {epsilon}: bound {bound:R} below the true log delta {lower:R}");
        }
    }

    // max(f(a) - f'(a)^2 / (4 rho), with a the minimiser found by bisection on f') for alpha >= 1000 (the series converges).
    private static double LogDeltaLowerBound(double rho, double epsilon)
    {
        static double Shape(double a)
        {
            double sum = 0, term = 1;
            for (var k = 1; k < 40; k++)
            {
                sum += term / k;
                term /= a;
            }

            return -sum;
        }

        double F(double a) => ((a - 1) * ((a * rho) - epsilon)) + Shape(a) - Math.Log(a - 1);
        double Derivative(double a) => (((2 * a) - 1) * rho) - epsilon + (Shape(a) / a);
        double low = 1000, high = ((epsilon + 1) / (2 * rho)) + 2;
        Assert.True(Derivative(low) < 0, "the best alpha must be above 1000 for the series");
        for (var i = 0; i < 3000; i++)
        {
            var middle = low + ((high - low) / 2);
            if (middle <= low || middle >= high)
            {
                break;
            }

            (low, high) = Derivative(middle) < 0 ? (middle, high) : (low, middle);
        }

        var best = low + ((high - low) / 2);
        var slope = Derivative(best);
        return Math.Min(0, F(best) - (slope * slope / (4 * rho)));
    }

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
