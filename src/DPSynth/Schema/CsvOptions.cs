namespace DPSynth.Schema;

/// <summary>How the CSV file is laid out (the schema's <c>csv</c> key).</summary>
/// <param name="Header">True when the first record (after <paramref name="SkipLines"/>) names the columns; columns are
/// then matched by name and extra file columns are ignored. False: fields are in schema order.</param>
/// <param name="Delimiter">The field separator (one or more characters).</param>
/// <param name="Quote">The quote character; a quote inside a quoted field is doubled (RFC 4180).</param>
/// <param name="Trim">Remove leading and trailing white space from every field (the <c>", "</c> separators of the
/// published UCI files).</param>
/// <param name="SkipLines">Lines to skip before the first record (junk such as <c>|1x3 Cross validator</c>).</param>
public sealed record CsvOptions(bool Header = true, string Delimiter = ",", char Quote = '"', bool Trim = false, int SkipLines = 0)
{
    /// <summary>Header, comma, double quote, no trimming, no skipped lines.</summary>
    public static CsvOptions Default { get; } = new();
}
