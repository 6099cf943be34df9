using System.Globalization;

namespace DPSynth.Schema;

/// <summary>
/// A date column: dates from <see cref="MinDate"/> to <see cref="MaxDate"/>, counted in units of <see cref="Granularity"/>,
/// with one cell per unit or <c>bins</c> equal-width bins of units. Text is read and written with <see cref="Format"/>.
/// </summary>
/// <remarks>Decoding draws a day uniformly among the bin's days that lie in <c>[MinDate, MaxDate]</c>.</remarks>
public sealed class DateColumnSpec : ColumnSpec
{
    /// <summary>Creates the column; the schema reader validates the parts and builds the binning over units.</summary>
    internal DateColumnSpec(
        string name,
        bool nullable,
        OutOfDomainAction onOutOfDomain,
        DateOnly minDate,
        DateOnly maxDate,
        DateGranularity granularity,
        string format,
        Binning binning)
        : base(name, nullable, onOutOfDomain)
    {
        MinDate = minDate;
        MaxDate = maxDate;
        Granularity = granularity;
        Format = format;
        Binning = binning;
    }

    /// <summary>The default text format (ISO 8601 calendar date).</summary>
    public const string DefaultFormat = "yyyy-MM-dd";

    /// <summary>The earliest date in the domain.</summary>
    public DateOnly MinDate { get; }

    /// <summary>The latest date in the domain.</summary>
    public DateOnly MaxDate { get; }

    /// <summary>The unit dates are counted in.</summary>
    public DateGranularity Granularity { get; }

    /// <summary>The exact text format (.NET custom date format, invariant culture).</summary>
    public string Format { get; }

    /// <summary>The cells, over unit numbers (<see cref="UnitOf"/>).</summary>
    public Binning Binning { get; }

    /// <inheritdoc />
    public override ColumnKind Kind => ColumnKind.Date;

    /// <inheritdoc />
    public override int ValueCellCount => Binning.Count;

    /// <summary>The unit number of a date: its day number, <c>year * 12 + month - 1</c>, or its year.</summary>
    public static long UnitOf(DateOnly date, DateGranularity granularity) => granularity switch
    {
        DateGranularity.Day => date.DayNumber,
        DateGranularity.Month => (date.Year * 12L) + date.Month - 1,
        _ => date.Year,
    };

    /// <inheritdoc />
    internal override FieldStatus EncodeValue(ReadOnlySpan<char> text, out int code)
    {
        code = -1;
        if (!TryParseDate(text, out var date))
        {
            return FieldStatus.Unparsable;
        }

        var status = FieldStatus.Ok;
        if (date < MinDate || date > MaxDate)
        {
            if (OnOutOfDomain != OutOfDomainAction.Clamp)
            {
                return FieldStatus.OutOfDomain;
            }

            date = date < MinDate ? MinDate : MaxDate;
            status = FieldStatus.Clamped;
        }

        code = Binning.BinOf(UnitOf(date, Granularity));
        return status;
    }

    /// <summary>
    /// Reads a (trimmed, non-missing) field as a date of this column: exactly <see cref="Format"/>, a real day. The one
    /// grammar of the column's values, for its fields and for the literals of the schema's constraints alike.
    /// </summary>
    internal bool TryParseDate(ReadOnlySpan<char> text, out DateOnly date) =>
        DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <inheritdoc />
    internal override string DecodeValue(int code, Random random) =>
        DrawDay(code, random).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>A day drawn uniformly inside cell <paramref name="code"/> (what <see cref="DecodeValue"/> formats).</summary>
    internal DateOnly DrawDay(int code, Random random)
    {
        var (first, last) = DayRange(code);
        return DateOnly.FromDayNumber(random.Next(first.DayNumber, last.DayNumber + 1));
    }

    /// <summary>The first and last day of cell <paramref name="code"/>, inside <c>[MinDate, MaxDate]</c>.</summary>
    internal (DateOnly First, DateOnly Last) DayRange(int code) =>
        (Max(FirstDay((long)Binning.Lower(code)), MinDate), Min(LastDay((long)Binning.Upper(code)), MaxDate));

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private DateOnly FirstDay(long unit) => Granularity switch
    {
        DateGranularity.Day => DateOnly.FromDayNumber((int)unit),
        DateGranularity.Month => new DateOnly((int)(unit / 12), (int)(unit % 12) + 1, 1),
        _ => new DateOnly((int)unit, 1, 1),
    };

    private DateOnly LastDay(long unit)
    {
        switch (Granularity)
        {
            case DateGranularity.Day:
                return DateOnly.FromDayNumber((int)unit);
            case DateGranularity.Month:
                var year = (int)(unit / 12);
                var month = (int)(unit % 12) + 1;
                return new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            default:
                return new DateOnly((int)unit, 12, 31);
        }
    }
}
