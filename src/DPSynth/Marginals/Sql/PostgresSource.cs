using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Schema;
using Npgsql;

namespace DPSynth.Marginals.Sql;

/// <summary>
/// Opens the PostgreSQL source: the table stays in the database, and each clique is one plain <c>GROUP BY</c> over a
/// SELECT that encodes the rows in SQL (<see cref="SqlEncodedRows"/>); nothing is written to the database, so a role
/// that may only SELECT is enough. The same queries serve any engine with a <see cref="SqlDialect"/>.
/// </summary>
public static class PostgresSource
{
    /// <summary>The environment variable that holds the connection string (never argv or a policy: it may hold a password).</summary>
    public const string ConnectionVariable = "DPSYNTH_POSTGRES";

    private const string Kind = "postgres";

    /// <summary>Opens <paramref name="table"/> (<c>NAME</c> or <c>SCHEMA.NAME</c>) and checks its rows.</summary>
    /// <exception cref="InputException">
    /// A bad table name, the table or a schema column is missing, a column's type cannot feed it, a rule has no exact
    /// SQL form, a bad row under <c>bad_rows: fail</c>, no row left, or PostgreSQL failed.
    /// </exception>
    public static SqlMarginalSource Open(string connectionString, string table, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        var parts = table.Split('.');
        if (parts.Length > 2 || parts.Any(string.IsNullOrEmpty))
        {
            throw new InputException(Messages.PostgresTableName(table));
        }

        NpgsqlConnection connection;
        try
        {
            connection = new NpgsqlConnection(connectionString);
            connection.Open();
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException)
        {
            throw new InputException(Messages.SourceQueryFailed(Kind, ex.Message), inner: ex);
        }

        try
        {
            // Dates as text must read yyyy-MM-dd whatever the server's default style is.
            SqlMarginalSource.Execute(connection, Kind, "SET DateStyle = 'ISO, MDY'; SET standard_conforming_strings = on");
            var (schemaName, tableName) = parts.Length == 2 ? (parts[0], parts[1]) : ((string?)null, parts[0]);
            var types = Columns(connection, schemaName, tableName);
            if (types.Count == 0)
            {
                throw new InputException(Messages.PostgresTableNotFound(table));
            }

            var from = string.Join(".", parts.Select(SqlDialect.Identifier));
            var encoded = SqlEncodedRows.Select(PostgresDialect.Instance, schema, from, table, types);
            var rows = SqlMarginalSource.CheckRows(connection, Kind, encoded, schema, table);
            return new SqlMarginalSource(Kind, schema.Domain, connection, encoded, filtered: false, connection) { Rows = rows };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>How PostgreSQL's type names (information_schema) map onto the source types every reader shares.</summary>
    internal static SourceColumnType TypeOf(string dataType) => dataType switch
    {
        "text" or "character varying" => SourceColumnType.Text,
        "smallint" or "integer" or "bigint" => SourceColumnType.Integer,
        "boolean" => SourceColumnType.Boolean,
        "date" => SourceColumnType.Date,
        "real" or "double precision" => SourceColumnType.Floating,

        // character(n) pads with blanks that a cast to text removes: refused rather than read differently.
        _ => SourceColumnType.Unsupported,
    };

    private static Dictionary<string, (SourceColumnType, string)> Columns(NpgsqlConnection connection, string? schemaName, string table)
    {
        var result = new Dictionary<string, (SourceColumnType, string)>(StringComparer.Ordinal);
        try
        {
            using var command = new NpgsqlCommand(
                "SELECT column_name, data_type FROM information_schema.columns " +
                "WHERE table_schema = COALESCE(@schema, current_schema()) AND table_name = @table", connection);
            command.Parameters.AddWithValue("schema", NpgsqlTypes.NpgsqlDbType.Text, (object?)schemaName ?? DBNull.Value);
            command.Parameters.AddWithValue("table", table);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var type = reader.GetString(1);
                result.TryAdd(reader.GetString(0), (TypeOf(type), type));
            }
        }
        catch (NpgsqlException ex)
        {
            throw new InputException(Messages.SourceQueryFailed(Kind, ex.Message), inner: ex);
        }

        return result;
    }
}
