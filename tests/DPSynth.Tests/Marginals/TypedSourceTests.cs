using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;
using Parquet;
using Parquet.Schema;

namespace DPSynth.Tests.Marginals;

/// <summary>
/// Typed columns (Parquet INT64, DOUBLE, BOOLEAN, DATE and text, with nulls; the same types in PostgreSQL) give the
/// same codes in every source, and pairings no source can read identically are refused by all of them.
/// </summary>
public sealed class TypedSourceTests
{
    private const string Yaml = """
        missing: ["", NA]
        bad_rows: skip
        columns:
          - { name: n, type: integer, min: -3, max: 40, edges: [-3, 0, 10, 40], nullable: true, on_out_of_domain: drop }
          - { name: x, type: continuous, min: 0, max: 1, edges: [0, 0.1, 0.5, 1], nullable: true }
          - { name: f, type: boolean, nullable: true }
          - { name: d, type: date, min: 2020-01-15, max: 2020-12-31, granularity: month, nullable: false, on_out_of_domain: clamp }
          - { name: s, type: categorical, categories: [a, b], on_out_of_domain: other, nullable: true }
        """;

    private static readonly TableSchema Schema = TestSchemas.Parse(Yaml);

    // Bounds, bin edges, values just beside them, extremes, non-finite doubles, nulls, and text that is a missing token.
    private static readonly long?[] Longs = [-3, -4, 0, 9, 10, 40, 41, long.MinValue, long.MaxValue, null, 5, 7];
    private static readonly double?[] Doubles =
        [0, 0.1, 0.09999999999999999, 0.5, 1, 1.0000000000000002, -0.0, double.NaN, double.PositiveInfinity, null, double.Epsilon, 0.7];
    private static readonly bool?[] Bools = [true, false, null, true, false, true, null, false, true, true, false, true];
    private static readonly DateOnly?[] Dates =
    [
        new DateOnly(2020, 1, 15), new DateOnly(2020, 1, 14), new DateOnly(2020, 12, 31), new DateOnly(2021, 1, 1), null,
        new DateOnly(1, 1, 1), new DateOnly(9999, 12, 31), new DateOnly(2020, 2, 29), new DateOnly(2020, 6, 1),
        new DateOnly(2020, 1, 31), new DateOnly(2020, 7, 4), new DateOnly(2020, 3, 3),
    ];

    private static readonly string?[] Texts = ["a", "b", "NA", "", null, "c", " a", "A", "a", "b", "b", "a"];

