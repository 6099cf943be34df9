using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// Streams a CSV file row by row (CsvHelper's <see cref="CsvParser"/>) straight into an <see cref="EncodedTable"/> of
/// codes under a <see cref="TableSchema"/>. No per-row strings are kept: each field is mapped to its cell at once.
/// </summary>
/// <remarks>
/// <para>Reads strict UTF-8 (a UTF-8 byte-order mark is allowed; invalid bytes, a UTF-16 or UTF-32 byte-order mark and
/// a gzip or Parquet file are errors), RFC 4180 quoting (embedded delimiters, quotes and line breaks), LF or CRLF. With
/// a header, columns are found by name (extra file columns are ignored; a schema column absent from the header is an
/// error); without one, fields are in schema order.</para>
/// <para>A blank line is a record of one empty field (RFC 4180): in a file of one column it is a missing value; in a
/// wider file it is a bad row, except that blank lines before the header and at the end of the file are ignored and
/// counted (<see cref="CsvEncodeResult.BlankLinesIgnored"/>). Nothing is dropped without being counted.</para>
/// <para>A field equal to a missing token goes to the missing cell when the column is nullable; otherwise it is
/// outside the domain. Bad rows (wrong field count, unparsable value, a value outside the domain that the column does
/// not clamp, send to "other" or drop) stop the run or are skipped, as <see cref="TableSchema.BadRows"/> says. Every
/// error names file, line, field and column; it may quote a private value and is for the operator's console only.</para>
/// </remarks>
public static class CsvEncoder
{
    /// <summary>Encodes the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="InputException">
    /// The file is missing, not a regular file, empty, malformed, or has a bad row under <c>bad_rows: fail</c>.
    /// </exception>
    public static CsvEncodeResult EncodeFile(string path, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        using var reader = OpenText(path);
        var builder = new CodeColumnsBuilder(schema.Domain);
        var counts = new Run(reader, path, schema, isPath: true, CsvLimits.Default).Encode(builder);
        return counts.WithTable(builder.Build());
    }

    /// <summary>
    /// Encodes the CSV file at <paramref name="path"/> row by row into <paramref name="sink"/> (an out-of-core store),
    /// with exactly the rules of <see cref="EncodeFile"/>.
    /// </summary>
    /// <exception cref="InputException">As <see cref="EncodeFile"/>.</exception>
    internal static EncodeCounts EncodeFileInto(string path, TableSchema schema, IEncodedRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(sink);
        using var reader = OpenText(path);
        return new Run(reader, path, schema, isPath: true, CsvLimits.Default).Encode(sink);
    }

    /// <summary>
    /// Checks the header of the CSV file at <paramref name="path"/> against the schema (every schema column present,
    /// none twice) without reading a data record: the part of the input a dry run and the pre-charge checks may read.
    /// A file without a header (<c>csv.header: false</c>) has nothing to check before its rows.
    /// </summary>
    /// <exception cref="InputException">The file is missing, empty, not UTF-8, or its header does not fit the schema.</exception>
    internal static void CheckHeader(string path, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        if (!schema.Csv.Header)
        {
            return;
        }

        using var reader = OpenText(path);
        new Run(reader, path, schema, isPath: true, CsvLimits.Default).CheckHeader();
    }

    /// <summary>Encodes CSV text from <paramref name="reader"/>; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="InputException">
    /// The text is empty, malformed, has a field or record past <see cref="CsvLimits"/>, or has a bad row under
    /// <c>bad_rows: fail</c>.
    /// </exception>
    public static CsvEncodeResult Encode(TextReader reader, string file, TableSchema schema) =>
        Encode(reader, file, schema, CsvLimits.Default);

