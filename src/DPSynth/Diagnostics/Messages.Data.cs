namespace DPSynth.Diagnostics;

/// <summary>Messages of the CSV encoder and decoder. Values quoted here are private: operator console only.</summary>
public static partial class Messages
{
    /// <summary>The bytes are not UTF-8.</summary>
    public static string InvalidUtf8 => "the file is not valid UTF-8";

    /// <summary>No records at all.</summary>
    public static string CsvEmpty => "the file has no records (it is empty, or only blank or skipped lines)";

    /// <summary>A header and nothing else.</summary>
    public static string CsvHeaderOnly => "the file has a header but no data rows";

    /// <summary>Every row was skipped or dropped.</summary>
    public static string CsvNoRowsLeft(long records) =>
        $"no rows left to encode: all {records} records were skipped as bad rows or dropped as out of domain";

    /// <summary>Unbalanced or stray quote.</summary>
    public static string CsvBadQuoting(char quote) =>
        $"malformed quoting: a field has an unbalanced or stray {quote} (quote a field whole and double quotes inside it)";

    /// <summary>A quoted field whose quote is never closed: it runs to the end of the file.</summary>
    public static string CsvQuoteNeverClosed(char quote) =>
        $"malformed quoting: a field of the record starting on this line opens a {quote} that is never closed, so it runs to the end of the file (close it, and double a {quote} inside a field)";

    /// <summary>A header names a schema column twice.</summary>
    public static string CsvDuplicateHeader(string name) => $"the header names column '{ShowCell(name)}' twice";

    /// <summary>Schema columns absent from the header.</summary>
    public static string CsvColumnsNotInHeader(IEnumerable<string> names) =>
        $"the header lacks schema column(s): {string.Join(", ", names.Select(ShowName))}";

    /// <summary>A row with the wrong number of fields.</summary>
    public static string CsvWrongFieldCount(int found, int expected) => $"the row has {found} fields; expected {expected}";

    /// <summary>
    /// A value that does not parse as an integer or continuous column's number (private value: operator console only),
    /// with what in it looks like a number written for people: a currency sign, a thousands separator, a decimal comma,
    /// accounting parentheses or a percent sign.
    /// </summary>
    public static string CsvNotANumber(string value, string type)
    {
        var text = value.Trim();
        var what = type == "integer" ? "an integer" : "a number";
        var reasons = new List<string>();
        if (text.Any(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.CurrencySymbol))
        {
            reasons.Add("a currency sign");
        }

        var digitGroups = System.Text.RegularExpressions.Regex.Matches(text, @"(?<=\d)[,_'\s\u00a0\u202f](\d+)");
        if (digitGroups.Any(m => m.Value[0] != ',' || m.Groups[1].Length == 3))
        {
            reasons.Add("a thousands separator");
        }
        else if (digitGroups.Count == 1)
        {
            reasons.Add("a decimal comma (write the decimal point as '.')");
        }

        if (text.Length > 2 && text[0] == '(' && text[^1] == ')')
        {
            reasons.Add("parentheses (write a negative number with '-')");
        }

        if (text.EndsWith('%'))
        {
            reasons.Add("a percent sign");
        }

        return reasons.Count == 0
            ? CsvUnparsable(value, type)
            : $"value '{ShowCell(value)}' is not {what}: it has {string.Join(" and ", reasons)} (write numbers plainly, like {(type == "integer" ? "-1234" : "-1234.5")})";
    }

    /// <summary>A value that is not a date in the column's format (private value: operator console only).</summary>
    public static string CsvNotADate(string value, string format) =>
        $"value '{ShowCell(value)}' is not a date in the column's format, {ShowName(format)} (the column's format key)";

    /// <summary>A row with one field too many, the last one empty: a delimiter at the end of the line.</summary>
    public static string CsvTrailingDelimiter(int found, int expected) =>
        $"{CsvWrongFieldCount(found, expected)} (the line ends with the delimiter, which adds an empty last field; " +
        "remove it, or end the header with one too)";

    /// <summary>
    /// A row with the wrong number of fields; one with a single field too many whose last field is empty
    /// (<paramref name="lastFieldEmpty"/>) is named for its trailing delimiter.
    /// </summary>
    public static string CsvWrongFieldCount(int found, int expected, bool lastFieldEmpty) =>
        found == expected + 1 && lastFieldEmpty ? CsvTrailingDelimiter(found, expected) : CsvWrongFieldCount(found, expected);