    [Fact]
    public void TypedParquetGivesTheSameMarginalsInMemoryAndInDuckDb()
    {
        using var dir = new TempDirectory();
        var path = WriteTyped(dir.File("typed.parquet"));
        var expected = SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(ParquetEncoder.EncodeFile(path, Schema).Table));
        Assert.NotNull(expected);
        Assert.True(expected[0].Sum() > 0, "some rows are kept");
        SourceEquivalenceProperties.AssertSame(expected, SourceEquivalenceProperties.Counts(() => DuckDbSource.OpenParquet(path, Schema)), "duckdb parquet");
    }

    /// <summary>
    /// Integer columns read as numbers in SQL (no text): signed and unsigned widths, values beside the bounds and bins,
    /// unsigned values above long.MaxValue (bad rows, as their text is), and missing tokens that are an integer's
    /// canonical text ("7") or only look like one ("-0", "+5", "007").
    /// </summary>
    [Fact]
    public void TypedIntegerColumnsGiveTheSameMarginalsInMemoryAndInDuckDb()
    {
        var schema = TestSchemas.Parse("""
            missing: ["", NA, "7", "-0", "+5", "007", "18446744073709551615"]
            bad_rows: skip
            columns:
              - { name: a, type: integer, min: -3, max: 40, edges: [-3, 0, 10, 40], nullable: true, on_out_of_domain: drop }
              - { name: u, type: integer, min: 0, max: 100, nullable: true, on_out_of_domain: clamp }
              - { name: i, type: integer, min: -10, max: 10, nullable: false, on_out_of_domain: clamp }
              - { name: b, type: integer, min: 0, max: 300, bins: 4, nullable: true }
            """);
        long?[] a = [-3, 7, 0, -4, 41, null, 5, 40, 10, 9, long.MinValue, long.MaxValue, 0, 1];
        ulong?[] u = [0, 7, ulong.MaxValue, 99, 9223372036854775807, null, 100, 101, 5, 50, 3, 1, 2, 9223372036854775808];
        int?[] i = [-10, 10, 11, -11, 0, 0, 1, 3, -7, 5, 2, 1, int.MinValue, int.MaxValue];
        byte?[] b = [0, 255, 7, null, 1, 74, 75, 150, 151, 225, 226, 9, 8, 200];
        using var dir = new TempDirectory();
        var path = dir.File("integers.parquet");
        var (fa, fu, fi, fb) = (new DataField<long?>("a"), new DataField<ulong?>("u"), new DataField<int?>("i"), new DataField<byte?>("b"));
        Write(path, [fa, fu, fi, fb], g =>
        {
            g.WriteAsync(fa, new ReadOnlyMemory<long?>(a)).GetAwaiter().GetResult();
            g.WriteAsync(fu, new ReadOnlyMemory<ulong?>(u)).GetAwaiter().GetResult();
            g.WriteAsync(fi, new ReadOnlyMemory<int?>(i)).GetAwaiter().GetResult();
            g.WriteAsync(fb, new ReadOnlyMemory<byte?>(b)).GetAwaiter().GetResult();
        });

        var expected = SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(ParquetEncoder.EncodeFile(path, schema).Table));
        Assert.NotNull(expected);
        Assert.True(expected[0].Sum() > 0, "some rows are kept");
        SourceEquivalenceProperties.AssertSame(expected, SourceEquivalenceProperties.Counts(() => DuckDbSource.OpenParquet(path, schema)), "duckdb parquet");
    }

    [RequiresPostgresFact]
    public void TypedPostgresColumnsGiveTheSameMarginalsAsParquet()
    {
        using var dir = new TempDirectory();
        var path = WriteTyped(dir.File("typed.parquet"));
        var expected = SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(ParquetEncoder.EncodeFile(path, Schema).Table));
        var rows = Enumerable.Range(0, Longs.Length).Select(i => new object?[] { Longs[i], Doubles[i], Bools[i], Dates[i], Texts[i] });
        using var table = LocalPostgres.Create(["n", "x", "f", "d", "s"], ["bigint", "double precision", "boolean", "date", "text"], rows);
        SourceEquivalenceProperties.AssertSame(
            expected, SourceEquivalenceProperties.Counts(() => PostgresSource.Open(LocalPostgres.ConnectionString!, table.Name, Schema)), "postgres");
    }

    [Fact]
    public void AFloatingColumnFeedsOnlyAContinuousColumnInEverySource()
    {
        var schema = TestSchemas.Parse("columns:\n  - { name: n, type: integer, min: 0, max: 9 }\n");
        using var dir = new TempDirectory();
        var path = dir.File("f.parquet");
        var field = new DataField<double?>("n");
        Write(path, [field], g => g.WriteAsync(field, new ReadOnlyMemory<double?>([1.0, 2.0])).GetAwaiter().GetResult());

        var memory = Assert.Throws<InputException>(() => ParquetEncoder.EncodeFile(path, schema));
        var duck = Assert.Throws<InputException>(() => DuckDbSource.OpenParquet(path, schema));
        Assert.Contains("floating point", memory.Message, StringComparison.Ordinal);
        Assert.Contains("floating point", duck.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASqlSourceRefusesADateFormatItCannotParseBeforeReadingAnyRow()
    {
        var schema = TestSchemas.Parse("columns:\n  - { name: d, type: date, min: 2020-01-01, max: 2020-12-31, format: dd/MM/yyyy }\n");
        using var dir = new TempDirectory();
        var path = dir.WriteFile("never-read.parquet", "not parquet: the refusal comes first");
        var error = Assert.Throws<SqlEncodingException>(
            () => SourceSelection.Choose("duckdb", path, null, schema, _ => null));
        Assert.Contains("dd/MM/yyyy", error.Message, StringComparison.Ordinal);
        Assert.Throws<SqlEncodingException>(() => SourceSelection.Choose("postgres", null, "t", schema, _ => "Host=unused"));

        // The in-memory source and DuckDB over a CSV use .NET's parser: any format is fine there.
        Assert.Equal("memory", SourceSelection.Choose("memory", path, null, schema, _ => null).Kind);
    }

    [Fact]
    public void SynthesizedParquetReadsBackToTheSameCodes()
    {
        var schema = TestSchemas.Parse(Yaml);
        var random = new Random(7);
        var codes = Enumerable.Range(0, schema.Columns.Length)
            .Select(c => EncodedColumn.FromCodes(schema.Domain.Size(c), [.. Enumerable.Range(0, 200).Select(_ => random.Next(schema.Domain.Size(c)))]))
            .ToArray();
        var table = new EncodedTable(schema.Domain, codes);
        using var dir = new TempDirectory();
        var path = dir.File("out.parquet");
        SyntheticFile.Write(path, schema, table, new Random(1));

        var back = ParquetEncoder.EncodeFile(path, schema).Table;
        for (var c = 0; c < codes.Length; c++)
        {
            Assert.Equal(Enumerable.Range(0, 200).Select(r => table[r, c]), Enumerable.Range(0, back.RowCount).Select(r => back[r, c]));
        }
    }

    private static string WriteTyped(string path)
    {
        var (n, x, f, d, s) = (new DataField<long?>("n"), new DataField<double?>("x"), new DataField<bool?>("f"), new DataField<DateOnly?>("d"), new DataField<string>("s"));
        Write(path, [n, x, f, d, s], g =>
        {
            g.WriteAsync(n, new ReadOnlyMemory<long?>(Longs)).GetAwaiter().GetResult();
            g.WriteAsync(x, new ReadOnlyMemory<double?>(Doubles)).GetAwaiter().GetResult();
            g.WriteAsync(f, new ReadOnlyMemory<bool?>(Bools)).GetAwaiter().GetResult();
            g.WriteAsync(d, new ReadOnlyMemory<DateOnly?>(Dates)).GetAwaiter().GetResult();
            g.WriteAsync(s, Texts, null).GetAwaiter().GetResult();
        });
        return path;
    }

    internal static void Write(string path, DataField[] fields, Action<ParquetRowGroupWriter> columns)
    {
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            columns(group);
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
