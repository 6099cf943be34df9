using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DPSynth.IO;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// Maps codes back to values (design.md section 2) and writes them as CSV: categories to their label; numeric and date
/// bins to a value drawn uniformly inside the bin (integers stay integers); the missing cell to
/// <see cref="TableSchema.MissingToken"/>; the other cell to <see cref="TableSchema.OtherToken"/>.
/// </summary>
/// <remarks>
/// Decoding is post-processing of DP output: it never reads the private table, so it may use a fast seeded
/// <see cref="Random"/>, which the caller passes explicitly (never <see cref="Random.Shared"/>) so runs can be repeated.
/// </remarks>
public static class CsvDecoder
{
    /// <summary>The text of code <paramref name="code"/> of <paramref name="column"/>.</summary>
    public static string DecodeCell(TableSchema schema, int column, int code, Random random)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(random);
        var spec = schema.Columns[column];
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, spec.CellCount);
        if (code == spec.MissingCode)
        {
            return schema.MissingToken;
        }

        return code == spec.OtherCode ? schema.OtherToken : spec.DecodeValue(code, random);
    }

    /// <summary>
    /// Writes <paramref name="table"/> as CSV to <paramref name="path"/>, atomically (a temp file renamed over the target,
    /// so a failure leaves no half-written file): a header of column names, comma-separated, RFC 4180 quoting, UTF-8.
    /// Read it back with <c>schema.WithCsv(CsvOptions.Default)</c>.
    /// </summary>
    public static void WriteFile(string path, TableSchema schema, EncodedTable table, Random random) =>
        WriteFile(path, schema, OneChunk(schema, table, random), random);

    /// <summary>
    /// Writes the rows of <paramref name="chunks"/>, in order, as one CSV file at <paramref name="path"/> (as
    /// <see cref="WriteFile(string, TableSchema, EncodedTable, Random)"/>, atomically: a failure, including one while a
    /// chunk is drawn, leaves no file). Each chunk is decoded and written as it is enumerated, so only one is held at a time.
    /// <paramref name="existing"/> says whether a file already at <paramref name="path"/> is replaced (<see cref="AtomicFile.Write"/>).
    /// </summary>
    /// <returns>The rows written.</returns>
    public static long WriteFile(
        string path, TableSchema schema, IEnumerable<EncodedTable> chunks, Random random, ExistingFile existing = ExistingFile.Replace)
    {
        CheckChunks(path, schema, chunks, random);
        long written = 0;
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            using var csv = Start(writer, schema);
            foreach (var table in chunks)
            {
                CheckTable(schema, table, random);
                WriteRows(csv, schema, table, random);
                written += table.RowCount;
            }
        }, existing: existing);
        return written;
    }

    /// <summary>The text of value or other cell <paramref name="code"/> of the categorical <paramref name="column"/> (no draw).</summary>
    internal static string Label(TableSchema schema, CategoricalColumnSpec column, int code) =>
        code == column.OtherCode ? schema.OtherToken : column.Categories[code];

    /// <summary>
    /// Quote a field holding the delimiter, a quote, any line-break character or edge white space. CsvHelper's default
    /// checks only the configured new line once one is set, so a lone carriage return would break the row.
    /// </summary>
    private static bool NeedsQuotes(ShouldQuoteArgs args)
    {
        var field = args.Field;
        return !string.IsNullOrEmpty(field)
               && (field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1]));
    }

    /// <summary>A table as the one chunk of a chunked writer, checked first (<see cref="CheckTable"/>).</summary>
    internal static EncodedTable[] OneChunk(TableSchema schema, EncodedTable table, Random random)
    {
        CheckTable(schema, table, random);
        return [table];
    }

    /// <summary>Checks the arguments every chunked writer takes (each chunk is checked as it comes).</summary>
    internal static void CheckChunks(string path, TableSchema schema, IEnumerable<EncodedTable> chunks, Random random)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(random);
    }

    /// <summary>Checks the arguments every writer of decoded rows takes: the table must be in the schema's domain.</summary>
    internal static void CheckTable(TableSchema schema, EncodedTable table, Random random)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(random);
        if (!table.Domain.Equals(schema.Domain))
        {
            throw new ArgumentException("The table's domain is not the schema's.", nameof(table));
        }
    }

    /// <summary>Writes <paramref name="table"/> as CSV to <paramref name="writer"/> (header, comma, RFC 4180 quoting).</summary>
    public static void Write(TextWriter writer, TableSchema schema, EncodedTable table, Random random)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CheckTable(schema, table, random);
        using var csv = Start(writer, schema);
        WriteRows(csv, schema, table, random);
    }

    /// <summary>A CSV writer on <paramref name="writer"/> that has written the header.</summary>
    private static CsvWriter Start(TextWriter writer, TableSchema schema)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n", ShouldQuote = NeedsQuotes };
        var csv = new CsvWriter(writer, config, leaveOpen: true);
        foreach (var column in schema.Columns)
        {
            csv.WriteField(column.Name);
        }

        csv.NextRecord();
        return csv;
    }

    private static void WriteRows(CsvWriter csv, TableSchema schema, EncodedTable table, Random random)
    {
        for (var row = 0; row < table.RowCount; row++)
        {
            for (var c = 0; c < schema.Columns.Length; c++)
            {
                csv.WriteField(DecodeCell(schema, c, table[row, c], random));
            }

            csv.NextRecord();
        }
    }
}
