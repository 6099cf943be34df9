using System.Numerics;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// Exact discrete Gaussian sampler N_Z(0, sigma^2), pmf proportional to exp(-x^2 / (2 sigma^2)) on the integers, for a
/// rational scale parameter sigma^2 = N/D (Canonne, Kamath and Steinke 2020, Algorithm 3;
/// docs/privacy.md#discrete-gaussian). The variance is slightly below sigma^2.
/// </summary>
/// <remarks>
/// Arithmetic runs on <see cref="UInt128"/> with checked operations when the parameters fit, and on
/// <see cref="BigInteger"/> otherwise; a step whose numbers overflow 128 bits is redone exactly in BigInteger before any
/// randomness of that step is drawn, so the choice of path never changes the output distribution.
/// </remarks>
[Proof("discrete-gaussian")]
internal sealed class DiscreteGaussian
{
    private readonly bool fast;
    private readonly UInt128 n128;
    private readonly UInt128 dt128;
    private readonly UInt128 t128;
    private readonly UInt128 denominator128;
    private readonly BigInteger t;
    private readonly BigInteger dt;
    private readonly BigInteger denominator;

    private DiscreteGaussian(Rational sigmaSquared)
    {
        SigmaSquared = sigmaSquared;
        var n = sigmaSquared.Numerator;
        var d = sigmaSquared.Denominator;

        // t = floor(sigma) + 1 = isqrt(floor(N/D)) + 1. Any integer t >= 1 is exact; this one makes it fast.
        t = IntegerSquareRoot(n / d) + 1;
        dt = d * t;
        denominator = 2 * n * dt * t; // the exponent below is (|Y| D t - N)^2 / (2 N D t^2)
        fast = denominator <= UInt128.MaxValue;
        if (fast)
        {
            n128 = (UInt128)n;
            dt128 = (UInt128)dt;
            t128 = (UInt128)t;
            denominator128 = (UInt128)denominator;
        }
    }

    /// <summary>The scale parameter sigma^2.</summary>
    public Rational SigmaSquared { get; }

    /// <summary>The sampler for a positive rational sigma^2.</summary>
    public static DiscreteGaussian WithSigmaSquared(Rational sigmaSquared)
    {
        if (sigmaSquared.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigmaSquared), sigmaSquared, "sigma^2 must be positive.");
        }

        return new DiscreteGaussian(sigmaSquared);
    }

    /// <summary>One sample.</summary>
    public long Sample(IRandomBits bits)
    {
        if (fast)
        {
            while (true)
            {
                var (negative, y) = DiscreteLaplace.SampleCore(bits, t128, UInt128.One);
                if (Accept(bits, y))
                {
                    return negative ? -(long)y : (long)y;
                }
            }
        }

        while (true)
        {
            var (negative, y) = DiscreteLaplace.SampleCore(bits, t, BigInteger.One);
            if (AcceptWide(bits, y))
            {
                return negative ? -(long)y : (long)y;
            }
        }
    }

    /// <summary>Adds one independent sample to each value, with checked addition.</summary>
    public void AddTo(IRandomBits bits, Span<long> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = checked(values[i] + Sample(bits));
        }
    }

    /// <summary>floor(sqrt(x)) for x &gt;= 0, by Newton's method on integers.</summary>
    internal static BigInteger IntegerSquareRoot(BigInteger x)
    {
        if (x.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x));
        }

        if (x < 2)
        {
            return x;
        }

        var guess = BigInteger.One << (int)((x.GetBitLength() + 1) / 2); // >= sqrt(x)
        while (true)
        {
            var next = (guess + (x / guess)) / 2;
            if (next >= guess)
            {
                return guess;
            }

            guess = next;
        }
    }

    // CKS20 Algorithm 3, step C <- Bernoulli(exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2))). With sigma^2 = N/D the exponent
    // is the integer ratio (|Y| D t - N)^2 / (2 N D t^2) (privacy-details.md section 1, fast paths).
    private bool Accept(IRandomBits bits, UInt128 y)
    {
        UInt128 numerator;
        try
        {
            var scaled = checked(y * dt128);
            var difference = scaled >= n128 ? scaled - n128 : n128 - scaled;
            numerator = checked(difference * difference);
        }
        catch (OverflowException)
        {
            return AcceptWide(bits, (BigInteger)y);
        }

        return BernoulliExp.Sample(bits, numerator, denominator128);
    }

    private bool AcceptWide(IRandomBits bits, BigInteger y)
    {
        var difference = (y * dt) - SigmaSquared.Numerator;
        return BernoulliExp.Sample(bits, difference * difference, denominator);
    }
}
