using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Marginals;

/// <summary>
/// The synthesizers count through a source end to end: MST (and AIM) on the demo table through DuckDB and PostgreSQL,
/// recoded (MST's rare-value merge) counts equal across sources, and <c>dpsynth synth</c> with <c>--source</c>,
/// Parquet in and out, and the PostgreSQL connection string from the environment only.
/// </summary>
public sealed class SourceSynthesisTests
{
    private static readonly string Demo = Path.Combine(SharedData.RepositoryRoot, "policies", "demo");
    private static readonly string Csv = Path.Combine(Demo, "visits.csv");
    private static readonly string SchemaPath = Path.Combine(Demo, "visits.schema.yaml");
    private static readonly TableSchema Schema = TableSchema.Load(SchemaPath);

    [Fact]
    public void MstAndAimFitThroughDuckDb()
    {
        using var duck = DuckDbSource.OpenCsv(Csv, Schema);
        var rho = SynthesisBudget.FromEpsilonDelta(1, 1e-6);
        var mst = new Mst(Schema.Domain).Fit(duck, new ZcdpAccountant(rho));
        var d = Schema.Domain.Count;
        Assert.Equal(d + (d - 1), mst.Measurements.Length);
        Assert.True(mst.RhoSpent.Value <= rho.Value);
        Assert.Equal(Schema.Domain, mst.Sample(new Random(1), 50).Domain);

        var aim = new Aim(Workload.AllKWay(Schema.Domain, 2), new AimOptions { Rounds = 2 * d, Iterations = 20, FinalIterations = 50 })
            .Fit(duck, new ZcdpAccountant(rho));
        Assert.True(aim.Measurements.Length >= d);
        Assert.True(aim.RhoSpent.Value <= rho.Value);
    }

    [Fact]
    public void RecodedCountsAreTheSameInMemoryAndInDuckDb()
    {
        var table = CsvEncoder.EncodeFile(Csv, Schema).Table;
        var keep = Enumerable.Range(0, Schema.Domain.Count).Select(a => (IReadOnlyList<int>)[.. Enumerable.Range(0, Schema.Domain.Size(a)).Where(v => v % 3 != 1)]).ToList();
        var recoding = DomainCompression.FromKeptValues(Schema.Domain, keep).Recoding;
        var pairs = Enumerable.Range(1, Schema.Domain.Count - 1).Select(b => Clique.Of(0, b)).Append(Clique.Of(2, 5)).ToArray();
        using var memory = new InMemoryMarginalSource(table);
        using var duck = DuckDbSource.OpenCsv(Csv, Schema);
        using var recodedMemory = memory.Recode(recoding);
        using var recodedDuck = duck.Recode(recoding);
        Assert.Equal(recoding.Target, recodedDuck.Domain);
        SourceEquivalenceProperties.AssertSame(recodedMemory.Count(pairs), recodedDuck.Count(pairs), "recoded duckdb");
    }

