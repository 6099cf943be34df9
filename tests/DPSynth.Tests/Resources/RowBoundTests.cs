using DPSynth.Diagnostics;
using DPSynth.Marginals.Sql;
using DPSynth.Marginals;
using DPSynth.Resources;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;
using Npgsql;

namespace DPSynth.Tests.Resources;

/// <summary>
/// The row bounds of the preflight estimate beyond CSV (issue 15): a Parquet file's footer, whose size is no bound (a
/// compressed column of repeated values takes a few bytes for any number of rows), and a PostgreSQL table's size in
/// the catalog, which bounds the rows whatever its statistics say; and the estimate's input term for each source.
/// </summary>
public sealed class RowBoundTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5000)]
    [InlineData(200_000)]
    public void AParquetInputIsBoundedByItsFooterWhereItsSizeBoundsNothing(int rows)
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.parquet");
        DPSynth.Tests.Marginals.MessyTable.WriteTextParquet(path, ["a", "b"], [.. Enumerable.Repeat(new[] { "x", "y" }, rows)]);

        var bound = RowBound.FromFile(path, 2);

        Assert.Equal(rows, bound.Rows);
        Assert.Equal(rows, bound.LargestRowGroup); // one row group
        Assert.Contains("Parquet file's footer", bound.Basis, StringComparison.Ordinal);
        if (rows == 200_000)
        {
            // The size-based CSV rule would have under-counted this file: the reason for the footer.
            Assert.True(RowBound.FromCsvFile(path, 2).Rows < rows);
        }
    }

    [Fact]
    public void AParquetFileWhoseFooterCannotBeReadIsAnInputError()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("t.parquet", "PAR1 not really a parquet file PAR1");
        Assert.Throws<InputException>(() => RowBound.FromFile(path, 2));
    }

    [Fact]
    public void ACsvInputKeepsItsSizeBound()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("t.csv", "a,b\n1,2\n3,4\n");
        Assert.Equal(RowBound.FromCsvFile(path, 2), RowBound.FromFile(path, 2));
    }

    [RequiresPostgresFact]
    public void APostgresTableIsBoundedByItsSizeEvenBeforeAnyAnalyzeAndAViewIsNot()
    {
        // Narrow rows (one boolean) are the tightest case for a size bound: the tuple header dominates.
        const int rows = 20_000;
        using var table = LocalPostgres.Create(["b"], ["boolean"], Enumerable.Range(0, rows).Select(i => new object?[] { i % 2 == 0 }));
        using var connection = new NpgsqlConnection(LocalPostgres.ConnectionString);
        connection.Open();

        var bound = RowBound.FromPostgresTable(connection, table.Name);

        Assert.NotNull(bound);
        Assert.InRange(bound.Rows, rows, 4L * rows);
        Assert.Contains("table's size in PostgreSQL", bound.Basis, StringComparison.Ordinal);

        // Deleted rows still take their space until a vacuum: the bound never drops below the live rows.
        using (var delete = new NpgsqlCommand($"DELETE FROM {table.Name} WHERE b", connection))
        {
            delete.ExecuteNonQuery();
        }

        Assert.True(RowBound.FromPostgresTable(connection, table.Name)!.Rows >= rows / 2);

        var view = table.Name + "_v";
        using (var create = new NpgsqlCommand($"CREATE VIEW {view} AS SELECT * FROM {table.Name}", connection))
        {
            create.ExecuteNonQuery();
        }

        try
        {
            Assert.Null(RowBound.FromPostgresTable(connection, view));
            Assert.Null(RowBound.FromPostgresTable(connection, "no_such_table_" + Guid.NewGuid().ToString("N")));
        }
        finally
        {
            using var drop = new NpgsqlCommand($"DROP VIEW {view}", connection);
            drop.ExecuteNonQuery();
        }
    }

    [Fact]
    public void OnlyTheInMemorySourceHoldsTheRowsInTheEstimate()
    {
        var domain = new Domain(["a", "b", "c"], [10, 300, 4]);
        var mst = new Mst(domain);
        long Rows(string source, long n) => ResourceEstimator.For(mst, new RowBound(n, "test"), 1000, PipelineShape.Synth, source).Of("rows");

        // In memory the input term grows with the rows; DuckDB's is its capped buffer, PostgreSQL's the server's.
        Assert.True(Rows("memory", 100_000_000) > Rows("memory", 1_000_000));
        Assert.Equal(Rows("duckdb", 1_000_000), Rows("duckdb", 100_000_000));
        Assert.Equal(Rows("postgres", 1_000_000), Rows("postgres", 100_000_000));
        Assert.True(Rows("duckdb", 1_000_000) > DuckDbSource.MemoryLimitBytes);
        Assert.True(Rows("postgres", 1_000_000) >= 8 * TrueMarginal.BatchCells);
    }

    [Fact]
    public void AParquetInputCountedInMemoryAddsTwoDecodedRowGroups()
    {
        // The in-memory reader decodes a whole row group, every column, before encoding it (a 3M-row group of four text
        // columns peaked at 868 MB against an estimate of 376 MB without this); DuckDB reads Parquet within its buffer.
        var domain = new Domain(["a", "b", "c"], [10, 300, 4]);
        var mst = new Mst(domain);
        long Rows(string source, long group) =>
            ResourceEstimator.For(mst, new RowBound(3_000_000, "test", group), 1000, PipelineShape.Synth, source).Of("rows");

        Assert.Equal(2 * 3_000_000L * 3 * ResourceEstimator.ParquetValueBytes, Rows("memory", 3_000_000) - Rows("memory", 0));
        Assert.Equal(Rows("duckdb", 0), Rows("duckdb", 3_000_000));
        Assert.Equal(Rows("postgres", 0), Rows("postgres", 3_000_000));
    }
}
