using System.Numerics;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// Exact Bernoulli(exp(-gamma)) for a rational gamma &gt;= 0, after Canonne, Kamath and Steinke (2020), Algorithm 1
/// (von Neumann's method), extended to gamma &gt; 1 by repetition (docs/privacy.md#bernoulli-exp).
/// </summary>
[Proof("bernoulli-exp")]
internal static class BernoulliExp
{
    /// <summary>Bernoulli(exp(-<paramref name="gamma"/>)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">gamma is negative.</exception>
    public static bool Sample(IRandomBits bits, Rational gamma)
    {
        if (gamma.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be >= 0.");
        }

        if (gamma.Numerator <= UInt128.MaxValue && gamma.Denominator <= UInt128.MaxValue)
        {
            return Sample(bits, (UInt128)gamma.Numerator, (UInt128)gamma.Denominator);
        }

        return Sample(bits, gamma.Numerator, gamma.Denominator);
    }

    /// <summary>
    /// Bernoulli(exp(-<paramref name="numerator"/>/<paramref name="denominator"/>)), numerator &gt;= 0, denominator &gt; 0.
    /// </summary>
    /// <remarks>
    /// exp(-gamma) = exp(-1)^floor(gamma) * exp(-(gamma - floor(gamma))): draw floor(gamma) Bernoulli(exp(-1)) and stop
    /// at the first failure (CKS20 section 5.1), then one Bernoulli(exp(-frac)). Stopping early keeps the expected
    /// cost O(1) for any gamma, which the exponential mechanism needs.
    /// </remarks>
    public static bool Sample<T>(IRandomBits bits, T numerator, T denominator)
        where T : IBinaryInteger<T>
    {
        if (T.IsNegative(numerator) || !T.IsPositive(denominator) || T.IsZero(denominator))
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), "gamma must be a ratio n/d with n >= 0 and d > 0.");
        }

        var (whole, rest) = T.DivRem(numerator, denominator);
        for (var i = T.Zero; i < whole; i++)
        {
            if (!SampleExpMinusOne(bits))
            {
                return false;
            }
        }

        return SampleAtMostOne(bits, rest, denominator);
    }

    /// <summary>
    /// CKS20 Algorithm 1 for gamma = <paramref name="numerator"/>/<paramref name="denominator"/> in [0, 1]:
    /// K &lt;- 1; loop { A &lt;- Bernoulli(gamma/K); if A = 0 break; K &lt;- K+1 }; return K odd.
    /// Callers guarantee 0 &lt;= numerator &lt;= denominator (a remainder, or U &lt; t in Algorithm 2).
    /// </summary>
    public static bool SampleAtMostOne<T>(IRandomBits bits, T numerator, T denominator)
        where T : IBinaryInteger<T>
    {
        ulong k = 1;
        while (Bernoulli.SampleOverMultiple(bits, numerator, denominator, k))
        {
            k++;
        }

        return (k & 1) == 1;
    }

    /// <summary>Algorithm 1 at gamma = 1: Bernoulli(1/K) is "uniform below K is 0".</summary>
    public static bool SampleExpMinusOne(IRandomBits bits)
    {
        ulong k = 1;
        while (UniformBelow.Sample(bits, k) == 0)
        {
            k++;
        }

        return (k & 1) == 1;
    }
}