    /// <summary>A blank line inside the data of a file of several columns.</summary>
    public static string CsvBlankLine(int expected) =>
        $"the line is blank, but a row of this file has {expected} fields: a blank line among the rows is a bad row " +
        "(see bad_rows; blank lines before the header and at the end of the file are ignored)";

    /// <summary>
    /// Schema columns absent from the header, with the names the header holds (names, not row data) and
    /// <paramref name="hints"/> on near misses.
    /// </summary>
    public static string CsvColumnsNotInHeader(IReadOnlyList<string> absent, IReadOnlyList<string> header, IEnumerable<string> hints)
    {
        const int MaxShown = 50;
        var shown = string.Join(", ", header.Take(MaxShown).Select(n => $"'{ShowName(n)}'")) + (header.Count > MaxShown ? ", ..." : string.Empty);
        var text = $"{CsvColumnsNotInHeader(absent)}; the header reads {header.Count} name(s): {shown}";
        return string.Join("; ", hints.Prepend(text));
    }

    /// <summary>A header that another delimiter splits into the schema's names.</summary>
    public static string CsvHeaderHintDelimiter(string delimiter) =>
        $"split on '{ShowName(delimiter)}' it holds the schema's names: set csv: {{ delimiter: \"{ShowName(delimiter)}\" }} in the schema";

    /// <summary>Header names as found beside the schema columns they nearly are ("'Age' for 'age', ...").</summary>
    private static string NearMisses(IEnumerable<(string Found, string Column)> pairs, bool more) =>
        string.Join(", ", pairs.Select(p => $"'{ShowName(p.Found)}' for '{ShowName(p.Column)}'")) + (more ? ", ..." : string.Empty);

    /// <summary>Header names that are schema columns with spaces around them.</summary>
    internal static string CsvHeaderHintSpaces(IEnumerable<(string Found, string Column)> pairs, bool more) =>
        $"with white space around them: {NearMisses(pairs, more)}: set csv: {{ trim: true }} in the schema (it trims names and values), or fix the header";

    /// <summary>Header names that are schema columns after a byte-order mark.</summary>
    internal static string CsvHeaderHintByteOrderMark(IEnumerable<(string Found, string Column)> pairs, bool more) =>
        $"after a byte-order mark (U+FEFF): {NearMisses(pairs, more)}: the file has a second one, or one in the wrong place; remove it";

    /// <summary>Header names that are schema columns in other letter case.</summary>
    internal static string CsvHeaderHintCase(IEnumerable<(string Found, string Column)> pairs, bool more) =>
        $"in other letter case: {NearMisses(pairs, more)}: names are matched exactly, so rename them in the schema or the header";

    /// <summary>A file whose byte-order mark names another encoding than UTF-8.</summary>
    public static string CsvNotUtf8Encoding(string encoding) =>
        $"the file is {encoding} text (it starts with that encoding's byte-order mark); CSV input must be UTF-8: convert it " +
        $"(for example: iconv -f {encoding.Split(' ')[0]} -t UTF-8) and try again";

    /// <summary>A gzip file given as CSV.</summary>
    public static string CsvLooksGzip =>
        "this looks like a gzip file (it starts with the gzip signature 1F 8B), not CSV text: decompress it first (gunzip)";

    /// <summary>A Parquet file given as CSV (Parquet input is told by its name).</summary>
    public static string CsvLooksParquet =>
        "this looks like a Parquet file (it starts with PAR1), but it is read as CSV: Parquet input is recognised by a name " +
        "ending in .parquet or .parq (where a command accepts Parquet), so rename it, or give a CSV file";

    /// <summary>A value outside the declared domain (private value: operator console only).</summary>
    public static string CsvOutOfDomain(string value, string column) =>
        $"value '{ShowCell(value)}' is outside the declared domain of column '{ShowName(column)}' (see on_out_of_domain and bad_rows)";

    /// <summary>A value that does not parse (private value: operator console only).</summary>
    public static string CsvUnparsable(string value, string type) => type switch
    {
        "integer" => $"value '{ShowCell(value)}' is not an integer",
        "continuous" => $"value '{ShowCell(value)}' is not a finite number",
        _ => $"value '{ShowCell(value)}' is not a date in the column's format",
    };
}
