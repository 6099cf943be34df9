using System.Data.Common;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Marginals.Sql;

/// <summary>
/// Counts marginals with SQL: each clique is one <c>SELECT c_a, c_b, COUNT(*) ... GROUP BY c_a, c_b</c> over the encoded
/// rows (<see cref="SqlEncodedRows"/>), kept rows only. Opened by <see cref="DuckDbSource"/> or
/// <see cref="PostgresSource"/>, which check the rows first (<see cref="CheckRows"/>).
/// </summary>
public sealed class SqlMarginalSource : IMarginalSource
{
    private readonly DbConnection connection;
    private readonly string rows;
    private readonly bool filtered;
    private readonly CodeRecoding? recoding;
    private readonly IDisposable? owned;
    private readonly bool scan;

    /// <summary>Rows per chunk of a scan: 2^18 rows of 20 columns are 20 MB of int codes and 5 MB encoded.</summary>
    internal const int ScanChunkRows = 1 << 18;

    /// <summary>
    /// A source over <paramref name="rows"/> (a SELECT or a table of code columns <c>c0..</c>); with
    /// <paramref name="filtered"/> the rows hold only cells, otherwise dropped and bad rows are left out by each query.
    /// </summary>
    /// <remarks>
    /// With <paramref name="scan"/> (a local table of codes, as DuckDB keeps) a request is counted in one scan that reads
    /// the code columns it needs into this process in chunks and counts them with <see cref="MarginalCounter"/>;
    /// otherwise (PostgreSQL, which encodes in every query and sits across a network) the engine counts each batch with
    /// <c>GROUPING SETS</c>.
    /// </remarks>
    internal SqlMarginalSource(
        string kind, Domain domain, DbConnection connection, string rows, bool filtered, IDisposable? owned,
        CodeRecoding? recoding = null, bool scan = false)
    {
        this.scan = scan;
        Kind = kind;
        Domain = recoding?.Target ?? domain;
        this.connection = connection;
        this.rows = rows;
        this.filtered = filtered;
        this.owned = owned;
        this.recoding = recoding;
        Original = domain;
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    public Domain Domain { get; }

    /// <summary>What the row check found (console only: it depends on the private rows).</summary>
    public SourceRowCounts? Rows { get; internal set; }

    /// <summary>The domain of the codes in the database (before any recoding).</summary>
    private Domain Original { get; }

    /// <inheritdoc />
    /// <remarks>
    /// One scan of the rows per request (a local table of codes: <see cref="CountByScan"/>), or per batch of cliques
    /// (<see cref="SqlCountBatch"/>, each one <c>GROUP BY GROUPING SETS</c> query: for PostgreSQL, one evaluation of
    /// the encoding per batch rather than per clique).
    /// </remarks>
    public double[][] Count(IReadOnlyList<Clique> cliques)
    {
        ArgumentNullException.ThrowIfNull(cliques);
        var batches = SqlCountBatch.Plan(Domain, cliques);
        var result = new double[cliques.Count][];
        if (scan)
        {
            CountByScan(cliques, result);
            return result;
        }

        foreach (var batch in batches)
        {
            CountBatch(batch, cliques, result);
        }

        return result;
    }

    /// <inheritdoc />
    /// <remarks>The database keeps the original codes; each count folds them through the map as it reads the groups.</remarks>
    public IMarginalSource Recode(CodeRecoding recoding)
    {
        ArgumentNullException.ThrowIfNull(recoding);
        if (!recoding.Original.Equals(Domain) || this.recoding is not null)
        {
            throw new ArgumentException("The recoding does not start from this source's domain.", nameof(recoding));
        }

        return new SqlMarginalSource(Kind, Original, connection, rows, filtered, null, recoding, scan) { Rows = Rows };
    }

    /// <inheritdoc />
    public void Dispose() => owned?.Dispose();

    /// <summary>
    /// Reads every row's fate once, as the in-memory encoder would: under <c>bad_rows: fail</c> a bad row stops the run
    /// (after the budget was charged, as with a CSV); no row left is an error too.
    /// </summary>
    /// <exception cref="InputException">A bad row under <c>fail</c>, no rows left, or the engine failed.</exception>
    internal static SourceRowCounts CheckRows(DbConnection connection, string kind, string rows, TableSchema schema, string input)
    {
        var counts = new Dictionary<int, long>();
        Query(connection, kind, $"SELECT fate, COUNT(*) FROM (SELECT {SqlEncodedRows.Fate(schema.Columns.Length)} AS fate FROM ({rows}) q) r GROUP BY fate", reader =>
            counts[Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] =
                Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        var bad = counts.Where(c => c.Key >= 2).OrderBy(c => c.Key).ToList();
        if (schema.BadRows == BadRowAction.Fail && bad.Count > 0)
        {
            throw new InputException(Messages.SqlBadRows(input, bad[0].Value, schema.Columns[bad[0].Key - 2].Name));
        }

        var result = new SourceRowCounts(counts.GetValueOrDefault(0), counts.GetValueOrDefault(1), bad.Sum(b => b.Value));
        if (result.Kept == 0)
        {
            throw new InputException(Messages.CsvNoRowsLeft(result.Kept + result.Dropped + result.Skipped), new SourceLocation(input));
        }

        return result;
    }

    /// <summary>Runs <paramref name="sql"/> and hands each result row to <paramref name="row"/>; engine errors become input errors.</summary>
    internal static void Query(DbConnection connection, string kind, string sql, Action<DbDataReader> row)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 0;
            if (command is DuckDB.NET.Data.DuckDBCommand duck)
            {
                // Stream the result chunk by chunk: by default DuckDB.NET materializes it, which for a scan is every
                // code of the table in this process (10M x 20 ints: 800 MB).
                duck.UseStreamingMode = true;
            }

            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                row(reader);
            }
        }
        catch (DbException ex)
        {
            throw new InputException(Messages.SourceQueryFailed(kind, FirstLine(ex.Message)), inner: ex);
        }
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    internal static void Execute(DbConnection connection, string kind, string sql) => Query(connection, kind, sql, _ => { });

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    /// <summary>
    /// Counts every clique in one scan: the code columns the cliques use are read (recoded as they arrive) in chunks of
    /// <see cref="ScanChunkRows"/> rows into a table on <see cref="Domain"/> (columns no clique uses are zeros) and
    /// added up by <see cref="MarginalCounter.AddMany"/>, on all cores. Memory: one chunk and the counts.
    /// </summary>
    private void CountByScan(IReadOnlyList<Clique> cliques, double[][] result)
    {
        var used = new SortedSet<int>();
        for (var i = 0; i < cliques.Count; i++)
        {
            result[i] = new double[checked((int)cliques[i].CellCount(Domain))];
            foreach (var attribute in cliques[i].Attributes)
            {
                used.Add(attribute);
            }
        }

        var columns = used.ToArray();
        var where = filtered ? string.Empty : " WHERE " + SqlEncodedRows.Kept(Original.Count);
        if (columns.Length == 0)
        {
            Query(connection, Kind, $"SELECT COUNT(*) FROM ({rows}) q{where}", reader =>
            {
                var total = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
                foreach (var counts in result)
                {
                    counts[0] = total;
                }
            });
            return;
        }

        var buffers = columns.Select(_ => new int[ScanChunkRows]).ToArray();
        var buffered = 0;
        void Flush()
        {
            var zeros = new int[buffered];
            var table = new EncodedTable(Domain, Enumerable.Range(0, Domain.Count).Select(a =>
            {
                var k = Array.BinarySearch(columns, a);
                return EncodedColumn.FromCodes(Domain.Size(a), k >= 0 ? buffers[k].AsSpan(0, buffered) : zeros);
            }));
            MarginalCounter.AddMany(table, cliques, result);
            buffered = 0;
        }

        var list = string.Join(", ", columns.Select(a => $"CAST({SqlEncodedRows.CodeColumn(a)} AS INTEGER)"));
        Query(connection, Kind, $"SELECT {list} FROM ({rows}) q{where}", reader =>
        {
            for (var k = 0; k < columns.Length; k++)
            {
                var code = reader.GetInt32(k);
                if (code < 0 || code >= Original.Size(columns[k]))
                {
                    throw new InvalidOperationException($"The {Kind} source returned code {code} for attribute {columns[k]}.");
                }

                buffers[k][buffered] = recoding is null ? code : recoding.Map(columns[k], code);
            }

            if (++buffered == ScanChunkRows)
            {
                Flush();
            }
        });
        if (buffered > 0)
        {
            Flush();
        }
    }

