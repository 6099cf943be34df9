using System.Data.Common;
using System.Globalization;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Schema;
using Parquet;

namespace DPSynth.Marginals;

/// <summary>
/// An upper bound on the rows the preflight estimate assumes: for a CSV, the input file's size over the fewest bytes a
/// row can take; for Parquet, the row count in the file's footer; for a PostgreSQL table, its heap's size over the
/// fewest bytes a row takes there; or the operator's own figure.
/// </summary>
/// <remarks>
/// Every one of these depends on the private data, as a file's size does: the bound is used only on the operator's
/// console (the printed estimate) and for the local decision to refuse the run before anything is charged or read, and
/// it never reaches a release. A refused run releases nothing and spends nothing, so the decision adds no output for the
/// privacy accounting to cover; the row counts a source finds while reading stay on the console the same way.
/// </remarks>
/// <param name="Rows">The bound.</param>
/// <param name="Basis">How it was obtained, for the console.</param>
/// <param name="LargestRowGroup">For a Parquet file, the rows of its largest row group (its footer's), which the
/// in-memory reader decodes at once; 0 otherwise.</param>
public sealed record RowBound(long Rows, string Basis, long LargestRowGroup = 0)
{
    /// <summary>
    /// The bound for a CSV of <paramref name="columns"/> schema columns at <paramref name="path"/>: a row of d fields has
    /// d - 1 delimiters and a line end, so at least d bytes (in a one-column file a blank line is a row, a missing
    /// value, of one byte; extra file columns only lengthen a row), and a file of S bytes holds at most (S + 1) / d
    /// rows. A missing file bounds nothing: 0 rows, said so.
    /// </summary>
    public static RowBound FromCsvFile(string path, int columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return new RowBound(0, "input file not found: its rows are not counted");
        }

        var perRow = columns;
        var rows = (file.Length + 1) / perRow;
        return new RowBound(rows, string.Create(
            CultureInfo.InvariantCulture,
            $"at most {rows:N0} rows, from the input's size ({ByteSize.Format(file.Length)}) at {perRow} or more bytes a row"));
    }

    /// <summary>
    /// The bound for the input at <paramref name="path"/>: the Parquet footer's row count for a <c>.parquet</c> file
    /// (compressed columns make its size no bound at all: a constant column of a million rows takes a few bytes), the
    /// CSV bound (<see cref="FromCsvFile"/>) otherwise.
    /// </summary>
    /// <exception cref="InputException">A Parquet file that is not a regular file or whose footer cannot be read.</exception>
    public static RowBound FromFile(string path, int columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ParquetEncoder.IsParquet(path) && File.Exists(path) ? FromParquetFile(path) : FromCsvFile(path, columns);
    }

    /// <summary>
    /// The row count the Parquet footer of <paramref name="path"/> declares (the sum over its row groups), read without
    /// reading any row: every row a reader can produce is in a row group, so it bounds the rows kept.
    /// </summary>
    /// <exception cref="InputException">Not a regular file, or a footer that cannot be read.</exception>
    public static RowBound FromParquetFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        long rows, largestGroup;
        try
        {
            using var stream = RegularFile.OpenRead(path, Messages.WhatParquet);
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            try
            {
                rows = reader.RowGroups.Sum(g => g.RowCount);
                largestGroup = reader.RowGroups.Count == 0 ? 0 : reader.RowGroups.Max(g => g.RowCount);
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or InvalidOperationException
                                       && ex is not DPSynthException)
        {
            throw new InputException(Messages.ParquetUnreadable(path, ex.Message), inner: ex);
        }

        return new RowBound(
            rows, string.Create(CultureInfo.InvariantCulture, $"at most {rows:N0} rows, from the Parquet file's footer"), largestGroup);
    }

    /// <summary>
    /// The fewest bytes a row takes in a PostgreSQL heap: a 23-byte tuple header aligned to 24, and a 4-byte line
    /// pointer, whatever the columns hold (null or moved to TOAST).
    /// </summary>
    public const long PostgresMinimumRowBytes = 28;

    /// <summary>
    /// The bound for the PostgreSQL table <paramref name="table"/> (<c>NAME</c> or <c>SCHEMA.NAME</c>): the size of its
    /// heap (every partition's, for a partitioned table) over <see cref="PostgresMinimumRowBytes"/>. It reads catalog
    /// sizes only, never a row, and counts dead rows too, so it is an upper bound however stale the statistics are. The
    /// planner's row estimate (<c>pg_class.reltuples</c>) would be closer but is not a bound: it is as old as the last
    /// ANALYZE or VACUUM (and -1 before the first), and a table that has grown since would be under-estimated.
    /// A view, a foreign table or a table not found bounds nothing (null): the run then has no estimate, as before.
    /// </summary>
    /// <exception cref="InputException">PostgreSQL could not be reached or the query failed.</exception>
    public static RowBound? FromPostgresTable(DbConnection connection, string table)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT c.relkind::text, CASE WHEN c.relkind = 'p' " +
                "THEN (SELECT COALESCE(SUM(pg_relation_size(t.relid)), 0) FROM pg_partition_tree(c.oid) t) " +
                "ELSE pg_relation_size(c.oid) END FROM pg_class c WHERE c.oid = to_regclass(@table)";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "table";
            parameter.Value = table;
            command.Parameters.Add(parameter);
            using var reader = command.ExecuteReader();
            if (!reader.Read() || reader.GetString(0) is not ("r" or "p" or "m"))
            {
                return null;
            }

            var bytes = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            var rows = bytes / PostgresMinimumRowBytes;
            return new RowBound(rows, string.Create(
                CultureInfo.InvariantCulture,
                $"at most {rows:N0} rows, from the table's size in PostgreSQL ({ByteSize.Format(bytes)}) at {PostgresMinimumRowBytes} or more bytes a row"));
        }
        catch (DbException ex)
        {
            throw new InputException(Messages.SourceQueryFailed("postgres", ex.Message), inner: ex);
        }
    }

    /// <summary>Bytes of one encoded row of <paramref name="domain"/>: one per column of at most 256 cells, two otherwise.</summary>
    public static long EncodedRowBytes(Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return domain.Sizes.Sum(size => size <= 256 ? 1L : 2L);
    }
}
