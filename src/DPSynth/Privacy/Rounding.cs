using System.Numerics;

namespace DPSynth.Privacy;

/// <summary>
/// Rounding with a stated direction, for every place where a privacy quantity changes representation
/// (OpenDP's <c>inf_cast</c>/<c>inf_add</c>): sigma squared and charges round up, epsilon rounds down
/// (docs/privacy.md#rounding).
/// </summary>
[Proof("rounding")]
public static class Rounding
{
    /// <summary>The smallest multiple of 2^-<paramref name="log2Denominator"/> that is at least <paramref name="value"/>.</summary>
    public static Rational UpToGrid(Rational value, int log2Denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(log2Denominator);
        var scale = BigInteger.One << log2Denominator;
        return new Rational((value * new Rational(scale, 1)).Ceiling(), scale);
    }

    /// <summary>The largest multiple of 2^-<paramref name="log2Denominator"/> that is at most <paramref name="value"/>.</summary>
    public static Rational DownToGrid(Rational value, int log2Denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(log2Denominator);
        var scale = BigInteger.One << log2Denominator;
        return new Rational((value * new Rational(scale, 1)).Floor(), scale);
    }

    /// <summary>The smallest double that is at least <paramref name="value"/> (for charges stored as doubles).</summary>
    public static double ToDoubleUp(Rational value)
    {
        var d = ToDoubleNearest(value);
        while (Rational.FromDouble(d) < value)
        {
            d = Math.BitIncrement(d);
        }

        return d;
    }

    /// <summary>The largest double that is at most <paramref name="value"/>.</summary>
    public static double ToDoubleDown(Rational value)
    {
        var d = ToDoubleNearest(value);
        while (Rational.FromDouble(d) > value)
        {
            d = Math.BitDecrement(d);
        }

        return d;
    }

    /// <summary>A double within one unit in the last place of <paramref name="value"/> (display only: no direction).</summary>
    public static double ToDoubleNearest(Rational value)
    {
        if (value.Sign == 0)
        {
            return 0;
        }

        // Scale so the integer quotient carries about 64 significant bits, then scale back by a power of two.
        var numerator = BigInteger.Abs(value.Numerator);
        var shift = (int)(value.Denominator.GetBitLength() - numerator.GetBitLength()) + 64;
        var quotient = shift >= 0 ? (numerator << shift) / value.Denominator : numerator / (value.Denominator << -shift);
        var magnitude = Math.ScaleB((double)quotient, -shift);
        return value.Sign < 0 ? -magnitude : magnitude;
    }

    /// <summary>
    /// Moves a floating-point result <paramref name="ulps"/> representable steps up: an upper bound on the exact value
    /// when the operations that produced it had at most that many units of error in the last place.
    /// </summary>
    public static double Up(double value, int ulps = 1)
    {
        for (var i = 0; i < ulps; i++)
        {
            value = Math.BitIncrement(value);
        }

        return value;
    }

    /// <summary>Moves a floating-point result <paramref name="ulps"/> representable steps down (see <see cref="Up"/>).</summary>
    public static double Down(double value, int ulps = 1)
    {
        for (var i = 0; i < ulps; i++)
        {
            value = Math.BitDecrement(value);
        }

        return value;
    }
}
