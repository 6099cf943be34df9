namespace DPSynth.Marginals.Sql;

/// <summary>PostgreSQL's spellings (advanced regular expressions; NaN equals itself there).</summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>The one instance.</summary>
    public static PostgresDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "postgres";

    /// <inheritdoc />
    protected override string DoubleType => "double precision";

    /// <inheritdoc />
    protected override string TextType => "text";

    /// <inheritdoc />
    public override string FullMatch(string expression, string pattern) => $"({expression} ~ {Text("^(?:" + pattern + ")$")})";

    /// <inheritdoc />
    public override string IsFinite(string expression) =>
        $"({expression} NOT IN ({Double(double.NaN)}, {Double(double.PositiveInfinity)}, {Double(double.NegativeInfinity)}))";

    /// <inheritdoc />
    public override string Trim(string expression, string characters) => $"btrim({expression}, {Text(characters)})";
}
