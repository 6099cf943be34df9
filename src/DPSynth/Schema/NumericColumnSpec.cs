using System.Globalization;

namespace DPSynth.Schema;

/// <summary>An integer or continuous column: values between <c>min</c> and <c>max</c>, mapped to the cells of a <see cref="Binning"/>.</summary>
public sealed class NumericColumnSpec : ColumnSpec
{
    /// <summary>Creates the column; the schema reader validates the parts first.</summary>
    internal NumericColumnSpec(string name, bool nullable, OutOfDomainAction onOutOfDomain, Binning binning, int? decimals = null)
        : base(name, nullable, onOutOfDomain)
    {
        Binning = binning;
        Decimals = decimals;
    }

    /// <summary>
    /// For a continuous column, how many decimals decoded values are written with (the <c>decimals</c> key), or null
    /// for full precision. Integers are always written as integers.
    /// </summary>
    public int? Decimals { get; }

    /// <inheritdoc />
    public override ColumnKind Kind => Binning.IsInteger ? ColumnKind.Integer : ColumnKind.Continuous;

    /// <summary>The declared bounds and cells.</summary>
    public Binning Binning { get; }

    /// <inheritdoc />
    public override int ValueCellCount => Binning.Count;

    /// <summary>
    /// The grammar of a continuous field: sign, digits, point, exponent, and no white space around it. White space is
    /// the field's own unless <c>csv: {trim: true}</c> removes it first, as for integers and dates.
    /// </summary>
    internal const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>2^53: every integer of at most this magnitude is a double exactly.</summary>
    private const long ExactIntegerLimit = 1L << 53;

    /// <inheritdoc />
    internal override FieldStatus EncodeValue(ReadOnlySpan<char> text, out int code)
    {
        code = -1;
        var status = ParseValue(text, out var value);
        return status == FieldStatus.Ok ? EncodeNumber(value, out code) : status;
    }

    /// <summary>
    /// Reads a (trimmed, non-missing) field as a value of this column, before its bounds are looked at: a finite number
    /// (an exact integer for an integer column), or why it is not one. The one grammar of the column's values, for its
    /// fields and for the literals of the schema's constraints alike.
    /// </summary>
    /// <remarks>
    /// A number the double cannot hold is refused, never rounded into the domain: an integer beyond 2^53 that is not a
    /// double (<c>9007199254740993</c> would become <c>9007199254740992</c>, inside a <c>max</c> it exceeds) and a
    /// nonzero number that underflows to 0 (<c>1.5e-400</c>) are <see cref="FieldStatus.Inexact"/>, and one that
    /// overflows to infinity (<c>1e400</c>), <c>NaN</c> or <c>Infinity</c> are <see cref="FieldStatus.Unparsable"/>.
    /// </remarks>
    internal FieldStatus ParseValue(ReadOnlySpan<char> text, out double value)
    {
        if (Binning.IsInteger)
        {
            var parsed = TryParseInteger(text, out var whole);
            value = whole;
            return !parsed ? FieldStatus.Unparsable : IsExactDouble(whole) ? FieldStatus.Ok : FieldStatus.Inexact;
        }

        if (!double.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            return FieldStatus.Unparsable;
        }

        return value == 0 && HasNonzeroMantissa(text) ? FieldStatus.Inexact : FieldStatus.Ok;
    }

    /// <summary>True when the double nearest <paramref name="value"/> is <paramref name="value"/> itself.</summary>
    internal static bool IsExactDouble(long value)
    {
        if (value is >= -ExactIntegerLimit and <= ExactIntegerLimit)
        {
            return true;
        }

        // Beyond 2^53 the conversion rounds; 2^63 (long.MaxValue rounded up) is no long, hence the first test.
        var nearest = (double)value;
        return nearest < 9223372036854775808.0 && (long)nearest == value;
    }

    /// <summary>
    /// True when a number's text (already parsed by <see cref="DecimalStyle"/>) has a nonzero digit before its exponent:
    /// it is not zero, whatever it parsed as.
    /// </summary>
    private static bool HasNonzeroMantissa(ReadOnlySpan<char> text)
    {
        var exponent = text.IndexOfAny('e', 'E');
        return (exponent < 0 ? text : text[..exponent]).IndexOfAnyInRange('1', '9') >= 0;
    }

    /// <summary>
    /// Maps a parsed value to its cell: not finite is unparsable; outside <c>[min, max]</c> is clamped or outside the
    /// domain. Integers arrive here as doubles, exact ones only (<see cref="EncodeValue"/>).
    /// </summary>
    internal FieldStatus EncodeNumber(double value, out int code)
    {
        code = -1;
        if (!double.IsFinite(value))
        {
            return FieldStatus.Unparsable;
        }

        var status = FieldStatus.Ok;
        if (value < Binning.Min || value > Binning.Max)
        {
            if (OnOutOfDomain != OutOfDomainAction.Clamp)
            {
                return FieldStatus.OutOfDomain;
            }

            value = Math.Clamp(value, Binning.Min, Binning.Max);
            status = FieldStatus.Clamped;
        }

        code = Binning.BinOf(value);
        return status;
    }

    /// <summary>
    /// <see cref="long.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider, out long)"/> with a leading sign, plus a
    /// fast path for plain digits: integers are most of a CSV's fields, and the general parser costs a third of encoding.
    /// </summary>
    internal static bool TryParseInteger(ReadOnlySpan<char> text, out long value)
    {
        // At most 18 digits cannot overflow a long.
        var negative = text.Length > 0 && text[0] == '-';
        var start = negative ? 1 : 0;
        if (text.Length > start && text.Length - start <= 18)
        {
            long magnitude = 0;
            var i = start;
            for (; i < text.Length; i++)
            {
                // Wraps below '0' on purpose so one comparison rejects every non-digit.
                var digit = unchecked((uint)(text[i] - '0'));
                if (digit > 9)
                {
                    break;
                }

                magnitude = (magnitude * 10) + digit;
            }

            if (i == text.Length)
            {
                value = negative ? -magnitude : magnitude;
                return true;
            }
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>An integer drawn uniformly inside bin <paramref name="code"/> (what <see cref="DecodeValue"/> formats for an integer column).</summary>
    internal long DrawInteger(int code, Random random) => (long)Binning.Draw(code, random);

    /// <inheritdoc />
    internal override string DecodeValue(int code, Random random)
    {
        if (Binning.IsInteger)
        {
            return DrawInteger(code, random).ToString(CultureInfo.InvariantCulture);
        }

        var value = Binning.Draw(code, random);

        // Rounded to the declared decimals, nudged by one step when rounding left the bin, so re-encoding a decoded value
        // always lands in the same bin; a bin narrower than one step keeps full precision ("R" keeps every bit).
        if (Decimals is { } d)
        {
            var step = Math.Pow(10, -d);
            var rounded = Math.Round(value, d, MidpointRounding.ToEven);
            foreach (var candidate in new[] { rounded, rounded + step, rounded - step })
            {
                var text = candidate.ToString("F" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                var parsed = double.Parse(text, CultureInfo.InvariantCulture);
                if (parsed >= Binning.Min && parsed <= Binning.Max && Binning.BinOf(parsed) == code)
                {
                    return text;
                }
            }
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}
