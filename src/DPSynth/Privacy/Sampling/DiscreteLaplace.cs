using System.Numerics;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// Exact discrete Laplace sampler, pmf proportional to exp(-|x| s/t) on the integers, for a rational scale t/s
/// (Canonne, Kamath and Steinke 2020, Algorithm 2; docs/privacy.md#discrete-laplace).
/// </summary>
[Proof("discrete-laplace")]
internal sealed class DiscreteLaplace
{
    private readonly bool fast;
    private readonly UInt128 t128;
    private readonly UInt128 s128;

    private DiscreteLaplace(Rational scale)
    {
        Scale = scale;
        fast = scale.Numerator <= ulong.MaxValue && scale.Denominator <= ulong.MaxValue;
        if (fast)
        {
            t128 = (UInt128)scale.Numerator;
            s128 = (UInt128)scale.Denominator;
        }
    }

    /// <summary>The scale t/s (in lowest terms, so t and s are the integers of Algorithm 2).</summary>
    public Rational Scale { get; }

    /// <summary>The sampler for a positive rational scale.</summary>
    public static DiscreteLaplace WithScale(Rational scale)
    {
        if (scale.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive.");
        }

        return new DiscreteLaplace(scale);
    }

    /// <summary>One sample.</summary>
    /// <exception cref="OverflowException">The sample does not fit in a long (probability below exp(-2^62 s/t)).</exception>
    public long Sample(IRandomBits bits)
    {
        if (fast)
        {
            var (negative, magnitude) = SampleCore(bits, t128, s128);
            return negative ? -(long)magnitude : (long)magnitude;
        }
        else
        {
            var (negative, magnitude) = SampleCore(bits, Scale.Numerator, Scale.Denominator);
            return negative ? -(long)magnitude : (long)magnitude;
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

    /// <summary>
    /// CKS20 Algorithm 2 for integers t, s &gt;= 1, returned as sign and magnitude:
    /// loop { U &lt;- uniform{0..t-1}; if Bernoulli(exp(-U/t)) = 0 restart; V &lt;- 0; while Bernoulli(exp(-1)) = 1: V++;
    /// X &lt;- U + t V; Y &lt;- floor(X/s); B &lt;- Bernoulli(1/2); if B = 1 and Y = 0 restart; return (1-2B) Y }.
    /// </summary>
    public static (bool Negative, T Magnitude) SampleCore<T>(IRandomBits bits, T t, T s)
        where T : IBinaryInteger<T>
    {
        while (true)
        {
            var u = UniformBelow.Sample(bits, t);
            if (!BernoulliExp.SampleAtMostOne(bits, u, t))
            {
                continue;
            }

            // V is geometric, P(V = v) proportional to exp(-v); with U accepted with probability exp(-U/t), X = U + tV has
            // P(X = x) proportional to exp(-u/t) exp(-v) = exp(-x/t): geometric with ratio exp(-1/t).
            var v = T.Zero;
            while (BernoulliExp.SampleExpMinusOne(bits))
            {
                v++;
            }

            var y = checked(u + (t * v)) / s;
            var negative = bits.NextBit();

            // Without this restart 0 would be drawn with both signs and counted twice (privacy-details.md section 1).
            if (negative && T.IsZero(y))
            {
                continue;
            }

            return (negative, y);
        }
    }
}
