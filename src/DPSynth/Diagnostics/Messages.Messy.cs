namespace DPSynth.Diagnostics;

/// <summary>
/// Messages of messy-data handling (issue 17): drafting a schema from a real file, and the schema's constraints
/// (structural zeros).
/// </summary>
public static partial class Messages
{
    /// <summary><c>schema infer</c> found no header name it could use.</summary>
    public static string InferNoUsableColumnName =>
        "no column can be drafted: every header name is empty or repeated (columns are matched by name; give them distinct names, or use --no-header)";

    /// <summary>Help text of <c>schema infer --missing</c>.</summary>
    public const string InferMissingHelp =
        "The texts that mean a missing value, comma-separated (e.g. --missing N or --missing \"NA,-\"; an empty entry is the " +
        "empty field). Without it, common tokens (empty, NA, N, NULL, ., ?) and the only non-number of a numeric column " +
        "are taken, and the draft says where each was found.";

    /// <summary>A syntax error inside a constraint's text.</summary>
    public static string ConstraintSyntax(string detail) =>
        $"constraint: {detail}; the form is 'C is missing when D < 15' or 'C in {{a, b}} when D = v and E != w' (docs/schema-reference.md)";

    /// <summary>What a syntax error found, or the end of the text.</summary>
    private static string Found(string? found) => found is null ? "the end of the text" : $"'{ShowName(found)}'";

    /// <summary>No <c>when</c> after the first condition.</summary>
    public static string ConstraintExpectedWhen(string? found) => $"expected 'when' after the first condition, found {Found(found)}";

    /// <summary><c>is</c> not followed by <c>missing</c> or <c>not missing</c>.</summary>
    public static string ConstraintExpectedMissing(string? found) => $"expected 'missing' or 'not missing' after 'is', found {Found(found)}";

    /// <summary>A character that starts nothing.</summary>
    public static string ConstraintUnexpected(string text) => $"unexpected '{ShowName(text)}'";

    /// <summary>An opening quote without its closing one.</summary>
    public static string ConstraintUnclosedQuote => "a quoted name or value is not closed";

    /// <summary>No column name where a condition starts.</summary>
    public static string ConstraintExpectedColumn(string? found) => $"expected a column name, found {Found(found)}";

    /// <summary>No operator after a column name.</summary>
    public static string ConstraintExpectedOperator(string column, string? found) =>
        $"expected =, !=, <, <=, >, >=, in, not in, is missing or is not missing after column '{ShowName(column)}', found {Found(found)}";

    /// <summary>Text after a complete constraint.</summary>
    public static string ConstraintTrailingText(string? found) => $"expected 'and' or the end of the constraint, found {Found(found)}";

    /// <summary><c>in</c> without a set.</summary>
    public static string ConstraintExpectedSet(string? found) => $"expected '{{' after 'in', found {Found(found)}";

    /// <summary>A set not closed.</summary>
    public static string ConstraintExpectedSetEnd(string? found) => $"expected ',' or '}}' in the set, found {Found(found)}";

    /// <summary>No value where one belongs.</summary>
    public static string ConstraintExpectedValue(string after, string? found) => $"expected a value after '{after}', found {Found(found)}";

    /// <summary>A constraint names a column the schema does not declare.</summary>
    public static string ConstraintUnknownColumn(string column) => $"constraint: unknown column '{ShowName(column)}'";

    /// <summary>A constraint conditions a column on itself.</summary>
    public static string ConstraintConditionsItself(string column) =>
        $"constraint: column '{ShowName(column)}' is both the consequence and a condition; a constraint links different columns";

    /// <summary><c>is missing</c> on a column with no missing cell.</summary>
    public static string ConstraintNotNullable(string column) =>
        $"constraint: column '{ShowName(column)}' is not nullable, so it has no missing cell (declare 'nullable: true')";

    /// <summary>Ordering on labels.</summary>
    public static string ConstraintOrderingOnLabels(string column) =>
        $"constraint: column '{ShowName(column)}' holds labels; compare it with =, !=, in or not in (<, <=, >, >= are for numbers and dates)";

    /// <summary>How a message about one of a constraint's values names the constraint.</summary>
    private static string ConstraintNamed(string constraint) => $"constraint '{ShowText(constraint)}'";

    /// <summary>A value that is not a category (or alias) of a categorical or boolean column.</summary>
    public static string ConstraintNotACategory(string constraint, string value, string column, IReadOnlyList<string> categories) =>
        $"{ConstraintNamed(constraint)}: '{ShowName(value)}' is not a category of column '{ShowName(column)}'; its categories are: " +
        string.Join(", ", categories.Take(20).Select(ShowName)) + (categories.Count > 20 ? ", ..." : string.Empty);

