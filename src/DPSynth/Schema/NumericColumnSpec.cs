using System.Globalization;

namespace DPSynth.Schema;

/// <summary>An integer or continuous column: values between <c>min</c> and <c>max</c>, mapped to the cells of a <see cref="Binning"/>.</summary>
public sealed class NumericColumnSpec : ColumnSpec
{
    /// <summary>Creates the column; the schema reader validates the parts first.</summary>
    internal NumericColumnSpec(string name, bool nullable, OutOfDomainAction onOutOfDomain, Binning binning)
        : base(name, nullable, onOutOfDomain)
    {
        Binning = binning;
    }

    /// <inheritdoc />
    public override ColumnKind Kind => Binning.IsInteger ? ColumnKind.Integer : ColumnKind.Continuous;

    /// <summary>The declared bounds and cells.</summary>
    public Binning Binning { get; }

    /// <inheritdoc />
    public override int ValueCellCount => Binning.Count;

    /// <inheritdoc />
    internal override FieldStatus EncodeValue(ReadOnlySpan<char> text, out int code)
    {
        code = -1;
        double value;
        if (Binning.IsInteger)
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            {
                return FieldStatus.Unparsable;
            }

            value = whole;
        }
        else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
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

    /// <inheritdoc />
    internal override string DecodeValue(int code, Random random)
    {
        var value = Binning.Draw(code, random);

        // "R" keeps every bit, so re-encoding a decoded value lands in the same bin.
        return Binning.IsInteger
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
    }
}
