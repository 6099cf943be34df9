namespace DPSynth.Privacy;

/// <summary>
/// A zero-concentrated DP parameter rho (Bun and Steinke 2016), held as an exact non-negative rational so that adding
/// charges never rounds. A type of its own so an epsilon is never passed where a rho belongs.
/// </summary>
public readonly record struct Rho : IComparable<Rho>
{
    /// <summary>Creates a rho from an exact rational.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public Rho(Rational value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "rho must be non-negative.");
        }

        Value = value;
    }

    /// <summary>No privacy loss.</summary>
    public static Rho Zero => default;

    /// <summary>The exact value.</summary>
    public Rational Value { get; }

    /// <summary>The exact value of a non-negative finite double (a double is a dyadic rational: nothing is rounded).</summary>
    public static Rho FromDouble(double value) => new(Rational.FromDouble(value));

    /// <summary>The tight conversion of an (epsilon, delta) guarantee (see <see cref="ZcdpConversion.RhoFromApproxDp"/>).</summary>
    public static Rho FromApproxDp(ApproxDp guarantee) => ZcdpConversion.RhoFromApproxDp(guarantee);

    /// <summary>Composition: zCDP costs add (Bun and Steinke 2016; for adaptively chosen costs see docs/privacy.md#accountant).</summary>
    public static Rho operator +(Rho left, Rho right) => new(left.Value + right.Value);

    /// <summary>Exact comparison.</summary>
    public static bool operator <(Rho left, Rho right) => left.Value < right.Value;

    /// <summary>Exact comparison.</summary>
    public static bool operator >(Rho left, Rho right) => left.Value > right.Value;

    /// <summary>Exact comparison.</summary>
    public static bool operator <=(Rho left, Rho right) => left.Value <= right.Value;

    /// <summary>Exact comparison.</summary>
    public static bool operator >=(Rho left, Rho right) => left.Value >= right.Value;

    /// <summary>The smallest double not below this rho (what a ledger or manifest stores: never an under-charge).</summary>
    public double ToDoubleUp() => Rounding.ToDoubleUp(Value);

    /// <inheritdoc />
    public int CompareTo(Rho other) => Value.CompareTo(other.Value);

    /// <summary>The value, rounded up to a double, in round-trip form.</summary>
    public override string ToString() => ToDoubleUp().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