    /// <summary>A value that a continuous column does not read as a number.</summary>
    public static string ConstraintNotANumber(string constraint, string value, string column) =>
        $"{ConstraintNamed(constraint)}: '{ShowName(value)}' is not a finite number as continuous column '{ShowName(column)}' " +
        "reads its values (sign, digits, decimal point, exponent; no white space, separators, inf or NaN, nothing past a double)";

    /// <summary>A value that an integer column does not read as an integer.</summary>
    public static string ConstraintNotAnInteger(string constraint, string value, string column) =>
        $"{ConstraintNamed(constraint)}: '{ShowName(value)}' is not an integer as integer column '{ShowName(column)}' reads " +
        "its values (digits with an optional sign; no point, exponent, white space or separators), so the column never holds it";

    /// <summary>A number the column's values could never be, because a double cannot hold it.</summary>
    public static string ConstraintInexactNumber(string constraint, string value, string column, bool integer) =>
        $"{ConstraintNamed(constraint)}: '{ShowName(value)}' " + (integer
            ? "is an integer a double cannot hold exactly (beyond 2^53, it would round to another integer)"
            : "is a nonzero number too small for a double (it would round to 0)") +
        $", which column '{ShowName(column)}' refuses in its values too";

    /// <summary>A value that a date column does not read as a date.</summary>
    public static string ConstraintNotADate(string constraint, string value, string column, string format) =>
        $"{ConstraintNamed(constraint)}: '{ShowName(value)}' is not a date written {ShowName(format)}, the format of column " +
        $"'{ShowName(column)}'";

    /// <summary>A value outside the declared bounds, which the column never holds (whatever the operator).</summary>
    public static string ConstraintOutsideBounds(string constraint, string value, string column, string min, string max) =>
        $"{ConstraintNamed(constraint)}: '{ShowName(value)}' lies outside the declared bounds of column '{ShowName(column)}' " +
        $"({ShowName(min)} to {ShowName(max)}), so the column never holds it (state the condition with a value inside them)";

    /// <summary>The condition holds for no cell.</summary>
    public static string ConstraintNeverApplies =>
        "constraint: the condition after 'when' holds for no cell of the declared domain (a bin or date range counts " +
        "only when every value in it satisfies the condition), so the constraint would do nothing";

    /// <summary>The constraint forbids no cell.</summary>
    public static string ConstraintForbidsNothing =>
        "constraint: it forbids no combination of cells (where the condition holds, every cell of the consequence can " +
        "still satisfy it, for example a bin that straddles the value), so it would do nothing";

    /// <summary>The constraint forbids every cell.</summary>
    public static string ConstraintForbidsEverything => "constraint: it forbids every combination of cells, so no row could exist";

    /// <summary>Too many cells in a constraint's columns.</summary>
    public static string ConstraintTooLarge(long cells, long max) =>
        $"constraint: its columns have {cells} combinations of cells; at most {max} are allowed (use fewer or coarser columns)";

    /// <summary>Constraints that together rule out every row.</summary>
    public static string ConstraintsContradict(IEnumerable<string> constraints) =>
        "the schema's constraints together rule out every row: " + string.Join("; ", constraints.Select(c => $"'{ShowText(c)}'"));

    /// <summary>The constraints' cliques do not fit the model-size cap.</summary>
    public static string ConstraintsExceedModelSize(double capMb, double neededMb) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"the schema's constraints need a model of {neededMb:G4} MB with the 1-way marginals alone, above max_model_size " +
            $"{capMb:G4} MB; raise max_model_size or constrain fewer or coarser columns");

    /// <summary>
    /// A number, integer or date with white space around it in a file read with <c>trim: false</c>, which trimming would
    /// make a value (private value: operator console only).
    /// </summary>
    /// <param name="value">The field as read.</param>
    /// <param name="type"><c>integer</c>, <c>continuous</c> or <c>date</c>.</param>
    public static string ValueNotTrimmed(string value, string type) =>
        $"value '{ShowCell(value)}' has white space around it, which is read as part of the {type} value while csv.trim is " +
        "false: csv: {trim: true} would accept it (it removes the white space around every field)";

    /// <summary>
    /// A number a double cannot hold exactly: an integer beyond 2^53 it would round, or a nonzero number it would round
    /// to 0 (private value: operator console only).
    /// </summary>
    /// <param name="value">The field as read.</param>
    /// <param name="type"><c>integer</c> or <c>continuous</c>.</param>
    public static string ValueNotExact(string value, string type) => type == "integer"
        ? $"value '{ShowCell(value)}' is an integer that is not exactly representable as a double (beyond 2^53 = " +
          "9007199254740992 a double rounds it to a neighbour, which may lie inside the domain); it is refused, as an integer too large to parse is"
        : $"value '{ShowCell(value)}' is not zero but too small for a double, which would round it to 0; it is refused, " +
          "as a number too large for a double is";
}
