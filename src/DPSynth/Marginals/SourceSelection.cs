using System.Globalization;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Marginals.Sql;
using DPSynth.Schema;
using Npgsql;

namespace DPSynth.Marginals;

/// <summary>
/// Which marginal source a run counts with, chosen and checked before the budget is charged (nothing here reads a
/// row), then opened after the charge. <c>auto</c> counts in memory unless the input file is larger than
/// <see cref="DuckDbThresholdBytes"/>, where DuckDB counts out of core (docs/sources.md).
/// </summary>
/// <param name="Kind"><c>memory</c>, <c>duckdb</c> or <c>postgres</c>.</param>
/// <param name="Input">The CSV or Parquet file, for the file sources.</param>
/// <param name="Table">The table (<c>NAME</c> or <c>SCHEMA.NAME</c>), for PostgreSQL.</param>
/// <param name="Reason">Why this source, for the console.</param>
public sealed record SourceSelection(string Kind, string? Input, string? Table, string Reason)
{
    /// <summary>Above this input size (1 GiB) <c>auto</c> chooses DuckDB.</summary>
    public const long DuckDbThresholdBytes = 1L << 30;

    /// <summary>The name a ledger entry gives the data by default: the input's file name, or the table.</summary>
    public string DatasetName => Input is null ? Table! : Path.GetFileName(Input);

    /// <summary>
    /// Checks the request and resolves <c>auto</c>. The PostgreSQL connection string is read from
    /// <paramref name="environment"/> (<see cref="PostgresSource.ConnectionVariable"/>) only.
    /// </summary>
    /// <exception cref="InputException">An unknown source, a missing or mismatched input, a missing connection string, a
    /// missing file, or a schema rule the chosen SQL source cannot compute exactly.</exception>
    public static SourceSelection Choose(
        string kind, string? input, string? table, TableSchema schema, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(environment);
        if (kind is not ("auto" or "memory" or "duckdb" or "postgres"))
        {
            throw new InputException(Messages.SourceUnknown(kind));
        }

        if (kind == "postgres")
        {
            if (input is not null)
            {
                throw new InputException(Messages.SourceInputMismatch(kind));
            }

            if (string.IsNullOrWhiteSpace(table))
            {
                throw new InputException(Messages.PostgresTableMissing);
            }

            if (string.IsNullOrEmpty(environment(PostgresSource.ConnectionVariable)))
            {
                throw new InputException(Messages.PostgresConnectionMissing(PostgresSource.ConnectionVariable));
            }

            SqlEncodedRows.CheckSchema(PostgresDialect.Instance, schema);
            return new SourceSelection(kind, null, table, "--source postgres");
        }

        if (table is not null)
        {
            throw new InputException(Messages.SourceInputMismatch(kind));
        }

        if (input is null)
        {
            throw new InputException(Messages.SourceInputMissing);
        }

        // A FIFO or a device would hang or exhaust the run after the budget is charged: refuse it now.
        RegularFile.Require(input, ParquetEncoder.IsParquet(input) ? Messages.WhatParquet : Messages.WhatCsv);

        var reason = "--source " + kind;
        if (kind == "auto")
        {
            var size = new FileInfo(input).Length;
            kind = size > DuckDbThresholdBytes ? "duckdb" : "memory";
            reason = string.Create(CultureInfo.InvariantCulture, $"the input is {size / (1 << 20)} MiB; DuckDB above {DuckDbThresholdBytes >> 20} MiB");
        }

        if (kind == "duckdb" && ParquetEncoder.IsParquet(input))
        {
            SqlEncodedRows.CheckSchema(DuckDbDialect.Instance, schema);
        }

        return new SourceSelection(kind, input, null, reason);
    }

    /// <summary>
    /// The row bound of the preflight estimate (<see cref="RowBound"/>), read without reading a row: the CSV's size,
    /// the Parquet footer's row count, or the PostgreSQL table's size in the catalog (a connection that fails here
    /// fails before the charge). Null for a view or a foreign table, whose size bounds nothing.
    /// </summary>
    /// <exception cref="InputException">A Parquet footer that cannot be read, or PostgreSQL could not be reached.</exception>
    public RowBound? BoundRows(int columns, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (Input is not null)
        {
            return RowBound.FromFile(Input, columns);
        }

        try
        {
            using var connection = new NpgsqlConnection(environment(PostgresSource.ConnectionVariable));
            connection.Open();
            return RowBound.FromPostgresTable(connection, Table!);
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException)
        {
            throw new InputException(Messages.SourceQueryFailed(Kind, ex.Message), inner: ex);
        }
    }

    /// <summary>
    /// Checks the columns a file input declares (a CSV header, a Parquet footer: not records) against the schema, without
    /// reading a row; the PostgreSQL source checks its table's columns when it opens.
    /// </summary>
    /// <exception cref="InputException">The file cannot be opened as its format, or a schema column is absent or cannot be fed.</exception>
    public void CheckColumns(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (Input is not null)
        {
            InputFile.CheckColumns(Input, schema);
        }
    }

    /// <summary>
    /// Opens the source: reads the rows (call only after the budget is charged), and tells <paramref name="log"/> (the
    /// operator's console: the counts depend on the rows) how many rows were kept, skipped and dropped.
    /// </summary>
    /// <exception cref="InputException">The input cannot be read or encoded under the schema.</exception>
    public IMarginalSource Open(TableSchema schema, Func<string, string?> environment, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(log);
        if (Kind is not ("postgres" or "duckdb"))
        {
            var encoded = InputFile.Encode(Input!, schema);
            log.WriteLine(encoded.ConsoleSummary(Input!));
            return new InMemoryMarginalSource(encoded.Table);
        }

        var source = Kind switch
        {
            "postgres" => PostgresSource.Open(environment(PostgresSource.ConnectionVariable)!, Table!, schema),
            _ when ParquetEncoder.IsParquet(Input!) => DuckDbSource.OpenParquet(Input!, schema),
            _ => DuckDbSource.OpenCsv(Input!, schema),
        };
        if (source.Rows is { } rows)
        {
            log.WriteLine(Messages.SourceRowsRead(DatasetName, rows.Kept, rows.Skipped, rows.Dropped));
        }

        return source;
    }
}
