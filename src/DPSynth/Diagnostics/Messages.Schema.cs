using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>Messages of the schema readers (YAML schema and Private-PGM domain JSON).</summary>
public static partial class Messages
{
    /// <summary>Several problems, one per line, each with its own location.</summary>
    public static string ManyProblems(IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return $"{diagnostics.Count} problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", diagnostics);
    }

    /// <summary>A key the schema does not know (often a typo).</summary>
    public static string UnknownKey(string key, IEnumerable<string> allowed) =>
        $"unknown key '{ShowName(key)}'; expected one of: {string.Join(", ", allowed)}";

    /// <summary>A key that exists, but not for this column type.</summary>
    public static string KeyNotForType(string key, string type) => $"key '{ShowName(key)}' does not apply to a {type} column";

    /// <summary>Wrong YAML node type: a mapping was expected.</summary>
    public static string ExpectedMapping(string key) => $"'{key}' must be a mapping (key: value pairs)";

    /// <summary>Wrong YAML node type: a list was expected.</summary>
    public static string ExpectedList(string key) => $"'{key}' must be a list";

    /// <summary>Wrong type: a non-empty string was expected.</summary>
    public static string ExpectedString(string key) => $"'{key}' must be a non-empty string";

    /// <summary>Wrong type: an integer was expected.</summary>
    public static string ExpectedInteger(string key) => $"'{key}' must be an integer (unquoted)";

    /// <summary>A number written with a leading zero, which YAML 1.1 reads as octal.</summary>
    public static string NumberLeadingZero(string key, string value) =>
        $"'{key}' is written with a leading zero ({ShowText(value)}), which YAML 1.1 tools read as an octal number and this reader as a decimal one; write it without the leading zero";

    /// <summary>Wrong type: a number was expected.</summary>
    public static string ExpectedNumber(string key) => $"'{key}' must be a finite number (unquoted)";

    /// <summary>Wrong type: a boolean was expected.</summary>
    public static string ExpectedBoolean(string key) => $"'{key}' must be true or false";

    /// <summary>Wrong type: a date was expected.</summary>
    public static string ExpectedDate(string key) => $"'{key}' must be a date written yyyy-MM-dd";

    /// <summary>A value outside a fixed set of choices.</summary>
    public static string ExpectedChoice(string key, IEnumerable<string> choices) =>
        $"'{key}' must be one of: {string.Join(", ", choices)}";

    /// <summary>The YAML parser rejected the text.</summary>
    public static string YamlSyntax(string detail) => $"YAML syntax error: {ShowText(detail)}";

    /// <summary>The JSON parser rejected the text.</summary>
    public static string JsonSyntax(string detail) => $"JSON syntax error: {ShowText(detail)}";

    /// <summary>The document is not a mapping.</summary>
    public static string SchemaNotAMapping => "the schema must be a YAML mapping with a 'columns' list";

    /// <summary>No columns are declared.</summary>
    public static string SchemaHasNoColumns => "the schema declares no columns ('columns' must be a non-empty list)";

    /// <summary>A missing token listed twice.</summary>
    public static string DuplicateMissingToken(string token) => $"missing token '{ShowName(token)}' is listed twice";

    /// <summary>Bad <c>skip_lines</c>.</summary>
    public static string SkipLinesOutOfRange => "'skip_lines' must be 0 or more";

    /// <summary>Bad <c>quote</c>.</summary>
    public static string QuoteNotOneCharacter => "'quote' must be exactly one character, not a line break";

    /// <summary>Bad <c>delimiter</c>.</summary>
    public static string BadDelimiter => "'delimiter' must not contain a line break or the quote character";

    /// <summary>A column without a name.</summary>
    public static string ColumnWithoutName => "a column needs a non-empty 'name'";

    /// <summary>Two columns with one name.</summary>
    public static string DuplicateColumn(string name, long firstLine) => firstLine > 0
        ? $"duplicate column name '{ShowName(name)}' (first declared on line {firstLine.ToString(CultureInfo.InvariantCulture)})"
        : $"duplicate column name '{ShowName(name)}'";

    /// <summary>A column without a type.</summary>
    public static string ColumnWithoutType(string? name) =>
        $"column '{(name is null ? "?" : ShowName(name))}' needs a 'type': integer, continuous, categorical, boolean or date";

    /// <summary>An <c>on_out_of_domain</c> that the column type cannot do.</summary>
    public static string ActionNotForType(string action, string type) => action == "clamp"
        ? $"a {type} column cannot be clamped; use other, drop or fail"
        : $"a {type} column has no 'other' cell; use clamp, drop or fail";

    /// <summary>Too many cells in one column.</summary>
    public static string TooManyCells(string name, int cells, int max) =>
        $"column '{ShowName(name)}' has {cells} cells (missing and other included); at most {max} are allowed";

    /// <summary>An integer column with one cell per value and too wide a range.</summary>
    public static string TooManyIntegerValues(string name, long values, int max) =>
        $"column '{ShowName(name)}' would have {values} cells (one per value); give 'bins' or 'edges' (at most {max} cells)";

    /// <summary>An integer bound past the exactly representable range.</summary>
    public static string IntegerTooLarge(long max) => $"integer bounds must lie within -{max}..{max}";

    /// <summary>A required bound is absent.</summary>
    public static string MissingBound(string key) => $"'{key}' is required (a public bound, never read from the data)";

    /// <summary>min &gt; max.</summary>
    public static string MinAboveMax(string min, string max) => $"'min' ({ShowName(min)}) is greater than 'max' ({ShowName(max)})";

    /// <summary>Both bins and edges.</summary>
    public static string BinsAndEdges => "give either 'bins' or 'edges', not both";

    /// <summary>Bad bin count.</summary>
    public static string BinsOutOfRange(int max) => $"'bins' must be between 1 and {max}";

    /// <summary>More bins than integer values.</summary>
    public static string MoreBinsThanValues(long bins, long values) => $"{bins} bins for only {values} values; every bin needs a value";

    /// <summary>Edges out of order.</summary>
    public static string EdgesNotIncreasing => "'edges' must be strictly increasing";

    /// <summary>Fewer than two edges.</summary>
    public static string TooFewEdges => "'edges' needs at least two values (one bin)";

    /// <summary>Edges that leave part of [min, max] without a bin.</summary>
    public static string EdgesDoNotCover(string min, string max) => $"'edges' must start at or below min ({ShowName(min)}) and end at or above max ({ShowName(max)})";

    /// <summary>A bin with no value inside [min, max].</summary>
    public static string EmptyBin => "a bin has no value inside [min, max]; move the edges or the bounds";

    /// <summary>A continuous column without bins.</summary>
    public static string ContinuousNeedsBins(string name) => $"continuous column '{ShowName(name)}' needs 'bins' or 'edges'";

    /// <summary>A categorical column without categories.</summary>
    public static string CategoriesMissing(string name) => $"categorical column '{ShowName(name)}' needs 'categories'";

    /// <summary>An empty category list.</summary>
    public static string CategoriesEmpty(string name) => $"categorical column '{ShowName(name)}' has an empty 'categories' list";

    /// <summary>A category listed twice.</summary>
    public static string DuplicateCategory(string category) => $"category '{ShowName(category)}' is listed twice";

    /// <summary>A category that is also a missing token.</summary>
    public static string CategoryIsMissingToken(string category) =>
        $"category '{ShowName(category)}' is also a missing token; it would never be read as a category";

    /// <summary>An alias to an unknown category.</summary>
    public static string AliasTargetUnknown(string alias, string target) => $"alias '{ShowName(alias)}' points to '{ShowName(target)}', which is not a category";

    /// <summary>An alias that is already a category or a missing token.</summary>
    public static string AliasClashes(string alias) => $"alias '{ShowName(alias)}' is already a category or a missing token";

    /// <summary>A domain JSON that is not an object.</summary>
    public static string DomainJsonNotAnObject => "a domain JSON must be an object of attribute: size pairs";

    /// <summary>Content after the top-level object of a domain JSON.</summary>
    public static string JsonTrailingContent => "JSON syntax error: content after the top-level object (a domain JSON is one object)";

    /// <summary>A bad size in a domain JSON.</summary>
    public static string DomainSizeInvalid(string name, int max) => $"the size of '{ShowName(name)}' must be an integer between 1 and {max}";

    /// <summary>A date format that cannot read back the dates it writes at the column's granularity.</summary>
    public static string BadDateFormat(string format) =>
        $"date format '{ShowName(format)}' cannot read back the dates it writes; use .NET custom date format letters (yyyy, MM, dd)";

    /// <summary>A continuous range whose width overflows a double.</summary>
    public static string RangeTooWide => "max - min is too large to compute with (it overflows a double)";

    /// <summary>A continuous column's decimals key is out of range.</summary>
    public static string DecimalsOutOfRange(int max) => $"decimals must be a whole number from 0 to {max}";

    /// <summary>
    /// A category or alias with white space around it under <c>csv: {trim: true}</c>: trimmed fields can never equal it.
    /// </summary>
    /// <param name="column">The column that declares it.</param>
    /// <param name="what"><c>category</c> or <c>alias</c>.</param>
    /// <param name="label">The label as declared.</param>
    public static string LabelNotTrimmed(string column, string what, string label) =>
        $"column '{ShowName(column)}': {what} '{ShowName(label)}' has white space around it, but csv: {{trim: true}} removes " +
        $"the white space around every field before it is compared, so no field can ever equal it (write '{ShowName(label.Trim())}', " +
        "or set trim: false if the spaces are part of the value)";

    /// <summary>A missing token with white space around it under <c>csv: {trim: true}</c>.</summary>
    public static string MissingTokenNotTrimmed(string token) =>
        $"missing token '{ShowName(token)}' has white space around it, but csv: {{trim: true}} removes the white space around " +
        $"every field before it is compared, so no field can ever equal it (write '{ShowName(token.Trim())}', or set trim: false " +
        "if the spaces are part of the token)";

    /// <summary>A column name with white space around it under <c>csv: {trim: true}</c> (header names are trimmed too).</summary>
    public static string ColumnNameNotTrimmed(string name) =>
        $"column name '{ShowName(name)}' has white space around it, but csv: {{trim: true}} removes the white space around " +
        $"the header's names too, so no header name can ever equal it (write '{ShowName(name.Trim())}', or set trim: false " +
        "if the spaces are part of the name)";
}

