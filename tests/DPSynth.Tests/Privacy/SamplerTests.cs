using System.Numerics;
using DPSynth.Privacy;
using DPSynth.Privacy.Sampling;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Privacy;

/// <summary>
/// Statistical tests of the exact samplers against their exact pmfs, with real CSPRNG bits (no seed). Each test's
/// false-failure probability is at most 1e-6 per check (see <see cref="Statistics"/>).
/// </summary>
public sealed class SamplerTests
{
    private const int Samples = 300_000;

    /// <summary>Discrete Gaussian against exp(-x^2/(2 sigma^2)) normalized: chi-square, false failure &lt;= 1e-6.</summary>
    [Theory]
    [InlineData(1, 4)] // sigma = 0.5
    [InlineData(9, 1)] // sigma = 3
    [InlineData(2500, 1)] // sigma = 50
    [InlineData(1_000_000, 1)] // sigma = 1000
    [InlineData(1_000_001, 7)] // an awkward denominator
    public void DiscreteGaussianMatchesItsPmf(long numerator, long denominator)
    {
        var sigma2 = (double)numerator / denominator;
        var draws = DrawGaussian(new Rational(numerator, denominator), Samples);
        var limit = (long)(Math.Sqrt(sigma2) * 12) + 10;
        Statistics.AssertFits(draws, x => Math.Exp(-(double)x * x / (2 * sigma2)), -limit, limit);
    }

    /// <summary>Mean 0, the exact variance and fourth moment (z bound 5.5) and sign symmetry (Hoeffding): each &lt;= 1e-6.</summary>
    [Theory]
    [InlineData(1, 4)]
    [InlineData(9, 1)]
    [InlineData(2500, 1)]
    [InlineData(1_000_000, 1)]
    public void DiscreteGaussianHasTheRightMomentsAndIsSymmetric(long numerator, long denominator)
    {
        var sigma2 = (double)numerator / denominator;
        var draws = DrawGaussian(new Rational(numerator, denominator), Samples);
        var limit = (long)(Math.Sqrt(sigma2) * 12) + 10;
        var (second, fourth) = Statistics.Moments(x => Math.Exp(-(double)x * x / (2 * sigma2)), limit);
        Assert.True(second <= sigma2 * (1 + 1e-12), "the variance of the discrete Gaussian is at most sigma^2 (CKS20)");
        Statistics.AssertMean(draws, 0, second);
        Statistics.AssertVariance(draws, second, fourth);
        Statistics.AssertSymmetric(draws);
    }

    /// <summary>Discrete Laplace with scale t/s against exp(-|x| s/t): chi-square, false failure &lt;= 1e-6 each.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(7, 2)]
    [InlineData(1, 3)]
    [InlineData(50, 1)]
    [InlineData(1000, 1)]
    public void DiscreteLaplaceMatchesItsPmf(long t, long s)
    {
        var sampler = DiscreteLaplace.WithScale(new Rational(t, s));
        var bits = new CsprngBits();
        var draws = new long[Samples];
        sampler.AddTo(bits, draws);

        var rate = (double)s / t;
        var limit = (long)(40 / rate) + 10;
        Statistics.AssertFits(draws, x => Math.Exp(-Math.Abs(x) * rate), -limit, limit);
        var (second, _) = Statistics.Moments(x => Math.Exp(-Math.Abs(x) * rate), limit);
        Statistics.AssertMean(draws, 0, second);
        Statistics.AssertSymmetric(draws);
    }

    /// <summary>Bernoulli(exp(-gamma)) for rational gamma, including gamma &gt; 1: exact two-sided binomial test, false failure &lt;= 1e-6 each.</summary>
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    [InlineData(1, 1)]
    [InlineData(5, 2)]
    [InlineData(13, 4)]
    [InlineData(8, 1)]
    public void BernoulliExpMatchesExpMinusGamma(long numerator, long denominator)
    {
        var bits = new CsprngBits();
        const int n = 400_000;
        var gamma = new Rational(numerator, denominator);
        var ones = 0L;
        for (var i = 0; i < n; i++)
        {
            ones += BernoulliExp.Sample(bits, gamma) ? 1 : 0;
        }

        var p = Math.Exp(-(double)numerator / denominator);
        if (p == 1)
        {
            Assert.Equal(n, ones);
            return;
        }

        Statistics.AssertBinomial(ones, n, p);
    }

