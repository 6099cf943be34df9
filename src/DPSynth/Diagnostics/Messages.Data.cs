namespace DPSynth.Diagnostics;

/// <summary>Messages of the CSV encoder and decoder. Values quoted here are private: operator console only.</summary>
public static partial class Messages
{
    /// <summary>The bytes are not UTF-8.</summary>
    public static string InvalidUtf8 => "the file is not valid UTF-8";

    /// <summary>No records at all.</summary>
    public static string CsvEmpty => "the file has no records (it is empty, or only skipped lines)";

    /// <summary>A header and nothing else.</summary>
    public static string CsvHeaderOnly => "the file has a header but no data rows";

    /// <summary>Every row was skipped or dropped.</summary>
    public static string CsvNoRowsLeft(long records) =>
        $"no rows left to encode: all {records} records were skipped as bad rows or dropped as out of domain";

    /// <summary>Unbalanced or stray quote.</summary>
    public static string CsvBadQuoting(char quote) =>
        $"malformed quoting: a field has an unbalanced or stray {quote} (quote a field whole and double quotes inside it)";

    /// <summary>A header names a schema column twice.</summary>
    public static string CsvDuplicateHeader(string name) => $"the header names column '{ShowCell(name)}' twice";

    /// <summary>Schema columns absent from the header.</summary>
    public static string CsvColumnsNotInHeader(IEnumerable<string> names) =>
        $"the header lacks schema column(s): {string.Join(", ", names.Select(ShowName))}";

    /// <summary>A row with the wrong number of fields.</summary>
    public static string CsvWrongFieldCount(int found, int expected) => $"the row has {found} fields; expected {expected}";

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
