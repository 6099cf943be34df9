namespace DPSynth.Data;

/// <summary>
/// What an encoding pass did, row by row. Like <see cref="CsvEncodeResult"/>, these counts depend on the private rows
/// and are for the operator's console only.
/// </summary>
/// <param name="RecordsRead">Data records read (header and skipped lines excluded).</param>
/// <param name="RowsKept">Rows encoded and kept.</param>
/// <param name="RowsSkipped">Bad rows skipped under <c>bad_rows: skip</c>.</param>
/// <param name="RowsDropped">Rows dropped under <c>on_out_of_domain: drop</c>.</param>
/// <param name="ValuesClamped">Values moved to a bound under <c>clamp</c>.</param>
/// <param name="ValuesToOther">Values encoded to an "other" cell.</param>
/// <param name="BlankLinesIgnored">Blank lines of a CSV ignored before its header or at its end (<see cref="CsvEncodeResult"/>).</param>
internal sealed record EncodeCounts(
    long RecordsRead,
    long RowsKept,
    long RowsSkipped,
    long RowsDropped,
    long ValuesClamped,
    long ValuesToOther,
    long BlankLinesIgnored = 0)
{
    /// <summary>The counts with the encoded table, as the public result.</summary>
    public CsvEncodeResult WithTable(EncodedTable table) =>
        new(table, RecordsRead, RowsSkipped, RowsDropped, ValuesClamped, ValuesToOther, BlankLinesIgnored);
}
