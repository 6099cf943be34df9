using System.Globalization;
using System.Numerics;

namespace DPSynth.Privacy;

/// <summary>
/// An exact rational number: a <see cref="BigInteger"/> numerator over a positive denominator, always in lowest terms,
/// so equal values have equal representations. Every privacy parameter (sigma squared, epsilon, rho) is one.
/// </summary>
/// <remarks>Floating-point noise parameters break differential privacy (Mironov 2012); see docs/privacy.md#rounding.</remarks>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    private readonly BigInteger denominatorMinusOne;

    /// <summary>Creates <paramref name="numerator"/>/<paramref name="denominator"/>, reduced to lowest terms.</summary>
    /// <exception cref="DivideByZeroException">The denominator is zero.</exception>
    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("A rational number needs a non-zero denominator.");
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne && !gcd.IsZero)
        {
            numerator /= gcd;
            denominator /= gcd;
        }

        Numerator = numerator;
        // Stored minus one so that default(Rational) is 0/1, a valid value.
        denominatorMinusOne = denominator - 1;
    }

    /// <summary>Zero.</summary>
    public static Rational Zero => default;

    /// <summary>One.</summary>
    public static Rational One => new(1, 1);

    /// <summary>The numerator (carries the sign).</summary>
    public BigInteger Numerator { get; }

    /// <summary>The denominator, always positive.</summary>
    public BigInteger Denominator => denominatorMinusOne + 1;

    /// <summary>The sign: -1, 0 or 1.</summary>
    public int Sign => Numerator.Sign;

    /// <summary>The integer <paramref name="value"/> as a rational.</summary>
    public static implicit operator Rational(long value) => new(value, 1);

    /// <summary>The exact value of a finite double (every double is a dyadic rational, so nothing is rounded).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static Rational FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A rational must be finite.");
        }

        if (value == 0)
        {
            return Zero;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1; // subnormal
        }
        else
        {
            mantissa |= 1L << 52;
        }

        // value = mantissa * 2^(exponent - 1075)
        var shift = exponent - 1075;
        BigInteger numerator = negative ? -mantissa : mantissa;
        return shift >= 0
            ? new Rational(numerator << shift, 1)
            : new Rational(numerator, BigInteger.One << -shift);
    }

    /// <summary>
    /// Parses decimal text exactly (no double in between): an optional sign, digits with an optional decimal point, and
    /// an optional exponent (<c>e</c> or <c>E</c>, at most 4,000 in magnitude), in the invariant culture.
    /// "0.3" is exactly 3/10.
    /// </summary>
    /// <param name="text">The text, e.g. <c>0.3</c>, <c>-12.5e-3</c> or <c>1E6</c>; surrounding white space is allowed.</param>
    /// <param name="value">The exact value, or zero when the text is not a decimal number.</param>
    /// <returns>True when the text is a decimal number.</returns>
    public static bool TryParseDecimal(string? text, out Rational value)
    {
        value = Zero;
        var s = text.AsSpan().Trim();
        var negative = false;
        if (!s.IsEmpty && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        var exponentAt = s.IndexOfAny('e', 'E');
        var exponent = 0;
        if (exponentAt >= 0)
        {
            if (!int.TryParse(s[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                || Math.Abs(exponent) > 4000)
            {
                return false;
            }

            s = s[..exponentAt];
        }

        var point = s.IndexOf('.');
        var whole = point >= 0 ? s[..point] : s;
        var fraction = point >= 0 ? s[(point + 1)..] : [];
        if (whole.IsEmpty && fraction.IsEmpty)
        {
            return false;
        }

        var digits = BigInteger.Zero;
        foreach (var part in new[] { whole.ToString(), fraction.ToString() })
        {
            foreach (var c in part)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }

                digits = (digits * 10) + (c - '0');
            }
        }

        var scale = exponent - fraction.Length;
        var numerator = negative ? -digits : digits;
        value = scale >= 0
            ? new Rational(numerator * BigInteger.Pow(10, scale), 1)
            : new Rational(numerator, BigInteger.Pow(10, -scale));
        return true;
    }

    /// <summary>The largest integer not above this value.</summary>
    public BigInteger Floor()
    {
        var quotient = BigInteger.DivRem(Numerator, Denominator, out var remainder);
        return remainder.Sign < 0 ? quotient - 1 : quotient;
    }

    /// <summary>The smallest integer not below this value.</summary>
    public BigInteger Ceiling() => -(-this).Floor();

    /// <summary>The nearest double (for display and logs only; use <see cref="Rounding"/> where a direction matters).</summary>
    public double ToDouble() => Rounding.ToDoubleNearest(this);

    /// <summary>Negation.</summary>
    public static Rational operator -(Rational value) => new(-value.Numerator, value.Denominator);

    /// <summary>Exact sum.</summary>
    public static Rational operator +(Rational left, Rational right) =>
        new(left.Numerator * right.Denominator + right.Numerator * left.Denominator, left.Denominator * right.Denominator);

    /// <summary>Exact difference.</summary>
    public static Rational operator -(Rational left, Rational right) => left + -right;

    /// <summary>Exact product.</summary>
    public static Rational operator *(Rational left, Rational right) =>
        new(left.Numerator * right.Numerator, left.Denominator * right.Denominator);

    /// <summary>Exact quotient.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="right"/> is zero.</exception>
    public static Rational operator /(Rational left, Rational right) =>
        new(left.Numerator * right.Denominator, left.Denominator * right.Numerator);

    /// <summary>Exact comparison.</summary>
    public static bool operator <(Rational left, Rational right) => left.CompareTo(right) < 0;

    /// <summary>Exact comparison.</summary>
    public static bool operator >(Rational left, Rational right) => left.CompareTo(right) > 0;

    /// <summary>Exact comparison.</summary>
    public static bool operator <=(Rational left, Rational right) => left.CompareTo(right) <= 0;

    /// <summary>Exact comparison.</summary>
    public static bool operator >=(Rational left, Rational right) => left.CompareTo(right) >= 0;

    /// <summary>Exact equality.</summary>
    public static bool operator ==(Rational left, Rational right) => left.Equals(right);

    /// <summary>Exact inequality.</summary>
    public static bool operator !=(Rational left, Rational right) => !left.Equals(right);

    /// <inheritdoc />
    public int CompareTo(Rational other) =>
        (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <inheritdoc />
    public bool Equals(Rational other) =>
        Numerator == other.Numerator && denominatorMinusOne == other.denominatorMinusOne;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Rational other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Numerator, denominatorMinusOne);

    /// <summary>Formats as <c>numerator/denominator</c> (or just the numerator for an integer); exact.</summary>
    public override string ToString() => Denominator.IsOne
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