    /// <summary>Bernoulli(p) for rational p: exact two-sided binomial test, false failure &lt;= 1e-6.</summary>
    [Fact]
    public void BernoulliMatchesARationalProbability()
    {
        var bits = new CsprngBits();
        const int n = 300_000;
        var ones = 0L;
        for (var i = 0; i < n; i++)
        {
            ones += Bernoulli.Sample(bits, new Rational(3, 7)) ? 1 : 0;
        }

        Statistics.AssertBinomial(ones, n, 3.0 / 7);
    }

    /// <summary>
    /// Uniform below a large 32-bit bound, 0xAAAAAAAB (2^32 mod bound is a third of 2^32, so a wrong Lemire threshold
    /// shows): 20 bins, each value's tenth of the range split by parity, with their exact probabilities (a missing or
    /// short rejection gives about 2 : 1 odds between neighbouring values, which only the parity split sees; a coarse
    /// bias shows in the tenths). Chi-square, false failure &lt;= 1e-6 (see <see cref="Statistics.AssertBins"/>).
    /// </summary>
    [Fact]
    public void UniformBelowIsUniformForALarge32BitBound()
    {
        var bits = new CsprngBits();
        const int n = 200_000;
        const uint bound = 0xAAAAAAAB;
        var counts = new long[20];
        for (var i = 0; i < n; i++)
        {
            var x = UniformBelow.Sample(bits, bound);
            Assert.True(x < bound);
            counts[Bin(x)]++;
        }

        // Exact bin sizes: tenth t holds [ceil(t bound / 10), ceil((t + 1) bound / 10)); count its even and odd values.
        var expected = new double[20];
        for (var t = 0; t < 10; t++)
        {
            var start = (((ulong)t * bound) + 9) / 10;
            var end = (((ulong)(t + 1) * bound) + 9) / 10;
            var evens = ((end + 1) / 2) - ((start + 1) / 2);
            var odds = (end - start) - evens;
            expected[2 * t] = (double)n * evens / bound;
            expected[(2 * t) + 1] = (double)n * odds / bound;
        }

        Assert.Equal((double)n, expected.Sum(), 6);
        Statistics.AssertBins(counts, expected);

        static int Bin(uint x) => ((int)((ulong)x * 10 / bound) * 2) + (int)(x & 1);
    }

    /// <summary>Uniform below 64-bit, 128-bit and BigInteger bounds: 20 equal-width bins, chi-square, false failure &lt;= 1e-6 each.</summary>
    [Fact]
    public void UniformBelowIsUniformForEveryWidth()
    {
        var bits = new CsprngBits();
        const int n = 200_000;
        const int binCount = 20;
        var bound64 = (ulong.MaxValue / 3) * 2; // rejection matters: 2^64 mod bound is large
        var bound128 = (UInt128.One << 100) + 12345;
        var boundBig = (BigInteger.One << 200) / 3;
        var counts = new long[3][];
        for (var k = 0; k < 3; k++)
        {
            counts[k] = new long[binCount];
        }

        for (var i = 0; i < n; i++)
        {
            counts[0][(int)((BigInteger)UniformBelow.Sample(bits, bound64) * binCount / bound64)]++;
            counts[1][(int)((BigInteger)UniformBelow.Sample(bits, bound128) * binCount / (BigInteger)bound128)]++;
            counts[2][(int)(UniformBelow.Sample(bits, boundBig) * binCount / boundBig)]++;
        }

        var expected = Enumerable.Repeat((double)n / binCount, binCount).ToArray();
        Assert.All(counts, c => Statistics.AssertBins(c, expected));
    }

