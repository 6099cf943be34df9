using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>
/// Messages of the marginal sources (memory, DuckDB, PostgreSQL) and of Parquet input and output. Names, paths and
/// engine explanations (which may quote a value of the data) go through <see cref="DisplayText"/>.
/// </summary>
public static partial class Messages
{
    /// <summary>A source column of a type no source can read identically.</summary>
    public static string SourceTypeUnsupported(string column, string type) =>
        $"column '{ShowName(column)}' has type {ShowName(type)} in the input, which DPSynth does not read; " +
        "store it as text, an integer, a boolean, a date or a floating-point number";

    /// <summary>A floating-point source column feeding a column that is not continuous.</summary>
    public static string SourceFloatingNotContinuous(string column, string type) =>
        $"column '{ShowName(column)}' is floating point ({ShowName(type)}) in the input, but the schema does not declare it continuous; " +
        "engines write floating-point text differently, so only a continuous column reads it (or store it as text)";

    /// <summary>A DATE source column feeding a date column with another text format.</summary>
    public static string SourceDateFormat(string column, string type) =>
        $"column '{ShowName(column)}' is a date ({ShowName(type)}) in the input, which reads as yyyy-MM-dd, but the schema gives it another " +
        "format; declare format: yyyy-MM-dd or store the column as text";

    /// <summary>What encoding an input file did (operator console only: the counts depend on the private rows).</summary>
    public static string InputRead(
        string path, long read, long kept, long skipped, long dropped, long clamped, long toOther, long blankLines) => string.Create(
        CultureInfo.InvariantCulture,
        $"{ShowText(path)}: read {read} records, kept {kept} rows; {skipped} skipped as bad rows, {dropped} dropped as out of domain; {clamped} values clamped, {toOther} sent to \"other\"; {blankLines} blank lines ignored (before the header or at the end) (console only: these counts are not released)");

    /// <summary>What a SQL source's row check found (operator console only).</summary>
    public static string SourceRowsRead(string input, long kept, long skipped, long dropped) => string.Create(
        CultureInfo.InvariantCulture,
        $"{ShowText(input)}: kept {kept} rows; {skipped} skipped as bad rows, {dropped} dropped as out of domain (console only: these counts are not released)");

    /// <summary>Schema columns missing from a Parquet file or a SQL table.</summary>
    public static string SourceColumnsMissing(string input, IEnumerable<string> names) =>
        $"{ShowText(input)} has no column named {string.Join(", ", names.Select(n => $"'{ShowName(n)}'"))}";

    /// <summary>A schema rule that SQL cannot compute exactly as the in-memory encoder does.</summary>
    public static string SqlRuleNotExpressible(string source, string column, string why) =>
        $"the {source} source cannot encode column '{ShowName(column)}' exactly as the in-memory encoder does: {why}; " +
        "use --source memory";

    /// <summary>Why a date format cannot be read in SQL.</summary>
    public static string SqlDateFormatWhy(string format) =>
        $"its date format '{ShowName(format)}' is not yyyy-MM-dd, the only one SQL reads with .NET's rules";

    /// <summary>Why a boolean column's spellings cannot be listed in SQL.</summary>
    public static string SqlBooleanSpellingsWhy(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"its case-insensitive spellings would need {count} literals (at most 4096)");

    /// <summary>Why a text with a NUL character cannot be a SQL literal.</summary>
    public static string SqlNulWhy => "a category, alias or missing token holds a NUL character, which SQL text cannot";

    /// <summary>Bad rows found by a SQL source under bad_rows: fail.</summary>
    public static string SqlBadRows(string input, long rows, string column) =>
        string.Create(CultureInfo.InvariantCulture, $"{ShowText(input)}: {rows} row(s) have a value in column '{ShowName(column)}'") +
        " that is unparsable or outside the domain and is not clamped, sent to other or dropped (bad_rows: fail; the " +
        "first such column of each row is counted)";

    /// <summary>Where a Parquet value is: its row (from 1) and column, as a location key.</summary>
    public static string ParquetRow(long row, string column) =>
        string.Create(CultureInfo.InvariantCulture, $"row {row}, column '{column}'"); // SourceLocation shows its key escaped

    /// <summary>A Parquet file that cannot be read.</summary>
    public static string ParquetUnreadable(string path, string reason) => $"cannot read {ShowText(path)} as Parquet: {ShowText(reason)}";

    /// <summary>A database engine's error while counting.</summary>
    public static string SourceQueryFailed(string source, string reason) => $"the {source} source failed: {ShowText(reason)}";

    /// <summary>The PostgreSQL source without its connection string.</summary>
    public static string PostgresConnectionMissing(string variable) =>
        $"--source postgres reads its connection string from the environment variable {variable}, which is not set " +
        "(never from a policy file or the command line: it may hold a password)";

    /// <summary>The PostgreSQL source without a table.</summary>
    public static string PostgresTableMissing => "--source postgres needs --table NAME (or SCHEMA.NAME)";

    /// <summary>A table name that is not NAME or SCHEMA.NAME.</summary>
    public static string PostgresTableName(string name) => $"--table '{ShowName(name)}' is not NAME or SCHEMA.NAME";

    /// <summary>--table given with a file source, or --input with PostgreSQL.</summary>
    public static string SourceInputMismatch(string source) =>
        source == "postgres"
            ? "--source postgres reads --table from the database; --input is for files"
            : $"--source {source} reads --input; --table is for --source postgres";

    /// <summary>No input at all.</summary>
    public static string SourceInputMissing => "give --input FILE (CSV or Parquet), or --source postgres with --table NAME";

    /// <summary>An unknown --source value.</summary>
    public static string SourceUnknown(string value) => $"--source '{ShowName(value)}' is not one of auto, memory, duckdb, postgres";

    /// <summary>The table the PostgreSQL source names does not exist (or has no visible columns).</summary>
    public static string PostgresTableNotFound(string table) => $"PostgreSQL has no table {ShowName(table)} that this role can read";

    /// <summary>The source the synth command chose, for the console.</summary>
    public static string SourceChosen(string kind, string why) => $"counting marginals with the {kind} source ({why})";
}
