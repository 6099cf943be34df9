using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;
using Parquet.Schema;

namespace DPSynth.Tests.Marginals;

/// <summary>
/// The number rules every source shares: without trim a continuous field with white space around it is a bad row (as
/// an integer or date field is), a nonzero number that underflows to 0 is a bad row, and so is an integer a double
/// cannot hold; zeros, subnormals and exact large integers are values. The in-memory CSV and Parquet readers, DuckDB
/// (text and typed Parquet) and PostgreSQL give the same codes.
/// </summary>
public sealed class NumberRuleSourceTests
{
    private const string Yaml = """
        bad_rows: skip
        csv: { trim: false }
        columns:
          - { name: n, type: integer, min: -9007199254740992, max: 9007199254740992, bins: 3, on_out_of_domain: clamp }
          - { name: x, type: continuous, min: -1, max: 1, edges: [-1, 0, 0.5, 1], on_out_of_domain: clamp }
        """;

    // Each row isolates one field: the other is a plain value in its domain.
    private static readonly string[][] Rows =
    [
        ["9007199254740992", "0.25"], ["9007199254740993", "0.25"], ["-9007199254740993", "0.25"], ["9007199254740994", "0.25"],
        ["18014398509481985", "0.25"], ["18014398509481988", "0.25"], ["4611686018427387905", "0.25"], ["4611686018427387904", "0.25"],
        ["9223372036854775807", "0.25"], ["-9223372036854775808", "0.25"], ["9223372036854774784", "0.25"], ["-4611686018427387903", "0.25"],
        ["1", "1.5e-400"], ["1", "-1e-400"], ["1", "2.4e-324"], ["1", "4.9e-324"], ["1", "0e-999"], ["1", "-0.0"], ["1", ".0E+400"],
        ["1", "0.001e-322"], ["1", " 0.75 "], ["1", "\t0.75"], ["1", "0.75\n"], ["1", "0.75"], ["1", "1e400"], ["1", "7"],
        [" 3", "0.25"], ["3 ", "0.25"], ["3", "0.25"],
    ];

    private static long?[] Longs => [.. Rows.Select(r => long.TryParse(r[0], out var v) && r[0] == v.ToString() ? v : (long?)null)];

    [Fact]
    public void TextColumnsGiveTheSameMarginalsInMemoryAndInDuckDb()
    {
        var schema = TestSchemas.Parse(Yaml);
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "n,x\n" + string.Concat(Rows.Select(r => $"\"{r[0]}\",\"{r[1]}\"\n")));
        var parquet = dir.File("t.parquet");
        MessyTable.WriteTextParquet(parquet, ["n", "x"], Rows);

        var result = CsvEncoder.EncodeFile(csv, schema);
        // Kept: six exact integers (five clamped beyond a bound), four zeros, a subnormal, 0.75, 7 clamped, and "3";
        // skipped: six inexact integers, four underflows, three padded numbers, an overflow and two padded integers.
        Assert.Equal((13, 16L), (result.Table.RowCount, result.RowsSkipped));
        var expected = SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(result.Table));
        SourceEquivalenceProperties.AssertSame(expected, SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(ParquetEncoder.EncodeFile(parquet, schema).Table)), "memory parquet");
        SourceEquivalenceProperties.AssertSame(expected, SourceEquivalenceProperties.Counts(() => DuckDbSource.OpenCsv(csv, schema)), "duckdb csv");
        SourceEquivalenceProperties.AssertSame(expected, SourceEquivalenceProperties.Counts(() => DuckDbSource.OpenParquet(parquet, schema)), "duckdb parquet");
    }

    [Fact]
    public void TypedIntegersADoubleCannotHoldAreBadRowsInMemoryAndInDuckDb()
    {
        var schema = TestSchemas.Parse(Yaml);
        using var dir = new TempDirectory();
        var path = dir.File("typed.parquet");
        var longs = Longs.Where(v => v is not null).ToArray();
        var (fn, fx) = (new DataField<long?>("n"), new DataField<string>("x"));
        TypedSourceTests.Write(path, [fn, fx], g =>
        {
            g.WriteAsync(fn, new ReadOnlyMemory<long?>(longs)).GetAwaiter().GetResult();
            g.WriteAsync(fx, longs.Select(_ => "0.25").ToArray(), null).GetAwaiter().GetResult();
        });

        var result = ParquetEncoder.EncodeFile(path, schema);
        Assert.Equal(6, result.RowsSkipped);
        var expected = SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(result.Table));
        SourceEquivalenceProperties.AssertSame(expected, SourceEquivalenceProperties.Counts(() => DuckDbSource.OpenParquet(path, schema)), "duckdb parquet");
    }

    [RequiresPostgresFact]
    public void PostgresGivesTheSameMarginalsFromTextAndFromBigint()
    {
        var schema = TestSchemas.Parse(Yaml);
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "n,x\n" + string.Concat(Rows.Select(r => $"\"{r[0]}\",\"{r[1]}\"\n")));
        var expected = SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(CsvEncoder.EncodeFile(csv, schema).Table));
        using (var text = LocalPostgres.Create(["n", "x"], ["text", "text"], Rows))
        {
            SourceEquivalenceProperties.AssertSame(
                expected, SourceEquivalenceProperties.Counts(() => PostgresSource.Open(LocalPostgres.ConnectionString!, text.Name, schema)), "postgres text");
        }

        var longs = Longs.Where(v => v is not null).ToArray();
        var typedCsv = dir.WriteFile("typed.csv", "n,x\n" + string.Concat(longs.Select(v => $"{v},0.25\n")));
        var typedExpected = SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(CsvEncoder.EncodeFile(typedCsv, schema).Table));
        using var typed = LocalPostgres.Create(["n", "x"], ["bigint", "text"], longs.Select(v => new object?[] { v, "0.25" }));
        SourceEquivalenceProperties.AssertSame(
            typedExpected, SourceEquivalenceProperties.Counts(() => PostgresSource.Open(LocalPostgres.ConnectionString!, typed.Name, schema)), "postgres bigint");
    }
}