    [RequiresPostgresFact]
    public void MstFitsThroughPostgres()
    {
        var rows = ReadCsvRows(Csv);
        using var table = LocalPostgres.Create(rows.Names, [.. rows.Names.Select(_ => "text")], rows.Values);
        using var pg = PostgresSource.Open(LocalPostgres.ConnectionString!, table.Name, Schema);
        using var dir = new TempDirectory();
        var head = dir.WriteFile("head.csv", string.Join("\n", File.ReadLines(Csv).Take(rows.Values.Count + 1)) + "\n");
        var memory = SourceEquivalenceProperties.Counts(() => new InMemoryMarginalSource(CsvEncoder.EncodeFile(head, Schema).Table));
        SourceEquivalenceProperties.AssertSame(memory, SourceEquivalenceProperties.Counts(() => PostgresSource.Open(LocalPostgres.ConnectionString!, table.Name, Schema)), "postgres");

        var result = new Mst(Schema.Domain).Fit(pg, new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(1, 1e-6)));
        Assert.Equal((2 * Schema.Domain.Count) - 1, result.Measurements.Length);
    }

    [Fact]
    public void SynthReadsParquetThroughDuckDbAndWritesParquet()
    {
        using var dir = new TempDirectory();
        var parquet = dir.File("visits.parquet");
        SyntheticFile.Write(parquet, Schema, CsvEncoder.EncodeFile(Csv, Schema).Table, new Random(3));
        var output = dir.File("synthetic.parquet");

        var run = CliRunner.Run(
            "synth", "--input", parquet, "--schema", SchemaPath, "--epsilon", "1", "--delta", "1e-6", "--method", "mst",
            "--source", "duckdb", "--out", output, "--seed", "5");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("counting marginals with the duckdb source", run.Error, StringComparison.Ordinal);
        var rows = CsvEncoder.EncodeFile(Csv, Schema).Table.RowCount;
        Assert.Contains($"assumed at most {rows:N0} rows, from the Parquet file's footer", run.Error, StringComparison.Ordinal);
        Assert.True(ParquetEncoder.EncodeFile(output, Schema).Table.RowCount > 0);
    }

    [Fact]
    public void PostgresWithoutItsEnvironmentVariableIsRefusedBeforeTheLedgerIsTouched()
    {
        using var dir = new TempDirectory();
        var ledger = dir.File("ledger.jsonl");
        var run = CliProcess.Run(
            new Dictionary<string, string?> { [PostgresSource.ConnectionVariable] = null },
            "synth", "--source", "postgres", "--table", "visits", "--schema", SchemaPath, "--epsilon", "1", "--delta", "1e-6",
            "--out", dir.File("out.csv"), "--ledger", ledger, "--init-ledger");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error:", run.Error.TrimStart(), StringComparison.Ordinal);
        Assert.Contains(PostgresSource.ConnectionVariable, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(ledger));
        Assert.False(File.Exists(dir.File("out.csv")));
    }

    [RequiresPostgresFact]
    public void SynthCountsAPostgresTableWithTheConnectionStringFromTheEnvironment()
    {
        var rows = ReadCsvRows(Csv);
        using var table = LocalPostgres.Create(rows.Names, [.. rows.Names.Select(_ => "text")], rows.Values);
        using var dir = new TempDirectory();
        var run = CliProcess.Run(
            new Dictionary<string, string?> { [PostgresSource.ConnectionVariable] = LocalPostgres.ConnectionString },
            "synth", "--source", "postgres", "--table", table.Name, "--schema", SchemaPath, "--epsilon", "1", "--delta", "1e-6",
            "--method", "mst", "--out", dir.File("out.csv"), "--seed", "2");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("counting marginals with the postgres source", run.Error, StringComparison.Ordinal);
        Assert.Contains("rows, from the table's size in PostgreSQL", run.Error, StringComparison.Ordinal);
        Assert.True(run.Error.IndexOf("preflight: peak memory at most ", StringComparison.Ordinal) < run.Error.IndexOf("counting marginals", StringComparison.Ordinal));
        Assert.True(CsvEncoder.EncodeFile(dir.File("out.csv"), Schema.WithCsv(CsvOptions.Default)).Table.RowCount > 0);
    }

    /// <summary>
    /// The CSV's header and first 2,000 records (CsvHelper, RFC 4180), to load the same strings into a SQL table.
    /// PostgreSQL encodes the rows again for every count query, so the tests keep the table small.
    /// </summary>
    private static (string[] Names, List<object?[]> Values) ReadCsvRows(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvHelper.CsvParser(reader, System.Globalization.CultureInfo.InvariantCulture);
        csv.Read();
        var names = csv.Record!;
        var values = new List<object?[]>();
        while (values.Count < 2000 && csv.Read())
        {
            values.Add([.. csv.Record!]);
        }

        return (names, values);
    }
}
