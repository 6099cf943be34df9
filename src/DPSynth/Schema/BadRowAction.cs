namespace DPSynth.Schema;

/// <summary>
/// What encoding does with a bad row: wrong field count, unparsable value, or a value outside the domain that
/// <see cref="OutOfDomainAction"/> does not map (the schema's <c>bad_rows</c> key).
/// </summary>
public enum BadRowAction
{
    /// <summary>Stop with an error naming file, line and column (the default).</summary>
    Fail,

    /// <summary>Skip the row and count it; the count goes to the operator's console only.</summary>
    Skip,
}
