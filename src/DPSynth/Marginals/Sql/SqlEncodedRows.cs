using System.Globalization;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Marginals.Sql;

/// <summary>
/// The SELECT that turns a table's rows into one code per schema column (<c>c0 .. c{n-1}</c>), with the sentinels of
/// <see cref="SqlColumnCodes"/> for dropped and bad rows. Every count query wraps it; nothing else reads the table.
/// </summary>
internal static class SqlEncodedRows
{
    /// <summary>The code column of attribute <paramref name="attribute"/>.</summary>
    public static string CodeColumn(int attribute) => "c" + attribute.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The SELECT over <paramref name="from"/> (a table or a table function), whose columns are typed as
    /// <paramref name="columns"/> says (name to type, as the engine reports them).
    /// </summary>
    /// <exception cref="InputException">A schema column is missing, or its source type cannot feed it.</exception>
    /// <exception cref="SqlEncodingException">A rule has no exact SQL form.</exception>
    public static string Select(
        SqlDialect dialect, TableSchema schema, string from, string input, IReadOnlyDictionary<string, (SourceColumnType Type, string Name)> columns)
    {
        var absent = schema.Columns.Select(c => c.Name).Where(n => !columns.ContainsKey(n)).ToList();
        if (absent.Count > 0)
        {
            throw new InputException(Messages.SourceColumnsMissing(input, absent));
        }

        var codes = new List<SqlColumnCodes>();
        for (var i = 0; i < schema.Columns.Length; i++)
        {
            var (type, typeName) = columns[schema.Columns[i].Name];
            if (SourceColumnTypes.Refusal(schema.Columns[i], type, typeName) is { } refusal)
            {
                throw new InputException(refusal);
            }

            codes.Add(new SqlColumnCodes(dialect, schema, i, schema.Columns[i].Name, type));
        }

        return $"SELECT {string.Join(", ", codes.Select(c => c.Code))} FROM (" +
               $"SELECT {string.Join(", ", codes.SelectMany(c => c.Parsed))} FROM (" +
               $"SELECT {string.Join(", ", codes.Select(c => c.Field))} FROM {from}{dialect.LayerFence}) l1{dialect.LayerFence}) l2";
    }

    /// <summary>
    /// Checks, before any row is read, that every column's rules have an exact SQL form in <paramref name="dialect"/>
    /// (source types are checked when the table is opened).
    /// </summary>
    /// <exception cref="SqlEncodingException">A rule has no exact SQL form.</exception>
    public static void CheckSchema(SqlDialect dialect, TableSchema schema)
    {
        for (var i = 0; i < schema.Columns.Length; i++)
        {
            _ = new SqlColumnCodes(dialect, schema, i, schema.Columns[i].Name, SourceColumnType.Text);
        }
    }

    /// <summary>The rows every code of which is a cell (no dropped or bad row).</summary>
    public static string Kept(int columns) =>
        string.Join(" AND ", Enumerable.Range(0, columns).Select(c => CodeColumn(c) + " >= 0"));

    /// <summary>
    /// Each row's fate, as the in-memory encoder decides it column by column: 0 kept, 1 dropped, <c>2 + c</c> a bad row
    /// whose first problem is column <c>c</c> (a drop in an earlier column wins, as it stops the row there).
    /// </summary>
    public static string Fate(int columns)
    {
        var cases = Enumerable.Range(0, columns).Select(c =>
            $"WHEN {CodeColumn(c)} = {SqlColumnCodes.Dropped} THEN 1 WHEN {CodeColumn(c)} = {SqlColumnCodes.Bad} THEN {2 + c}");
        return columns == 0 ? "0" : $"CASE {string.Join(" ", cases)} ELSE 0 END";
    }
}
