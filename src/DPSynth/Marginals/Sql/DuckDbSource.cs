using System.Globalization;
using DPSynth.Data;
using DPSynth.IO;
using DPSynth.Schema;
using DuckDB.NET.Data;

namespace DPSynth.Marginals.Sql;

/// <summary>
/// Opens the DuckDB source: an embedded database in a private temporary folder that scans the input out of core and
/// counts each clique with one <c>GROUP BY</c> on a table of codes. A CSV is encoded by the in-memory encoder's own
/// parser and rules (so quoting, bad rows and trimming are the same by construction) and spilled to disk as codes;
/// a Parquet file is read by DuckDB and encoded in SQL (<see cref="SqlColumnCodes"/>). The folder, which holds encoded
/// private rows, is deleted when the source is disposed.
/// </summary>
public static class DuckDbSource
{
    /// <summary>
    /// DuckDB's memory cap: above it, it spills to the temporary folder. Counting streams the codes (a scan), so the
    /// buffer only caches the table: 512 MB keeps the process of a 10M-row run under 1 GB.
    /// </summary>
    public const string MemoryLimit = "512MB";

    /// <summary><see cref="MemoryLimit"/> in bytes, for the preflight estimate.</summary>
    public const long MemoryLimitBytes = 512_000_000;

    /// <summary>
    /// Bytes this process holds for the source besides DuckDB's buffer: the CSV encoder's spill buffer
    /// (<see cref="ParquetCodeSpill.RowsPerGroup"/> rows of int codes, and as much again while the row group is
    /// written) and a scan's chunk (<see cref="SqlMarginalSource.ScanChunkRows"/> rows read as ints and encoded).
    /// </summary>
    public static long ScanBytes(int columns) =>
        ((2L * ParquetCodeSpill.RowsPerGroup * sizeof(int)) + (SqlMarginalSource.ScanChunkRows * (sizeof(int) + sizeof(ushort) + sizeof(int)))) * columns;

    private const string Kind = "duckdb";

    /// <summary>Encodes the CSV at <paramref name="path"/> into a DuckDB table of codes.</summary>
    /// <exception cref="Diagnostics.InputException">As <see cref="CsvEncoder.EncodeFile"/>, or DuckDB failed.</exception>
    public static SqlMarginalSource OpenCsv(string path, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        var store = new Store();
        try
        {
            var spill = Path.Combine(store.Folder, "codes.parquet");
            EncodeCounts counts;
            using (var sink = new ParquetCodeSpill(spill, schema.Domain))
            {
                counts = CsvEncoder.EncodeFileInto(path, schema, sink);
            }

            SqlMarginalSource.Execute(store.Connection, Kind, $"CREATE TABLE codes AS SELECT * FROM read_parquet({SqlDialect.Text(spill)})");
            File.Delete(spill);
            return new SqlMarginalSource(Kind, schema.Domain, store.Connection, "SELECT * FROM codes", filtered: true, store, scan: true)
            {
                Rows = new SourceRowCounts(counts.RowsKept, counts.RowsDropped, counts.RowsSkipped),
            };
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Reads the Parquet file at <paramref name="path"/> with DuckDB and encodes it in SQL.</summary>
    /// <exception cref="Diagnostics.InputException">
    /// A schema column is missing or of a type that cannot feed it, a rule has no exact SQL form, a bad row under
    /// <c>bad_rows: fail</c>, no row left, or DuckDB failed.
    /// </exception>
    public static SqlMarginalSource OpenParquet(string path, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);

        // Only a regular file: a FIFO or a device is refused before DuckDB opens it, and the file stays open (checked)
        // until every scan of it is done.
        using var input = RegularFile.OpenRead(path, Diagnostics.Messages.WhatParquet);
        var store = new Store();
        try
        {
            var from = $"read_parquet({SqlDialect.Text(ScanPath(input, path))})";
            var types = new Dictionary<string, (SourceColumnType, string)>(StringComparer.Ordinal);
            SqlMarginalSource.Query(store.Connection, Kind, $"DESCRIBE SELECT * FROM {from}", reader =>
            {
                var type = reader.GetString(1);
                types.TryAdd(reader.GetString(0), (TypeOf(type), type));
            });
            var encoded = SqlEncodedRows.Select(DuckDbDialect.Instance, schema, from, path, types);
            SqlMarginalSource.Execute(store.Connection, Kind, $"CREATE TABLE encoded AS {encoded}");
            var rows = SqlMarginalSource.CheckRows(store.Connection, Kind, "SELECT * FROM encoded", schema, path);
            SqlMarginalSource.Execute(
                store.Connection, Kind,
                $"CREATE TABLE codes AS SELECT * FROM encoded WHERE {SqlEncodedRows.Kept(schema.Columns.Length)}; DROP TABLE encoded");
            return new SqlMarginalSource(Kind, schema.Domain, store.Connection, "SELECT * FROM codes", filtered: true, store, scan: true)
            {
                Rows = rows,
            };
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The path DuckDB scans: on Linux, the descriptor <see cref="RegularFile"/> has already checked (through
    /// <c>/proc/self/fd</c>), so a path swapped for a FIFO or a device after the check is never opened; elsewhere the
    /// checked path itself.
    /// </summary>
    private static string ScanPath(FileStream checkedInput, string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var descriptor = string.Create(
                CultureInfo.InvariantCulture, $"/proc/self/fd/{checkedInput.SafeFileHandle.DangerousGetHandle()}");
            if (File.Exists(descriptor))
            {
                return descriptor;
            }
        }

        return Path.GetFullPath(path);
    }

    /// <summary>How DuckDB's type names map onto the source types every reader shares.</summary>
    internal static SourceColumnType TypeOf(string duckDbType) => duckDbType.ToUpperInvariant() switch
    {
        "VARCHAR" => SourceColumnType.Text,
        "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT" =>
            SourceColumnType.Integer,
        "BOOLEAN" => SourceColumnType.Boolean,
        "DATE" => SourceColumnType.Date,
        "FLOAT" or "DOUBLE" => SourceColumnType.Floating,
        _ => SourceColumnType.Unsupported,
    };

    /// <summary>The database and its private folder; disposing closes one and deletes the other.</summary>
    private sealed class Store : IDisposable
    {
        public Store()
        {
            Folder = Directory.CreateTempSubdirectory("dpsynth-duckdb-").FullName;
            if (!OperatingSystem.IsWindows())
            {
                // Encoded private rows live here: owner only.
                File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Connection = new DuckDBConnection("DataSource=" + Path.Combine(Folder, "source.duckdb"));
            Connection.Open();
            var folder = SqlDialect.Text(Path.Combine(Folder, "spill"));
            SqlMarginalSource.Execute(
                Connection, Kind,
                string.Create(CultureInfo.InvariantCulture, $"SET memory_limit = '{MemoryLimit}'; SET temp_directory = {folder}; SET preserve_insertion_order = false"));
        }

        public string Folder { get; }

        public DuckDBConnection Connection { get; }

        public void Dispose()
        {
            Connection.Dispose();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the operating system's temporary-folder cleanup removes what is left.
            }
        }
    }
}
