using System.Globalization;
using System.Numerics;
using System.Text;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Marginals.Sql;

/// <summary>
/// One schema column's encoding written as SQL, in three layers so no expression is repeated: the field (canonical
/// text, trimmed; or a double), the parse (missing flag, range key, value), and the code. The code is the in-memory
/// encoder's (<see cref="RowEncoder"/>) for every field, or -1 when the row is dropped and -2 when it is a bad row.
/// </summary>
/// <remarks>
/// Each rule mirrors a .NET one exactly: integers are <c>[+-]?[0-9]+</c> within a long (<c>long.TryParse</c> with a
/// leading sign) that a double holds exactly, then a double; continuous text is
/// <see cref="NumericColumnSpec.DecimalStyle"/>'s grammar (sign, digits, point, exponent; no white space) cast by the
/// engine, which rounds correctly as .NET does, and a nonzero number that rounds to 0 is a bad row; dates are exactly
/// <c>yyyy-MM-dd</c> with a real day; booleans match every spelling that <c>OrdinalIgnoreCase</c> accepts, listed
/// out; categories match ordinally. Where a rule has no exact SQL form the column is refused
/// (<see cref="SqlEncodingException"/>), never approximated.
/// </remarks>
internal sealed class SqlColumnCodes
{
    /// <summary>The row is dropped (on_out_of_domain: drop).</summary>
    public const int Dropped = -1;

    /// <summary>The row is a bad row (unparsable, or outside the domain and not mapped).</summary>
    public const int Bad = -2;

    /// <summary>At most this many literals for a boolean column's case-insensitive spellings.</summary>
    private const int MaxSpellings = 4096;

    private const string DecimalNumber = "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?";

    /// <summary>A <see cref="DecimalNumber"/> whose digits before the exponent are all zeros: zero, however written.</summary>
    private const string ZeroNumber = "[+-]?[0.]*([eE][+-]?[0-9]+)?";

