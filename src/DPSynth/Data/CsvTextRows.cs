using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// Reads a CSV file as rows of raw text fields for schema inference (<see cref="SchemaInference"/> and
/// <see cref="Discovery.DomainDiscovery"/>): the header (or <c>column1, column2, ...</c>), then every data row.
/// Bad quoting, bytes that are not UTF-8, an empty file and a header without rows are input errors.
/// </summary>
internal static class CsvTextRows
{
    /// <summary>Checks a delimiter given on the command line.</summary>
    /// <exception cref="InputException">It is empty or holds a quote or a line break.</exception>
    public static void CheckDelimiter(string delimiter)
    {
        ArgumentNullException.ThrowIfNull(delimiter);
        if (delimiter.Length == 0 || delimiter.AsSpan().IndexOfAny("\"\r\n") >= 0)
        {
            throw new InputException(Messages.BadDelimiter);
        }
    }

    /// <summary>
    /// Reads <paramref name="csvPath"/>: <paramref name="onHeader"/> gets the column names (trimmed) once, then
    /// <paramref name="onRow"/> every data row's untrimmed fields with the row's line number. Returns the number of data
    /// rows and whether a header name had white space around it.
    /// </summary>
    /// <remarks>
    /// Blank lines are read as the encoder reads them: a record of one empty field (RFC 4180), given to
    /// <paramref name="onRow"/> like any other, except blank lines before the header, and at the end of a file of
    /// several columns, which are ignored.
    /// </remarks>
    /// <exception cref="InputException">The file is missing, empty, header-only, not UTF-8 or badly quoted.</exception>
    public static (long Rows, bool PaddedHeader) Read(
        string csvPath, CsvOptions options, Action<string[]> onHeader, Action<string[], long> onRow)
    {
        string? badData = null;
        using var reader = CsvEncoder.OpenText(csvPath);
        using var records = new CsvRecordReader(
            reader, csvPath, CsvEncoder.ParserConfiguration(options, args => badData ??= args.RawRecord), CsvLimits.Default);
        var parser = records.Parser;
        string[]? names = null;
        var rows = 0L;
        var paddedHeader = false;
        var headerLine = 0L;
        try
        {
            // In a one-column file every blank line after the header is a row; otherwise only those followed by a record.
            var blankLinesAreRecords = false;
            while (blankLinesAreRecords ? records.Read() : records.ReadPastBlankLines())
            {
                var blankLinesBefore = blankLinesAreRecords ? 0 : records.BlankLinesPassed;
                // Touch every field first: CsvHelper reports a stray quote only when a field is read.
                var fields = new string[parser.Count];
                for (var f = 0; f < fields.Length; f++)
                {
                    fields[f] = parser[f];
                }

                if (badData is not null)
                {
                    var message = records.QuoteLeftOpen() ? Messages.CsvQuoteNeverClosed(options.Quote) : Messages.CsvBadQuoting(options.Quote);
                    throw new InputException(message, new SourceLocation(csvPath, records.RecordStartLine()));
                }

                if (names is null)
                {
                    headerLine = parser.RawRow;
                    names = new string[fields.Length];
                    for (var f = 0; f < names.Length; f++)
                    {
                        names[f] = options.Header ? fields[f].Trim() : $"column{f + 1}";
                        paddedHeader |= options.Header && names[f].Length != fields[f].Length;
                    }

                    onHeader(names);
                    blankLinesAreRecords = names.Length == 1;
                    if (options.Header)
                    {
                        continue;
                    }
                }

                // Blank lines passed over just before this record (none before a header) are rows too.
                for (var b = 0; b < blankLinesBefore; b++)
                {
                    rows++;
                    onRow([string.Empty], records.FirstBlankLine + b);
                }

                rows++;
                onRow(fields, parser.RawRow);
            }
        }
        catch (Exception ex) when (ex is DecoderFallbackException || ex.InnerException is DecoderFallbackException)
        {
            throw new InputException(Messages.InvalidUtf8, Utf8Validation.FindFirstInvalid(csvPath));
        }

        if (names is null)
        {
            throw new InputException(Messages.CsvEmpty, new SourceLocation(csvPath, 1));
        }

        if (rows == 0)
        {
            throw new InputException(Messages.CsvHeaderOnly, new SourceLocation(csvPath, headerLine));
        }

        return (rows, paddedHeader);
    }
}
