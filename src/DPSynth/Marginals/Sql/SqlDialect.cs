using System.Globalization;

namespace DPSynth.Marginals.Sql;

/// <summary>
/// The few spellings that differ between SQL engines. Everything else the sources send is plain SQL (CASE, CAST,
/// SUBSTR, TRIM, IN, GROUP BY), so another engine (Spark SQL, Trino) needs only one more dialect.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The engine's name in messages: <c>duckdb</c> or <c>postgres</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The 64-bit floating-point type.</summary>
    protected abstract string DoubleType { get; }

    /// <summary>The variable-length text type.</summary>
    protected abstract string TextType { get; }

    /// <summary>
    /// What ends a layer's subquery so the engine computes its columns once per row instead of inlining each use of
    /// them into the next layer (empty where the engine does not inline).
    /// </summary>
    public virtual string LayerFence => string.Empty;

    /// <summary>A quoted identifier (double quotes, doubled inside).</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal (single quotes, doubled inside); the caller has refused NUL characters.</summary>
    public static string Text(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>An exact double: its round-trip text cast to the double type (a bare 0.1 would be a decimal).</summary>
    public string Double(double value) => $"CAST({Text(value.ToString("R", CultureInfo.InvariantCulture))} AS {DoubleType})";

    /// <summary><paramref name="expression"/> cast to the double type.</summary>
    public string ToDouble(string expression) => $"CAST({expression} AS {DoubleType})";

    /// <summary>
    /// A decimal number's text (already matched by .NET's <c>NumberStyles.Float</c> grammar, white space trimmed) as the
    /// double .NET parses: correctly rounded, <c>0</c> below the smallest subnormal, infinite above the largest double.
    /// </summary>
    public virtual string ParseDouble(string number) => ToDouble(number);

    /// <summary><paramref name="expression"/> cast to text (the canonical text of integers, booleans and dates).</summary>
    public string ToText(string expression) => $"CAST({expression} AS {TextType})";

    /// <summary>True when the whole of <paramref name="expression"/> matches <paramref name="pattern"/> (no anchors).</summary>
    public abstract string FullMatch(string expression, string pattern);

    /// <summary>True when the double <paramref name="expression"/> is neither infinite nor NaN.</summary>
    public abstract string IsFinite(string expression);

    /// <summary><paramref name="expression"/> without leading and trailing characters in <paramref name="characters"/>.</summary>
    public abstract string Trim(string expression, string characters);
}