    /// <summary>
    /// Counts one batch with one query. Each result row says which grouping set it belongs to through
    /// <c>GROUPING(...)</c> over the batch's columns (a bit set for every column the set does not group by), which
    /// <see cref="SqlCountBatch.Mask"/> gives for each clique; a batch of one clique is a plain <c>GROUP BY</c> (mask 0),
    /// and of the empty clique alone a plain <c>COUNT(*)</c>.
    /// </summary>
    private void CountBatch(SqlCountBatch batch, IReadOnlyList<Clique> cliques, double[][] result)
    {
        var columns = batch.Columns;
        var byMask = new Dictionary<long, int>();
        var strides = new Dictionary<int, int[]>();
        foreach (var i in batch.Cliques)
        {
            result[i] = new double[checked((int)cliques[i].CellCount(Domain))];
            strides[i] = MarginalCounter.Strides(Domain, cliques[i]);
            byMask[batch.Mask(cliques[i])] = i;
        }

        var where = filtered ? string.Empty : " WHERE " + SqlEncodedRows.Kept(Original.Count);
        var list = string.Join(", ", columns.Select(SqlEncodedRows.CodeColumn));
        var sets = string.Join(", ", batch.Cliques.Select(i => "(" + string.Join(", ", cliques[i].Attributes.ToArray().Select(SqlEncodedRows.CodeColumn)) + ")"));
        var sql = (batch.Cliques.Count, columns.Count) switch
        {
            (_, 0) => $"SELECT 0, COUNT(*) FROM ({rows}) q{where}",
            (1, _) => $"SELECT 0, {list}, COUNT(*) FROM ({rows}) q{where} GROUP BY {list}",
            _ => $"SELECT GROUPING({list}), {list}, COUNT(*) FROM ({rows}) q{where} GROUP BY GROUPING SETS ({sets})",
        };
        var position = columns.Select((attribute, k) => (attribute, k)).ToDictionary(p => p.attribute, p => p.k + 1);
        Query(connection, Kind, sql, reader =>
        {
            var mask = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            var i = byMask[mask];
            var clique = cliques[i];
            var cell = 0;
            for (var j = 0; j < clique.Count; j++)
            {
                var code = Convert.ToInt32(reader.GetValue(position[clique[j]]), System.Globalization.CultureInfo.InvariantCulture);
                if (code < 0 || code >= Original.Size(clique[j]))
                {
                    throw new InvalidOperationException($"The {Kind} source returned code {code} for attribute {clique[j]}.");
                }

                cell += (recoding is null ? code : recoding.Map(clique[j], code)) * strides[i][j];
            }

            result[i][cell] += Convert.ToInt64(reader.GetValue(columns.Count + 1), System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}

/// <summary>
/// What a source's row check found: rows kept, dropped (out of domain) and skipped (bad rows). These depend on the
/// private rows: for the operator's console only, never for a release.
/// </summary>
/// <param name="Kept">Rows whose every field has a cell.</param>
/// <param name="Dropped">Rows dropped under <c>on_out_of_domain: drop</c>.</param>
/// <param name="Skipped">Bad rows skipped under <c>bad_rows: skip</c>.</param>
public sealed record SourceRowCounts(long Kept, long Dropped, long Skipped);
