using CsvHelper;
using CsvHelper.Configuration;
using DPSynth.Diagnostics;

namespace DPSynth.Data;

/// <summary>
/// CsvHelper's <see cref="CsvParser"/> over CSV text, held to <see cref="CsvLimits"/>: a field or a record past its
/// bound (and a line to skip past the record bound) is an <see cref="InputException"/> naming the line where the record
/// starts, raised before the parser has buffered more than the bound. Shared by the encoder and schema inference.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    private readonly BoundedText text;
    private readonly string file;
    private readonly CsvLimits limits;
    private readonly string delimiter;
    private readonly char quote;
    private long origin;

    /// <summary>Reads records from <paramref name="reader"/> (left open); <paramref name="file"/> names it in errors.</summary>
    public CsvRecordReader(TextReader reader, string file, CsvConfiguration configuration, CsvLimits limits)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        this.file = file;
        this.limits = limits;
        delimiter = configuration.Delimiter;
        quote = configuration.Quote;
        text = new BoundedText(reader, limits.MaxRecordChars);
        Parser = new CsvParser(text, configuration with { MaxFieldSize = limits.MaxFieldChars }, leaveOpen: true);
    }

    /// <summary>The parser: the current record's fields, its raw text and its rows.</summary>
    public CsvParser Parser { get; }

    /// <summary>How many blank lines the last <see cref="ReadPastBlankLines"/> passed over.</summary>
    public int BlankLinesPassed { get; private set; }

    /// <summary>The line of the first of them (when <see cref="BlankLinesPassed"/> is not 0).</summary>
    public long FirstBlankLine { get; private set; }

    /// <summary>Lines skipped before the first record.</summary>
    public int SkippedLines { get; private set; }

    /// <summary>Skips up to <paramref name="lines"/> lines before any record is read; returns how many were there.</summary>
    /// <exception cref="InputException">A line to skip is longer than the record bound.</exception>
    public int SkipLines(int lines)
    {
        while (SkippedLines < lines && text.SkipLine())
        {
            SkippedLines++;
            if (text.LineTooLong)
            {
                throw new InputException(Messages.CsvRecordTooLong(limits.MaxRecordChars), new SourceLocation(file, SkippedLines));
            }
        }

        // The parser counts characters from where it starts reading, after the skipped lines.
        origin = text.Delivered;
        text.RecordStartsAt(origin);
        return SkippedLines;
    }

    /// <summary>Reads the next record; false at the end of the text.</summary>
    /// <exception cref="InputException">A field or the record is longer than its bound.</exception>
    public bool Read()
    {
        bool more;
        try
        {
            more = Parser.Read();
        }
        catch (MaxFieldSizeException)
        {
            // CsvHelper checks a field's size as it ends it, at a delimiter or the record's own line break.
            throw new InputException(Messages.CsvFieldTooLong(limits.MaxFieldChars), new SourceLocation(file, RecordStartLine()));
        }
        catch (RecordTooLongException)
        {
            // The parser asks for more text inside a record only: a line break it has just read is a quoted one.
            throw new InputException(Messages.CsvRecordTooLong(limits.MaxRecordChars), new SourceLocation(file, RecordStartLine()));
        }

        if (more && Parser.Count > limits.MaxFields)
        {
            throw new InputException(Messages.CsvTooManyFields(limits.MaxFields), new SourceLocation(file, RecordStartLine()));
        }

        // The parser has consumed exactly the records it returned: the next one starts right after.
        text.RecordStartsAt(origin + Parser.CharCount);
        return more;
    }

    /// <summary>
    /// Reads the next record that is not a blank line; false at the end of the text. RFC 4180 makes a blank line a
    /// record of one empty field: in a table of one column that is a missing value (read those with <see cref="Read"/>),
    /// in a wider table it is a record with too few fields. <see cref="BlankLinesPassed"/> says how many were passed
    /// over, for the caller to treat as bad rows (inside the data) or to count as ignored (before the header, or at
    /// the end of the text when this returns false): none is dropped unseen.
    /// </summary>
    /// <exception cref="InputException">As <see cref="Read"/>.</exception>
    public bool ReadPastBlankLines()
    {
        BlankLinesPassed = 0;
        while (Read())
        {
            // RawRecord builds a string: only for the rare one-field record.
            if (Parser.Count != 1 || !Parser.RawRecord.AsSpan().TrimEnd("\r\n").IsEmpty)
            {
                return true;
            }

            if (BlankLinesPassed++ == 0)
            {
                FirstBlankLine = RecordStartLine();
            }
        }

        return false;
    }

    /// <summary>
    /// The first line of the record just read (or being read when a bound stopped it). <see cref="CsvParser.RawRow"/>
    /// counts the line the record starts on and every line break inside quotes after it, not the break that ends the
    /// record; so a record whose quote never closes, whose every line break to the end of the file is quoted, is
    /// still placed where it starts. Only for error paths (it builds the raw record, at most the bounds long).
    /// </summary>
    public long RecordStartLine() => SkippedLines + Parser.RawRow - ScanQuotes(Parser.RawRecord, delimiter, quote).Breaks;

    /// <summary>
    /// True when the record just read ends inside a quoted field: its quote was never closed, so it ran to the end of
    /// the text. Only for error paths, as <see cref="RecordStartLine"/>.
    /// </summary>
    public bool QuoteLeftOpen() => ScanQuotes(Parser.RawRecord, delimiter, quote).Open;

    /// <summary>
    /// The line breaks inside quotes in <paramref name="raw"/>, one record's text, as CsvHelper's RFC 4180 mode reads
    /// it (a field that starts with the quote is quoted up to a quote that is not doubled; a quote anywhere else is
    /// text; a CR, or an LF not after a CR, is one break, as CsvHelper counts rows), and whether the text ends inside
    /// quotes.
    /// </summary>
    private static (int Breaks, bool Open) ScanQuotes(ReadOnlySpan<char> raw, string delimiter, char quote)
    {
        var breaks = 0;
        var fieldStart = true;
        var inQuotes = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (fieldStart)
            {
                fieldStart = false;
                if (c == quote)
                {
                    inQuotes = true;
                    continue;
                }
            }

            if (inQuotes)
            {
                if (c == quote)
                {
                    // A doubled quote is one quote of the text; a single one closes the field's quotes for good.
                    inQuotes = i + 1 < raw.Length && raw[i + 1] == quote;
                    i += inQuotes ? 1 : 0;
                }
                else if (c == '\r' || (c == '\n' && (i == 0 || raw[i - 1] != '\r')))
                {
                    breaks++;
                }
            }
            else if (raw[i..].StartsWith(delimiter, StringComparison.Ordinal))
            {
                fieldStart = true;
                i += delimiter.Length - 1;
            }
        }

        return (breaks, inQuotes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Parser.Dispose();
        text.Dispose();
    }

    /// <summary>Raised by <see cref="BoundedText"/> inside the parser; turned into an <see cref="InputException"/> above.</summary>
    private sealed class RecordTooLongException : Exception;

    /// <summary>
    /// The text under the parser, counting what it hands over. The parser asks for more text only once it has consumed
    /// all it was given and its record is not finished, so at each request the record so far is exactly what was handed
    /// over since the record started: a request once that is past the bound is refused, so the parser's buffer never
    /// holds more than the bound and one read.
    /// </summary>
    private sealed class BoundedText(TextReader inner, int maxRecordChars) : TextReader
    {
        private long recordStart;

        /// <summary>Characters handed over so far (skipped lines included).</summary>
        public long Delivered { get; private set; }

        /// <summary>True when the last <see cref="SkipLine"/> stopped at the bound, not at a line break.</summary>
        public bool LineTooLong { get; private set; }

        /// <summary>Marks where the next record starts, in <see cref="Delivered"/>'s count.</summary>
        public void RecordStartsAt(long position) => recordStart = position;

        /// <summary>Reads past the next line break; false at the end of the text. Stops at the record bound.</summary>
        public bool SkipLine()
        {
            var length = 0L;
            int c;
            while ((c = inner.Read()) >= 0)
            {
                Delivered++;
                if (c == '\n')
                {
                    return true;
                }

                if (c == '\r')
                {
                    // CR LF or a lone CR ends the line, as TextReader.ReadLine has it.
                    if (inner.Peek() == '\n')
                    {
                        inner.Read();
                        Delivered++;
                    }

                    return true;
                }

                if (++length > maxRecordChars)
                {
                    LineTooLong = true;
                    return true;
                }
            }

            return length > 0;
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (Delivered - recordStart > maxRecordChars)
            {
                throw new RecordTooLongException();
            }

            var read = inner.Read(buffer);
            Delivered += read;
            return read;
        }

        public override int Read()
        {
            Span<char> one = stackalloc char[1];
            return Read(one) == 1 ? one[0] : -1;
        }

        public override int Peek() => inner.Peek();
    }
}
