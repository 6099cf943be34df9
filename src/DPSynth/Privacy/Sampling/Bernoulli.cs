using System.Numerics;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// Exact Bernoulli(p) for a rational p (privacy-details.md section 1): D uniform below the denominator, D &lt; numerator.
/// </summary>
internal static class Bernoulli
{
    /// <summary>Bernoulli(<paramref name="p"/>) for a rational p in [0, 1].</summary>
    public static bool Sample(IRandomBits bits, Rational p)
    {
        if (p.Sign < 0 || p > Rational.One)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in [0, 1].");
        }

        return Sample(bits, p.Numerator, p.Denominator);
    }

    /// <summary>Bernoulli(<paramref name="numerator"/> / <paramref name="denominator"/>), 0 &lt;= numerator &lt;= denominator.</summary>
    public static bool Sample<T>(IRandomBits bits, T numerator, T denominator)
        where T : IBinaryInteger<T> =>
        UniformBelow.Sample(bits, denominator) < numerator;

    /// <summary>
    /// Bernoulli(<paramref name="numerator"/> / (<paramref name="denominator"/> * <paramref name="k"/>)), the step
    /// A &lt;- Bernoulli(gamma / K) of CKS20 Algorithm 1. The product is formed in <typeparamref name="T"/> with checked
    /// arithmetic; if it overflows, the same exact draw is made over <see cref="BigInteger"/>. Which path runs depends
    /// only on the current parameters, and both are exact, so the output distribution is the same.
    /// </summary>
    public static bool SampleOverMultiple<T>(IRandomBits bits, T numerator, T denominator, ulong k)
        where T : IBinaryInteger<T>
    {
        if (TryMultiply(denominator, T.CreateChecked(k), out var product))
        {
            return UniformBelow.Sample(bits, product) < numerator;
        }

        var wide = BigInteger.CreateChecked(denominator) * k;
        return UniformBelow.Sample(bits, wide) < BigInteger.CreateChecked(numerator);
    }

    /// <summary>The checked product, or false when it does not fit in <typeparamref name="T"/>.</summary>
    internal static bool TryMultiply<T>(T left, T right, out T product)
        where T : IBinaryInteger<T>
    {
        try
        {
            product = checked(left * right);
            return true;
        }
        catch (OverflowException)
        {
            product = T.Zero;
            return false;
        }
    }
}
