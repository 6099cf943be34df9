namespace DPSynth.Schema;

/// <summary>
/// Whether a condition holds for the values of one cell. A bin or a range of dates holds many values, so a condition
/// can hold for some of them only; a constraint forbids a combination of cells only when that is certain.
/// </summary>
internal enum CellTruth
{
    /// <summary>No value of the cell satisfies the condition.</summary>
    Never,

    /// <summary>Some values of the cell do, others do not.</summary>
    Sometimes,

    /// <summary>Every value of the cell does.</summary>
    Always,
}
