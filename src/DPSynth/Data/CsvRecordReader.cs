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
    private long origin;

    /// <summary>Reads records from <paramref name="reader"/> (left open); <paramref name="file"/> names it in errors.</summary>
    public CsvRecordReader(TextReader reader, string file, CsvConfiguration configuration, CsvLimits limits)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        this.file = file;
        this.limits = limits;
        text = new BoundedText(reader, limits.MaxRecordChars);
        Parser = new CsvParser(text, configuration with { MaxFieldSize = limits.MaxFieldChars }, leaveOpen: true);
    }

    /// <summary>The parser: the current record's fields, its raw text and its rows.</summary>
    public CsvParser Parser { get; }

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
            throw new InputException(Messages.CsvFieldTooLong(limits.MaxFieldChars), new SourceLocation(file, StartLine(endsRecord: true)));
        }
        catch (RecordTooLongException)
        {
            // The parser asks for more text inside a record only: a line break it has just read is a quoted one.
            throw new InputException(Messages.CsvRecordTooLong(limits.MaxRecordChars), new SourceLocation(file, StartLine(endsRecord: false)));
        }

        if (more && Parser.Count > limits.MaxFields)
        {
            throw new InputException(Messages.CsvTooManyFields(limits.MaxFields), new SourceLocation(file, StartLine(endsRecord: true)));
        }

        // The parser has consumed exactly the records it returned: the next one starts right after.
        text.RecordStartsAt(origin + Parser.CharCount);
        return more;
    }

    /// <summary>
    /// The first line of the record just read: <see cref="CsvParser.RawRow"/> is its last line, and a quoted line break
    /// makes a record span several. Only for error paths (it builds the raw record, at most the bounds long).
    /// </summary>
    public long RecordStartLine() => StartLine(endsRecord: true);

    /// <summary>
    /// The first line of the current record. A line break that ends the record does not count in
    /// <see cref="CsvParser.RawRow"/>, a quoted one does: <paramref name="endsRecord"/> says which a trailing one is.
    /// </summary>
    private long StartLine(bool endsRecord)
    {
        var raw = Parser.RawRecord.AsSpan();
        return SkippedLines + Parser.RawRow - (endsRecord ? raw.TrimEnd("\r\n") : raw).Count('\n');
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