    /// <summary>As <see cref="Encode(TextReader, string, TableSchema)"/>, under other limits (tests of the bounds).</summary>
    internal static CsvEncodeResult Encode(TextReader reader, string file, TableSchema schema, CsvLimits limits)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(schema);
        var builder = new CodeColumnsBuilder(schema.Domain);
        return new Run(reader, file, schema, isPath: false, limits).Encode(builder).WithTable(builder.Build());
    }

    /// <summary>
    /// A reader of a regular file (anything else is refused) that decodes strict UTF-8 (throws on invalid bytes) and
    /// skips a UTF-8 byte-order mark. A file that starts like something other than UTF-8 text (another Unicode
    /// encoding's byte-order mark, a gzip or Parquet signature) is refused here, by name, before any text is decoded.
    /// </summary>
    /// <exception cref="InputException">The file is missing, is not a regular file, or is not UTF-8 text by its start.</exception>
    internal static StreamReader OpenText(string path)
    {
        var stream = RegularFile.OpenRead(path, Messages.WhatCsv, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> head = stackalloc byte[FileSignature.Length];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (FileSignature.NotUtf8Text(head[..read]) is { } problem)
            {
                throw new InputException(problem, new SourceLocation(path));
            }

            stream.Position = 0;

            // No detection from byte-order marks: the encoding is UTF-8, whose own mark the reader skips.
            return new StreamReader(stream, new UTF8Encoding(true, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, 1 << 16);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The parser settings a schema's CSV options imply (shared with schema inference).</summary>
    internal static CsvConfiguration ParserConfiguration(CsvOptions csv, BadDataFound onBadData) =>
        new(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            Delimiter = csv.Delimiter,
            Quote = csv.Quote,
            Escape = csv.Quote,
            Mode = CsvMode.RFC4180,
            // A blank line is a record of one empty field (RFC 4180): a missing value in a one-column file, or a record
            // of too few fields; CsvRecordReader.ReadPastBlankLines passes over them only to count them.
            IgnoreBlankLines = false,
            DetectColumnCountChanges = false,

            // CsvHelper's field cache hashes every field; measured slower than short-lived strings (gen-0 garbage).
            CacheFields = false,
            BufferSize = 1 << 16,
            BadDataFound = onBadData,
        };

    /// <summary>The type name an unparsable-value message gives.</summary>
    internal static string TypeName(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer => "integer",
        ColumnKind.Continuous => "continuous",
        _ => "date",
    };

    /// <summary>The message for <paramref name="value"/>, which does not parse as <paramref name="column"/>'s type.</summary>
    internal static string Unparsable(string value, ColumnSpec column) => column is DateColumnSpec date
        ? Messages.CsvNotADate(value, date.Format)
        : Messages.CsvNotANumber(value, TypeName(column.Kind));

    /// <summary>The state of one encoding pass.</summary>
    private sealed class Run(TextReader reader, string file, TableSchema schema, bool isPath, CsvLimits limits)
    {
        private readonly ColumnSpec[] columns = [.. schema.Columns];
        private readonly RowEncoder encoder = new(schema);
        private readonly int[] fieldOf = new int[schema.Columns.Length];
        private CsvRecordReader? records;
        private int skippedLines;
        private string? badData;
        private long recordsRead;
        private long kept;
        private long skipped;
        private long dropped;
        private long blankIgnored;
        private int expectedFields;

        private CsvParser Parser => records!.Parser;

        /// <summary>Reads the skipped lines and the header only (see <see cref="CsvEncoder.CheckHeader"/>).</summary>
        public void CheckHeader()
        {
            var config = ParserConfiguration(schema.Csv, args => badData ??= args.RawRecord);
            using var csv = records = new CsvRecordReader(reader, file, config, limits);
            try
            {
                ReadFirstRecord(csv);
                MapFields();
            }
            catch (Exception ex) when (ex is DecoderFallbackException || ex.InnerException is DecoderFallbackException)
            {
                throw InvalidUtf8();
            }
        }

        public EncodeCounts Encode(IEncodedRowSink sink)
        {
            var config = ParserConfiguration(schema.Csv, args => badData ??= args.RawRecord);
            using var csv = records = new CsvRecordReader(reader, file, config, limits);
            try
            {
                ReadFirstRecord(csv);
                var firstLine = RecordLine();
                expectedFields = MapFields();
                if (schema.Csv.Header)
                {
                    blankIgnored += csv.BlankLinesPassed;
                    if (!ReadData())
                    {
                        throw new InputException(Messages.CsvHeaderOnly, new SourceLocation(file, firstLine));
                    }
                }
                else
                {
                    InteriorBlankLines();
                }

                do
                {
                    recordsRead++;
                    if (EncodeRow())
                    {
                        sink.Append(encoder.Codes);
                        kept++;
                    }
                }
                while (ReadData());
            }
            catch (Exception ex) when (ex is DecoderFallbackException || ex.InnerException is DecoderFallbackException)
            {
                throw InvalidUtf8();
            }

            if (kept == 0)
            {
                throw new InputException(Messages.CsvNoRowsLeft(recordsRead), new SourceLocation(file));
            }

            return new EncodeCounts(recordsRead, kept, skipped, dropped, encoder.Clamped, encoder.ToOther, blankIgnored);
        }

        /// <summary>
        /// Skips the preamble lines and reads the first record (the header, when there is one). Blank lines before a
        /// header are not data (counted as ignored once it is read); without a header, a one-column file's are missing
        /// values, read as records, and a wider file's are bad rows (<see cref="InteriorBlankLines"/>).
        /// </summary>
        private void ReadFirstRecord(CsvRecordReader csv)
        {
            skippedLines = csv.SkipLines(schema.Csv.SkipLines);
            var blankLinesAreRecords = !schema.Csv.Header && columns.Length == 1;
            if (!(blankLinesAreRecords ? Read() : ReadPastBlankLines()))
            {
                throw new InputException(Messages.CsvEmpty, new SourceLocation(file, skippedLines + 1));
            }
        }

        // The reader decodes ahead of the parser, so the parser's line is not where the bad bytes are: find them.
        private InputException InvalidUtf8() =>
            new(Messages.InvalidUtf8, isPath ? Utf8Validation.FindFirstInvalid(file) : new SourceLocation(file));

        private bool Read()
        {
            var more = records!.Read();
            CheckQuoting();
            return more;
        }

        private bool ReadPastBlankLines()
        {
            var more = records!.ReadPastBlankLines();
            CheckQuoting();
            return more;
        }

        /// <summary>
        /// Reads the next data record. In a one-column file a blank line is one (a missing value); in a wider one, blank
        /// lines followed by a record are bad rows, and blank lines at the end of the file are ignored and counted.
        /// </summary>
        private bool ReadData()
        {
            if (expectedFields == 1)
            {
                return Read();
            }

            var more = ReadPastBlankLines();
            if (more)
            {
                InteriorBlankLines();
            }
            else
            {
                blankIgnored += records!.BlankLinesPassed;
            }

            return more;
        }

        /// <summary>The blank lines just passed over, inside the data of a file of several columns: each a bad row.</summary>
        private void InteriorBlankLines()
        {
            for (var i = 0; i < records!.BlankLinesPassed; i++)
            {
                recordsRead++;
                BadRow(Messages.CsvBlankLine(expectedFields), new SourceLocation(file, records.FirstBlankLine + i));
            }
        }

        /// <summary>The first line of the current record; only called on error paths (it reads the raw record).</summary>
        private long RecordLine() => records!.RecordStartLine();

        /// <summary>
        /// CsvHelper reports a stray or unbalanced quote through a callback while it reads a field; a guessed split would
        /// corrupt rows, so it is always an error.
        /// </summary>
        private void CheckQuoting()
        {
            if (badData is not null)
            {
                var message = records!.QuoteLeftOpen() ? Messages.CsvQuoteNeverClosed(schema.Csv.Quote) : Messages.CsvBadQuoting(schema.Csv.Quote);
                throw new InputException(message, new SourceLocation(file, RecordLine()));
            }
        }

        /// <summary>Sets <see cref="fieldOf"/> from the header or schema order; returns the expected field count.</summary>
        private int MapFields()
        {
            if (!schema.Csv.Header)
            {
                for (var c = 0; c < fieldOf.Length; c++)
                {
                    fieldOf[c] = c;
                }

                return columns.Length;
            }

            var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
            var header = new string[Parser.Count];
            for (var f = 0; f < header.Length; f++)
            {
                header[f] = Parser[f];
                var name = schema.Csv.Trim ? header[f].Trim() : header[f];
                CheckQuoting();
                if (!indexByName.TryAdd(name, f) && schema.Domain.IndexOf(name) >= 0)
                {
                    throw new InputException(Messages.CsvDuplicateHeader(name), new SourceLocation(file, RecordLine(), f + 1, name));
                }
            }

            var absent = new List<string>();
            for (var c = 0; c < columns.Length; c++)
            {
                if (indexByName.TryGetValue(columns[c].Name, out var f))
                {
                    fieldOf[c] = f;
                }
                else
                {
                    absent.Add(columns[c].Name);
                }
            }

            if (absent.Count > 0)
            {
                // Header names are not row data: the message shows them, with what they nearly match.
                throw new InputException(HeaderMismatch.Describe(absent, header, schema.Csv), new SourceLocation(file, RecordLine()));
            }

            return Parser.Count;
        }

        /// <summary>Fills the encoder's codes; false when the row is dropped or skipped.</summary>
        private bool EncodeRow()
        {
            var csv = Parser;
            if (csv.Count != expectedFields)
            {
                // A stray quote often shifts the fields; name the cause, not the symptom.
                for (var f = 0; f < csv.Count; f++)
                {
                    _ = csv[f];
                    CheckQuoting();
                }

                return BadRow(
                    Messages.CsvWrongFieldCount(csv.Count, expectedFields, lastFieldEmpty: csv.Count > 0 && csv[csv.Count - 1].Length == 0),
                    new SourceLocation(file, RecordLine()));
            }

            for (var c = 0; c < columns.Length; c++)
            {
                var raw = csv[fieldOf[c]];
                CheckQuoting();
                switch (encoder.Text(c, raw))
                {
                    case FieldOutcome.Ok:
                        break;
                    case FieldOutcome.Dropped:
                        dropped++;
                        return false;
                    case FieldOutcome.OutOfDomain:
                        // The message shows the value through Messages.ShowCell (escaped, cut short).
                        return BadRow(Messages.CsvOutOfDomain(raw, columns[c].Name), At(c));
                    default:
                        return BadRow(encoder.Unparsable(c, raw), At(c));
                }
            }

            return true;
        }

        private SourceLocation At(int column) => new(file, RecordLine(), fieldOf[column] + 1, columns[column].Name);

        private bool BadRow(string message, SourceLocation location)
        {
            if (schema.BadRows == BadRowAction.Fail)
            {
                throw new InputException(message, location);
            }

            skipped++;
            return false;
        }
    }
}
