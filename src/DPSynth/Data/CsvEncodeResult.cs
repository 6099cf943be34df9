namespace DPSynth.Data;

/// <summary>
/// An encoded CSV and what happened on the way. The counts depend on the private rows: they are for the operator's
/// console only and must never be copied into a release artifact (privacy-details.md section 7 points 5 and 6).
/// </summary>
/// <param name="Table">The encoded rows.</param>
/// <param name="RecordsRead">Data records read from the file (header and skipped lines excluded).</param>
/// <param name="RowsSkipped">Bad rows skipped under <c>bad_rows: skip</c>.</param>
/// <param name="RowsDropped">Rows dropped under <c>on_out_of_domain: drop</c>.</param>
/// <param name="ValuesClamped">Values moved to a bound under <c>clamp</c>.</param>
/// <param name="ValuesToOther">Values encoded to an "other" cell.</param>
/// <param name="BlankLinesIgnored">
/// Blank lines ignored in a CSV of several columns: those before the header and those at the end of the file (a blank
/// line inside the data is a bad row, and in a one-column file a missing value, so neither is counted here).
/// </param>
public sealed record CsvEncodeResult(
    EncodedTable Table,
    long RecordsRead,
    long RowsSkipped,
    long RowsDropped,
    long ValuesClamped,
    long ValuesToOther,
    long BlankLinesIgnored = 0)
{
    /// <summary>The operator's console line of these counts (they depend on the private rows: never for a release).</summary>
    /// <param name="input">The file read.</param>
    public string ConsoleSummary(string input) => Diagnostics.Messages.InputRead(
        input, RecordsRead, Table.RowCount, RowsSkipped, RowsDropped, ValuesClamped, ValuesToOther, BlankLinesIgnored);
}