    /// <summary>The characters <c>char.IsWhiteSpace</c> accepts: what <c>ReadOnlySpan.Trim()</c> removes.</summary>
    private static readonly string UnicodeWhite =
        string.Concat(Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i).Where(char.IsWhiteSpace));

    private readonly SqlDialect dialect;
    private readonly TableSchema schema;
    private readonly ColumnSpec spec;
    private readonly int index;
    private readonly string sourceName;

    /// <summary>The layers of column <paramref name="index"/>, read from source column <paramref name="source"/>.</summary>
    /// <exception cref="SqlEncodingException">The column's rules have no exact SQL form.</exception>
    public SqlColumnCodes(SqlDialect dialect, TableSchema schema, int index, string source, SourceColumnType type)
    {
        this.dialect = dialect;
        this.schema = schema;
        this.index = index;
        spec = schema.Columns[index];
        sourceName = dialect.Name;
        Field = FieldExpression(SqlDialect.Identifier(source), type);
        (Parsed, Code) = spec switch
        {
            CategoricalColumnSpec categorical => Categorical(categorical),
            DateColumnSpec date => Date(date),
            NumericColumnSpec numeric => Numeric(numeric, type),
            _ => throw new InvalidOperationException($"No SQL encoding for {spec.GetType().Name}."),
        };
    }

    /// <summary>Layer 1: the field as <c>f{i}</c>.</summary>
    public string Field { get; }

    /// <summary>Layer 2: the parse, as items over <c>f{i}</c>.</summary>
    public IReadOnlyList<string> Parsed { get; }

    /// <summary>Layer 3: the code over the parse items, as <c>c{i}</c>.</summary>
    public string Code { get; }

    private string F => Alias("f");

    private string Alias(string prefix) => prefix + index.ToString(CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// An integer column read from a typed integer column: the field stays a number (no text, no pattern). The in-memory
    /// readers take the value's canonical decimal text, which is trimmed already, parses as the same long when it fits
    /// one and is a bad row when it does not (an unsigned value above long.MaxValue), and is missing exactly when it is a
    /// missing token: <see cref="IntegerTokens"/>.
    /// </summary>
    private bool TypedInteger(SourceColumnType type) =>
        type == SourceColumnType.Integer && spec is NumericColumnSpec { Binning.IsInteger: true };

    /// <summary>
    /// The missing tokens that are some integer's canonical decimal text (the only ones a typed integer's text can equal);
    /// a column's text is compared with them only when there are any.
    /// </summary>
    private IEnumerable<string> IntegerTokens() => schema.MissingTokens
        .Where(t => BigInteger.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                    && v.ToString(CultureInfo.InvariantCulture) == t)
        .Distinct(StringComparer.Ordinal);

    private string FieldExpression(string column, SourceColumnType type)
    {
        if (type == SourceColumnType.Floating)
        {
            return $"{dialect.ToDouble(column)} AS {F}";
        }

        if (TypedInteger(type))
        {
            return $"{column} AS {F}";
        }

        var text = type == SourceColumnType.Text ? column : dialect.ToText(column);
        return $"{(schema.Csv.Trim ? dialect.Trim(text, UnicodeWhite) : text)} AS {F}";
    }

    /// <summary>True for a null or a missing token.</summary>
    private string IsMissing(bool textual)
    {
        if (!textual || schema.MissingTokens.IsEmpty)
        {
            return $"{F} IS NULL";
        }

        return $"({F} IS NULL OR {F} IN ({string.Join(", ", schema.MissingTokens.Select(Literal))}))";
    }

    /// <summary>The code of a value outside the domain: the other cell, a dropped row or a bad row.</summary>
    private int OutOfDomain() =>
        spec.HasOtherCell ? spec.OtherCode : spec.OnOutOfDomain == OutOfDomainAction.Drop ? Dropped : Bad;

    private int MissingOutcome() => spec.Nullable ? spec.MissingCode : OutOfDomain();

    private string Literal(string value) =>
        value.Contains('\0', StringComparison.Ordinal) ? throw Refuse(Messages.SqlNulWhy) : SqlDialect.Text(value);

    private SqlEncodingException Refuse(string why) => new(Messages.SqlRuleNotExpressible(sourceName, spec.Name, why));

    private (IReadOnlyList<string>, string) Categorical(CategoricalColumnSpec column)
    {
        var sql = new StringBuilder();
        sql.Append($"CASE WHEN {IsMissing(true)} THEN {Int(MissingOutcome())} ELSE CASE {F}");
        var keys = column.Categories.Select((c, i) => (c, i)).Concat(column.Aliases.Select(a => (a.Key, column.Categories.IndexOf(a.Value))));
        var spellings = keys.SelectMany(k => (column.IsBoolean ? Spellings(k.Item1) : [k.Item1]).Select(s => (s, k.Item2))).ToList();
        if (spellings.Count > MaxSpellings)
        {
            throw Refuse(Messages.SqlBooleanSpellingsWhy(spellings.Count));
        }

        foreach (var (text, code) in spellings)
        {
            sql.Append($" WHEN {Literal(text)} THEN {Int(code)}");
        }

        sql.Append($" ELSE {Int(OutOfDomain())} END END AS {Alias("p")}");
        return ([sql.ToString()], $"{Alias("p")} AS {Alias("c")}");
    }

    /// <summary>Every string equal to <paramref name="key"/> under <c>OrdinalIgnoreCase</c> (same length, char by char).</summary>
    private List<string> Spellings(string key)
    {
        var result = new List<string> { string.Empty };
        foreach (var ch in key)
        {
            if (char.IsSurrogate(ch))
            {
                throw Refuse(Messages.SqlBooleanSpellingsWhy(int.MaxValue));
            }

            var same = CaseClass(ch);
            result = [.. result.SelectMany(prefix => same.Select(c => prefix + c))];
            if (result.Count > MaxSpellings)
            {
                throw Refuse(Messages.SqlBooleanSpellingsWhy(result.Count));
            }
        }

        return result;
    }

    private static char[] CaseClass(char ch)
    {
        var one = ch.ToString();
        return [.. Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i)
            .Where(c => !char.IsSurrogate(c) && string.Equals(c.ToString(), one, StringComparison.OrdinalIgnoreCase))];
    }

    private (IReadOnlyList<string>, string) Numeric(NumericColumnSpec column, SourceColumnType type)
    {
        var binning = column.Binning;
        string value;
        var missing = IsMissing(type != SourceColumnType.Floating);
        if (type == SourceColumnType.Floating)
        {
            value = F;
        }
        else if (TypedInteger(type))
        {
            // Every signed value fits a long; an unsigned one above long.MaxValue is unparsable, as its text is, and so is
            // one a double cannot hold.
            value = $"CASE WHEN {F} <= 9223372036854775807 THEN CASE WHEN {ExactDouble(F)} THEN {dialect.ToDouble(F)} END END";
            var tokens = IntegerTokens().ToList();
            missing = tokens.Count == 0
                ? $"{F} IS NULL"
                : $"({F} IS NULL OR {dialect.ToText(F)} IN ({string.Join(", ", tokens.Select(Literal))}))";
        }
        else if (binning.IsInteger)
        {
            // long.TryParse(AllowLeadingSign): a sign, ASCII digits, and a magnitude a long holds (leading zeros free).
            var body = $"(CASE WHEN SUBSTR({F}, 1, 1) IN ('+', '-') THEN SUBSTR({F}, 2) ELSE {F} END)";
            var digits = $"TRIM(LEADING '0' FROM {body})";
            var limit = $"(CASE WHEN SUBSTR({F}, 1, 1) = '-' THEN '9223372036854775808' ELSE '9223372036854775807' END)";
            var fits = $"(LENGTH({digits}) < 19 OR (LENGTH({digits}) = 19 AND {digits} <= {limit}))";
            var whole = $"CAST({F} AS BIGINT)";
            value = $"CASE WHEN {dialect.FullMatch(F, "[+-]?[0-9]+")} THEN CASE WHEN {fits} THEN " +
                    $"CASE WHEN {ExactDouble(whole)} THEN {dialect.ToDouble(whole)} END END END";
        }
        else
        {
            // double.TryParse(DecimalStyle): sign, digits with a point, exponent, no white space. Infinity and NaN
            // spellings parse in .NET but are not finite, hence unparsable: the grammar leaves them unparsed too. A
            // parsed 0 whose text is not zero underflowed: NULLIF makes it a bad row (NULLIF(x, NULL) keeps x).
            value = $"CASE WHEN {dialect.FullMatch(F, DecimalNumber)} THEN " +
                    $"NULLIF({dialect.ParseDouble(F)}, CASE WHEN {dialect.FullMatch(F, ZeroNumber)} THEN NULL ELSE {dialect.Double(0)} END) END";
        }

        var v = Alias("v");
        var parsed = new[] { $"CASE WHEN {missing} THEN 1 ELSE 0 END AS {Alias("m")}", $"{value} AS {v}" };
        var code = $"CASE WHEN {Alias("m")} = 1 THEN {Int(MissingOutcome())} WHEN {v} IS NULL THEN {Int(Bad)} " +
                   $"WHEN NOT {dialect.IsFinite(v)} THEN {Int(Bad)} " +
                   $"WHEN {v} < {dialect.Double(binning.Min)} THEN {Int(Clamped(binning, binning.Min))} " +
                   $"WHEN {v} > {dialect.Double(binning.Max)} THEN {Int(Clamped(binning, binning.Max))} " +
                   $"ELSE {Bin(binning, v)} END AS {Alias("c")}";
        return (parsed, code);
    }

    /// <summary>
    /// <see cref="NumericColumnSpec.IsExactDouble"/> in SQL, for an integer <paramref name="whole"/> within a long: within
    /// 2^53 every integer is a double; between 2^(52+k) and 2^(53+k) the doubles are the multiples of 2^k.
    /// </summary>
    private static string ExactDouble(string whole)
    {
        static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);
        var sql = new StringBuilder($"(CASE WHEN {whole} BETWEEN {Long(-(1L << 53))} AND {Long(1L << 53)} THEN 1");
        for (var k = 1; k < 10; k++)
        {
            var limit = 1L << (53 + k);
            sql.Append($" WHEN {whole} BETWEEN {Long(-limit)} AND {Long(limit)} THEN CASE WHEN {whole} % {Long(1L << k)} = 0 THEN 1 ELSE 0 END");
        }

        // The rest lies between 2^62 and 2^63 in magnitude, where the doubles are the multiples of 2^10.
        return sql.Append($" ELSE CASE WHEN {whole} % {Long(1L << 10)} = 0 THEN 1 ELSE 0 END END = 1)").ToString();
    }

    private (IReadOnlyList<string>, string) Date(DateColumnSpec column)
    {
        if (column.Format != DateColumnSpec.DefaultFormat)
        {
            throw Refuse(Messages.SqlDateFormatWhy(column.Format));
        }

        // DateOnly.TryParseExact("yyyy-MM-dd"): exactly 4-2-2 ASCII digits naming a real day from year 1.
        string Part(int start, int length) => $"CAST(SUBSTR({F}, {Int(start)}, {Int(length)}) AS INTEGER)";
        var (y, m, d) = (Part(1, 4), Part(6, 2), Part(9, 2));
        var leap = $"(({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0)";
        var days = $"CASE WHEN {m} IN (4, 6, 9, 11) THEN 30 WHEN {m} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END ELSE 31 END";
        var real = $"{y} >= 1 AND {m} BETWEEN 1 AND 12 AND {d} >= 1 AND {d} <= {days}";
        string IfDate(string expression) =>
            $"CASE WHEN {dialect.FullMatch(F, "[0-9]{4}-[0-9]{2}-[0-9]{2}")} THEN CASE WHEN {real} THEN {expression} END END";
        var dayNumber = dialect.ToDouble($"(CAST({F} AS DATE) - DATE '0001-01-01')");
        var unit = column.Granularity switch
        {
            DateGranularity.Day => dayNumber,
            DateGranularity.Month => dialect.ToDouble($"({y} * 12 + {m} - 1)"),
            _ => dialect.ToDouble(y),
        };
        var (k, v) = (Alias("k"), Alias("v"));
        var parsed = new[]
        {
            $"CASE WHEN {IsMissing(true)} THEN 1 ELSE 0 END AS {Alias("m")}", $"{IfDate(dayNumber)} AS {k}", $"{IfDate(unit)} AS {v}",
        };

        // The range test compares days (a date before MinDate in MinDate's month is outside); the bin reads the unit.
        var binning = column.Binning;
        var low = DateColumnSpec.UnitOf(column.MinDate, column.Granularity);
        var high = DateColumnSpec.UnitOf(column.MaxDate, column.Granularity);
        var code = $"CASE WHEN {Alias("m")} = 1 THEN {Int(MissingOutcome())} WHEN {k} IS NULL THEN {Int(Bad)} " +
                   $"WHEN {k} < {dialect.Double(column.MinDate.DayNumber)} THEN {Int(Clamped(binning, low))} " +
                   $"WHEN {k} > {dialect.Double(column.MaxDate.DayNumber)} THEN {Int(Clamped(binning, high))} " +
                   $"ELSE {Bin(binning, v)} END AS {Alias("c")}";
        return (parsed, code);
    }

    /// <summary>The code of a value beyond a bound: the bound's bin under clamp, else the out-of-domain outcome.</summary>
    private int Clamped(Binning binning, double bound) =>
        spec.OnOutOfDomain == OutOfDomainAction.Clamp ? binning.BinOf(bound) : OutOfDomain();

    /// <summary><see cref="Binning.BinOf"/> in SQL: an offset per value, or the last bin whose lower bound is at most v.</summary>
    private string Bin(Binning binning, string v)
    {
        if (binning.IsPerValue)
        {
            return $"CAST(FLOOR({v} - {dialect.Double(binning.Min)}) AS INTEGER)";
        }

        var sql = new StringBuilder("CASE");
        for (var bin = binning.Count - 1; bin >= 1; bin--)
        {
            sql.Append($" WHEN {v} >= {dialect.Double(binning.Lower(bin))} THEN {Int(bin)}");
        }

        return sql.Append(" ELSE 0 END").ToString();
    }
}
