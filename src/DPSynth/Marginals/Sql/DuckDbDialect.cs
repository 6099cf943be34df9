namespace DPSynth.Marginals.Sql;

/// <summary>DuckDB's spellings (RE2 regular expressions).</summary>
internal sealed class DuckDbDialect : SqlDialect
{
    /// <summary>The one instance.</summary>
    public static DuckDbDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "duckdb";

    /// <inheritdoc />
    protected override string DoubleType => "DOUBLE";

    /// <inheritdoc />
    protected override string TextType => "VARCHAR";

    /// <inheritdoc />
    public override string FullMatch(string expression, string pattern) => $"regexp_full_match({expression}, {Text(pattern)})";

    /// <inheritdoc />
    public override string IsFinite(string expression) => $"isfinite({expression})";

    /// <inheritdoc />
    public override string Trim(string expression, string characters) => $"trim({expression}, {Text(characters)})";
}
