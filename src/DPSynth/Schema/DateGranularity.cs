namespace DPSynth.Schema;

/// <summary>The unit a date column counts in (the schema's <c>granularity</c> key).</summary>
public enum DateGranularity
{
    /// <summary>One unit per calendar day.</summary>
    Day,

    /// <summary>One unit per calendar month.</summary>
    Month,

    /// <summary>One unit per calendar year.</summary>
    Year,
}
