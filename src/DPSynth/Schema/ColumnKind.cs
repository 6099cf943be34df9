namespace DPSynth.Schema;

/// <summary>The declared type of a column (the schema's <c>type</c> key).</summary>
public enum ColumnKind
{
    /// <summary>Whole numbers between <c>min</c> and <c>max</c>; one cell per value, or bins.</summary>
    Integer,

    /// <summary>Real numbers between <c>min</c> and <c>max</c>, always binned.</summary>
    Continuous,

    /// <summary>One of a declared list of labels.</summary>
    Categorical,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A calendar date between <c>min</c> and <c>max</c>, counted in days, months or years.</summary>
    Date,
}
