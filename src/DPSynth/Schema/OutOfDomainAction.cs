namespace DPSynth.Schema;

/// <summary>
/// What encoding does with a value outside a column's declared domain (the schema's <c>on_out_of_domain</c> key).
/// </summary>
/// <remarks>
/// <c>clamp</c>, <c>other</c> and <c>drop</c> map each row on its own, so they are stable under adding or removing a row
/// (privacy-details.md section 7 point 5). <c>fail</c> stops depending on the data; its message names a private value
/// and belongs on the operator's console only.
/// </remarks>
public enum OutOfDomainAction
{
    /// <summary>
    /// Numeric and date columns move the value to the nearest bound. Categorical and boolean columns cannot be clamped:
    /// the row is a bad row (see <see cref="BadRowAction"/>).
    /// </summary>
    Clamp,

    /// <summary>
    /// Categorical and boolean columns get an extra "other" cell, declared by the schema whether or not the data need it.
    /// As a file-wide default, numeric and date columns clamp instead (they have no "other" cell).
    /// </summary>
    Other,

    /// <summary>The row is dropped and counted.</summary>
    Drop,

    /// <summary>The row is a bad row (see <see cref="BadRowAction"/>): the run stops, or the row is skipped.</summary>
    Fail,
}
