using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Tests.Support;
using FsCheck;
using FsCheck.Xunit;

namespace DPSynth.Tests.Marginals;

/// <summary>
/// Encoding is identical across sources (issue 15): for random messy tables (<see cref="MessyTable"/>) under random
/// schema variants (nullable or not, every out-of-domain action, bad rows skipped or failing, trimming on or off, four
/// sets of missing tokens), every 1- and 2-way marginal is the same from the in-memory CSV encoder, the in-memory Parquet
/// reader, DuckDB over the CSV (spilled codes), DuckDB over the Parquet file (encoded in SQL) and PostgreSQL (encoded
/// in SQL); and where the in-memory encoder refuses the table (a bad row under fail, no row left), every source does.
/// </summary>
public sealed class SourceEquivalenceProperties
{
    [Property(MaxTest = 40)]
    public void EveryOneAndTwoWayMarginalIsTheSameFromMemoryParquetAndDuckDb(PositiveInt rows, int seed)
    {
        var table = MessyTable.Generate(1 + (rows.Get % 40), seed);
        using var dir = new TempDirectory();
        var csv = dir.File("t.csv");
        var parquet = dir.File("t.parquet");
        table.WriteCsv(csv);
        table.WriteParquet(parquet);
        var expected = Counts(() => new InMemoryMarginalSource(CsvEncoder.EncodeFile(csv, table.Schema).Table));
        AssertSame(expected, Counts(() => new InMemoryMarginalSource(ParquetEncoder.EncodeFile(parquet, table.Schema).Table)), "memory parquet");
        AssertSame(expected, Counts(() => DuckDbSource.OpenCsv(csv, table.Schema)), "duckdb csv");
        AssertSame(expected, Counts(() => DuckDbSource.OpenParquet(parquet, table.Schema)), "duckdb parquet");
    }

    [RequiresPostgresProperty(MaxTest = 25)]
    public void EveryOneAndTwoWayMarginalIsTheSameFromPostgres(PositiveInt rows, int seed)
    {
        var table = MessyTable.Generate(1 + (rows.Get % 40), seed);
        using var dir = new TempDirectory();
        var csv = dir.File("t.csv");
        table.WriteCsv(csv);
        var expected = Counts(() => new InMemoryMarginalSource(CsvEncoder.EncodeFile(csv, table.Schema).Table));
        var names = MessyTable.Names;
        using var pg = LocalPostgres.Create(names, [.. names.Select(_ => "text")], table.Rows);
        AssertSame(expected, Counts(() => PostgresSource.Open(LocalPostgres.ConnectionString!, pg.Name, table.Schema)), "postgres");
    }

    /// <summary>Every 1- and 2-way marginal, or null when the source refused the table with an input error.</summary>
    internal static double[][]? Counts(Func<IMarginalSource> open)
    {
        IMarginalSource source;
        try
        {
            source = open();
        }
        catch (InputException)
        {
            return null;
        }

        using (source)
        {
            var d = source.Domain.Count;
            var cliques = Enumerable.Range(0, d).Select(a => Clique.Of(a))
                .Concat(Enumerable.Range(0, d).SelectMany(a => Enumerable.Range(a + 1, d - a - 1).Select(b => Clique.Of(a, b))))
                .ToArray();
            return source.Count(cliques);
        }
    }

    internal static void AssertSame(double[][]? expected, double[][]? actual, string source)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{source}: refused={actual is null}, in-memory CSV refused={expected is null}");
            return;
        }

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].SequenceEqual(actual[i]), $"{source}: marginal {i} differs: [{string.Join(",", expected[i])}] vs [{string.Join(",", actual[i])}]");
        }
    }
}
