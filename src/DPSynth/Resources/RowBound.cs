using System.Globalization;
using DPSynth.Schema;

namespace DPSynth.Resources;

/// <summary>
/// An upper bound on the rows the preflight estimate assumes, never the private row count: the input file's size (which
/// the operator can see) over the fewest bytes a row can take, or the operator's own figure.
/// </summary>
/// <param name="Rows">The bound.</param>
/// <param name="Basis">How it was obtained, for the console.</param>
public sealed record RowBound(long Rows, string Basis)
{
    /// <summary>
    /// The bound for a CSV of <paramref name="columns"/> schema columns at <paramref name="path"/>: a row of d fields has
    /// d - 1 delimiters and a line end, so at least d bytes (blank lines are skipped; extra file columns only lengthen a
    /// row), and a file of S bytes holds at most (S + 1) / d rows. A missing file bounds nothing: 0 rows, said so.
    /// </summary>
    public static RowBound FromCsvFile(string path, int columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return new RowBound(0, "input file not found: its rows are not counted");
        }

        var perRow = Math.Max(2, columns); // one field: a character and a line end
        var rows = (file.Length + 1) / perRow;
        return new RowBound(rows, string.Create(
            CultureInfo.InvariantCulture,
            $"at most {rows:N0} rows, from the input's size ({ByteSize.Format(file.Length)}) at {perRow} or more bytes a row"));
    }

    /// <summary>Bytes of one encoded row of <paramref name="domain"/>: one per column of at most 256 cells, two otherwise.</summary>
    public static long EncodedRowBytes(Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return domain.Sizes.Sum(size => size <= 256 ? 1L : 2L);
    }
}
