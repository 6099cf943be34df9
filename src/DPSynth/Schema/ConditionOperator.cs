namespace DPSynth.Schema;

/// <summary>What a condition of a <see cref="Constraint"/> asks of its column's value.</summary>
internal enum ConditionOperator
{
    /// <summary><c>C is missing</c>: the missing cell.</summary>
    IsMissing,

    /// <summary><c>C is not missing</c>: any cell but the missing one.</summary>
    IsNotMissing,

    /// <summary><c>C = v</c>.</summary>
    Equal,

    /// <summary><c>C != v</c>: the negation of <see cref="Equal"/> (so a missing value satisfies it).</summary>
    NotEqual,

    /// <summary><c>C &lt; v</c> (numbers and dates).</summary>
    Less,

    /// <summary><c>C &lt;= v</c> (numbers and dates).</summary>
    LessOrEqual,

    /// <summary><c>C &gt; v</c> (numbers and dates).</summary>
    Greater,

    /// <summary><c>C &gt;= v</c> (numbers and dates).</summary>
    GreaterOrEqual,

    /// <summary><c>C in {v1, v2}</c>.</summary>
    In,

    /// <summary><c>C not in {v1, v2}</c>: the negation of <see cref="In"/>.</summary>
    NotIn,
}
