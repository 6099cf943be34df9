namespace DPSynth.Marginals.Sql;

/// <summary>PostgreSQL's spellings (advanced regular expressions; NaN equals itself there).</summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>2^-1075, exactly: half the smallest subnormal; a value at most this rounds to zero.</summary>
    private static readonly string SmallestHalf = Exact(System.Numerics.BigInteger.Pow(5, 1075), -1075);

    /// <summary>2^1024 - 2^970, exactly: half-way above the largest double; a value at least this rounds to infinity.</summary>
    private static readonly string LargestHalf =
        (System.Numerics.BigInteger.Pow(2, 1024) - System.Numerics.BigInteger.Pow(2, 970)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The one instance.</summary>
    public static PostgresDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "postgres";

    /// <summary>
    /// <paramref name="digits"/> times ten to <paramref name="exponent"/> (negative), as an exact numeric literal written
    /// with a point: numeric input refuses exponents beyond 1000.
    /// </summary>
    private static string Exact(System.Numerics.BigInteger digits, int exponent)
    {
        var text = digits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"CAST('0.{new string('0', -exponent - text.Length)}{text}' AS numeric)";
    }

    /// <inheritdoc />
    protected override string DoubleType => "double precision";

    /// <inheritdoc />
    protected override string TextType => "text";

    /// <inheritdoc />
    /// <remarks>
    /// The planner pulls a plain subquery up into its parent and repeats every expression at each use: a value used ten
    /// times by the bins would be parsed ten times. <c>OFFSET 0</c> keeps the layer a subquery.
    /// </remarks>
    public override string LayerFence => " OFFSET 0";

    /// <inheritdoc />
    public override string FullMatch(string expression, string pattern) => $"({expression} ~ {Text("^(?:" + pattern + ")$")})";

    /// <inheritdoc />
    public override string IsFinite(string expression) =>
        $"({expression} NOT IN ({Double(double.NaN)}, {Double(double.PositiveInfinity)}, {Double(double.NegativeInfinity)}))";

    /// <inheritdoc />
    /// <remarks>
    /// PostgreSQL's float8 input raises an error where the value rounds to zero or to infinity, where .NET gives 0 and
    /// infinity (unparsable). The order of magnitude is read from the text first (exponent and leading digits); only
    /// near the two limits is the exact value compared, as a numeric, with the rounding thresholds <c>2^-1075</c> and
    /// <c>2^1024 - 2^970</c> (both round away from the double range, half to even).
    /// </remarks>
    public override string ParseDouble(string number)
    {
        var unsigned = $"LOWER(LTRIM({number}, '+-'))";
        var mantissa = $"SPLIT_PART({unsigned}, 'e', 1)";
        var exponent = $"(CASE WHEN POSITION('e' IN {unsigned}) > 0 THEN SPLIT_PART({unsigned}, 'e', 2) ELSE '0' END)";
        var wholeDigits = $"LTRIM(SPLIT_PART({mantissa}, '.', 1), '0')";
        var fraction = $"SPLIT_PART({mantissa}, '.', 2)";
        var leadingZeros = $"(LENGTH({fraction}) - LENGTH(LTRIM({fraction}, '0')))";
        var magnitude = $"((CASE WHEN LENGTH({wholeDigits}) > 0 THEN LENGTH({wholeDigits}) - 1 ELSE -{leadingZeros} - 1 END) + CAST({exponent} AS integer))";
        var exact = $"ABS(CAST({number} AS numeric))";
        var infinity = Double(double.PositiveInfinity);
        // Without an exponent and under 300 characters a number can neither overflow nor round to zero: the common case
        // is one cast; only exponent forms pay for the magnitude checks.
        return $"(CASE WHEN POSITION('e' IN LOWER({number})) = 0 AND LENGTH({number}) < 300 THEN {ToDouble(number)} " +
               $"WHEN TRANSLATE({mantissa}, '0.', '') = '' THEN {Double(0)} " +
               $"WHEN LENGTH(LTRIM({exponent}, '+-0')) > 6 THEN CASE WHEN {exponent} LIKE '-%' THEN {Double(0)} ELSE {infinity} END " +
               $"WHEN {magnitude} < -325 THEN {Double(0)} WHEN {magnitude} > 309 THEN {infinity} " +
               $"WHEN {magnitude} <= -323 AND {exact} <= {SmallestHalf} THEN {Double(0)} " +
               $"WHEN {magnitude} >= 308 AND {exact} >= {LargestHalf} THEN {infinity} " +
               $"ELSE {ToDouble(number)} END)";
    }

    /// <inheritdoc />
    public override string Trim(string expression, string characters) => $"btrim({expression}, {Text(characters)})";
}