    [Fact]
    public void SmallBoundsNeverExceedTheBound()
    {
        var bits = new CsprngBits();
        for (ulong bound = 1; bound < 50; bound++)
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.True(UniformBelow.Sample(bits, bound) < bound);
            }
        }
    }

    [Fact]
    public void The128BitAndBigIntegerPathsDrawTheSameSamplesFromTheSameBits()
    {
        // The overflow fallback must not change the distribution: on identical bits both arithmetics agree exactly.
        var a = new InsecureSeededBits(42);
        var b = new InsecureSeededBits(42);
        for (var i = 0; i < 20_000; i++)
        {
            var gammaNumerator = (ulong)(i % 97);
            var gammaDenominator = (ulong)(i % 13) + 1;
            Assert.Equal(
                BernoulliExp.Sample(a, (UInt128)gammaNumerator, (UInt128)gammaDenominator),
                BernoulliExp.Sample(b, new BigInteger(gammaNumerator), new BigInteger(gammaDenominator)));
            Assert.Equal(
                DiscreteLaplace.SampleCore(a, (UInt128)5, (UInt128)2),
                ToNarrow(DiscreteLaplace.SampleCore(b, new BigInteger(5), new BigInteger(2))));
        }
    }

    [Fact]
    public void HugeParametersTakeTheBigIntegerPathAndStayExact()
    {
        // sigma^2 = 10^30 / 3: 2 N D t^2 does not fit the 128-bit fast path; the sample still has the right spread.
        var sampler = DiscreteGaussian.WithSigmaSquared(new Rational(BigInteger.Pow(10, 30), 3));
        var bits = new CsprngBits();
        var draws = Enumerable.Range(0, 2000).Select(_ => sampler.Sample(bits)).ToArray();
        var sigma = Math.Sqrt(1e30 / 3);
        Assert.All(draws, x => Assert.True(Math.Abs(x) < 8 * sigma));
        Assert.Contains(draws, x => Math.Abs(x) > sigma / 10);

        // exp(-10^45/7) is 0 to any precision; stopping at the first failed Bernoulli(exp(-1)) makes this fast.
        Assert.All(Enumerable.Range(0, 100), _ => Assert.False(BernoulliExp.Sample(bits, new Rational(BigInteger.Pow(10, 45), 7))));
    }

    [Fact]
    public void SeededBitsAreReproducibleAndMarkedInsecure()
    {
        var sampler = DiscreteGaussian.WithSigmaSquared(new Rational(100, 1));
        var first = new InsecureSeededBits(7);
        var second = new InsecureSeededBits(7);
        var one = Enumerable.Range(0, 100).Select(_ => sampler.Sample(first)).ToArray();
        var two = Enumerable.Range(0, 100).Select(_ => sampler.Sample(second)).ToArray();
        Assert.Equal(one, two);
        Assert.True(first.IsInsecure);
        Assert.False(new CsprngBits().IsInsecure);
    }

    [Fact]
    public void IntegerSquareRootIsTheFloor()
    {
        for (var x = 0; x < 5000; x++)
        {
            var r = DiscreteGaussian.IntegerSquareRoot(x);
            Assert.True(r * r <= x && (r + 1) * (r + 1) > x, $"isqrt({x}) = {r}");
        }

        var big = BigInteger.Pow(10, 41) + 17;
        var root = DiscreteGaussian.IntegerSquareRoot(big);
        Assert.True(root * root <= big && (root + 1) * (root + 1) > big);
    }

    private static long[] DrawGaussian(Rational sigma2, int count)
    {
        var sampler = DiscreteGaussian.WithSigmaSquared(sigma2);
        var values = new long[count];
        sampler.AddTo(new CsprngBits(), values);
        return values;
    }

    private static (bool, UInt128) ToNarrow((bool Negative, BigInteger Magnitude) wide) => (wide.Negative, (UInt128)wide.Magnitude);
}
