namespace DPSynth.Data;

/// <summary>
/// How large one CSV field and one CSV record may be. CsvHelper keeps a whole record in one buffer that doubles as it
/// grows, and a field in one string, with no bound of its own: a file whose quote never closes, or a single line of a
/// gigabyte, runs the process out of memory or overflows the buffer's size (issue 14: an OverflowException past about
/// 1 G characters). Past these bounds the file is refused with an error naming the line instead.
/// </summary>
/// <param name="MaxFieldChars">The most characters in one field as written in the file, its quotes included.</param>
/// <param name="MaxRecordChars">The most characters one record may span, delimiters, quotes and quoted line breaks included.</param>
/// <param name="MaxFields">The most fields one record may have.</param>
internal sealed record CsvLimits(int MaxFieldChars, int MaxRecordChars, int MaxFields = CsvLimits.DefaultMaxFields)
{
    /// <summary>
    /// 65,536 fields: far more columns than any schema's domain can model, while a record of millions of one-character
    /// fields (16 Mi characters hold 8 Mi of them), each of which would get its own bookkeeping object in the readers
    /// and in schema inference, is refused before that bookkeeping is built.
    /// </summary>
    public const int DefaultMaxFields = 1 << 16;

    /// <summary>
    /// 1 Mi characters (2 MB in memory): far beyond any category label, number or date a schema can hold, so a longer
    /// field is a wrong file (or a quote left open), never data.
    /// </summary>
    public const int DefaultMaxFieldChars = 1 << 20;

    /// <summary>
    /// 16 Mi characters (32 MB in memory, the parser's buffer at most twice that): room for hundreds of columns of long
    /// fields, while a file that is one endless record (say, commas and no line break) stops early.
    /// </summary>
    public const int DefaultMaxRecordChars = 1 << 24;

    /// <summary>The limits every reader of a CSV file uses.</summary>
    public static CsvLimits Default { get; } = new(DefaultMaxFieldChars, DefaultMaxRecordChars);
}
