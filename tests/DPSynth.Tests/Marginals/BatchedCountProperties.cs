using System.Globalization;
using System.Text;
using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Schema;
using DPSynth.Tests.Support;
using FsCheck;
using FsCheck.Xunit;

namespace DPSynth.Tests.Marginals;

/// <summary>
/// The SQL sources count a list of cliques in batches, one <c>GROUP BY GROUPING SETS</c> query each
/// (<see cref="SqlCountBatch"/>): for random lists of cliques (the empty clique, 1- to 4-way cliques, repeats, any order,
/// long enough to need several batches), every marginal is the one <see cref="MarginalCounter"/> counts clique by clique
/// in memory, through DuckDB (over a CSV and over a Parquet file), PostgreSQL, and a recoding of each. The table has
/// rows dropped for a value outside the domain, so the sources that filter in every query (PostgreSQL) are covered too.
/// </summary>
public sealed class BatchedCountProperties
{
    private const string Yaml = """
        columns:
          - { name: a, type: categorical, categories: [x, y, z], on_out_of_domain: drop }
          - { name: b, type: integer, min: 0, max: 5 }
          - { name: c, type: boolean }
          - { name: e, type: integer, min: 0, max: 99, bins: 7 }
          - { name: f, type: categorical, categories: [p, q, r, s, t, u, v, w] }
          - { name: g, type: integer, min: -2, max: 2 }
        """;

    private static readonly TableSchema Schema = SchemaReader.Read(new StringReader(Yaml), "batched.yaml").GetValueOrThrow();

    [Property(MaxTest = 25)]
    public void BatchedCountsEqualCliqueByCliqueCountsInMemoryThroughDuckDb(PositiveInt rows, int seed)
    {
        using var dir = new TempDirectory();
        var (csv, parquet, cliques) = Generate(dir, 1 + (rows.Get % 200), seed);
        var table = CsvEncoder.EncodeFile(csv, Schema).Table;
        var expected = cliques.Select(c => MarginalCounter.Count(table, c)).ToArray();
        using var duckCsv = DuckDbSource.OpenCsv(csv, Schema);
        SourceEquivalenceProperties.AssertSame(expected, duckCsv.Count(cliques), "duckdb csv");
        using var duckParquet = DuckDbSource.OpenParquet(parquet, Schema);
        SourceEquivalenceProperties.AssertSame(expected, duckParquet.Count(cliques), "duckdb parquet");

        var recoding = Recoding(seed);
        var recoded = recoding.Apply(table);
        var expectedRecoded = cliques.Select(c => MarginalCounter.Count(recoded, c)).ToArray();
        using var recodedDuck = duckParquet.Recode(recoding);
        SourceEquivalenceProperties.AssertSame(expectedRecoded, recodedDuck.Count(cliques), "recoded duckdb parquet");
    }

    [RequiresPostgresProperty(MaxTest = 10)]
    public void BatchedCountsEqualCliqueByCliqueCountsInMemoryThroughPostgres(PositiveInt rows, int seed)
    {
        using var dir = new TempDirectory();
        var (csv, _, cliques) = Generate(dir, 1 + (rows.Get % 200), seed);
        var table = CsvEncoder.EncodeFile(csv, Schema).Table;
        var lines = File.ReadAllLines(csv);
        var names = lines[0].Split(',');
        using var pg = LocalPostgres.Create(names, [.. names.Select(_ => "text")], lines.Skip(1).Select(l => (object?[])l.Split(',')));
        using var source = PostgresSource.Open(LocalPostgres.ConnectionString!, pg.Name, Schema);
        SourceEquivalenceProperties.AssertSame([.. cliques.Select(c => MarginalCounter.Count(table, c))], source.Count(cliques), "postgres");

        var recoding = Recoding(seed);
        var recoded = recoding.Apply(table);
        using var recodedPg = source.Recode(recoding);
        SourceEquivalenceProperties.AssertSame([.. cliques.Select(c => MarginalCounter.Count(recoded, c))], recodedPg.Count(cliques), "recoded postgres");
    }

    [Fact]
    public void EveryCliqueIsInExactlyOneBatchWithinTheLimitsAndItsOwnMask()
    {
        // 40 attributes of 2 to 41 cells: unions beyond GROUPING's 31 columns, more than 64 sets, and cliques of more
        // cells than a batch takes.
        var domain = new Domain([.. Enumerable.Range(0, 40).Select(a => "x" + a.ToString(CultureInfo.InvariantCulture))], [.. Enumerable.Range(2, 40)]);
        var random = new Random(7);
        var cliques = Enumerable.Range(0, 400)
            .Select(_ => new Clique(Enumerable.Range(0, 40).OrderBy(_ => random.Next()).Take(random.Next(0, 6))))
            .Append(Clique.Of(35, 36, 37, 38, 39))
            .Append(Clique.Empty)
            .ToArray();
        var batches = SqlCountBatch.Plan(domain, cliques);

        Assert.Equal(Enumerable.Range(0, cliques.Length), batches.SelectMany(b => b.Cliques).Order());
        Assert.Contains(batches, b => b.Cliques.Count > 1);
        foreach (var batch in batches)
        {
            var members = batch.Cliques.Select(i => cliques[i]).ToArray();
            Assert.Equal(members.Distinct().Count(), members.Length);
            Assert.Equal(members.Length, members.Select(batch.Mask).Distinct().Count());
            if (members.Length > 1)
            {
                Assert.True(batch.Columns.Count <= SqlCountBatch.MaxColumns);
                Assert.True(members.Length <= SqlCountBatch.MaxSets);
                Assert.True(members.Sum(c => c.CellCount(domain)) <= SqlCountBatch.MaxCells);
            }

            // The mask has a bit for every batch column outside the clique, the rightmost column least significant.
            foreach (var clique in members.Where(_ => members.Length > 1))
            {
                var mask = batch.Mask(clique);
                for (var k = 0; k < batch.Columns.Count; k++)
                {
                    var bit = (mask >> (batch.Columns.Count - 1 - k)) & 1;
                    Assert.Equal(clique.Contains(batch.Columns[k]) ? 0L : 1L, bit);
                }
            }
        }
    }

    /// <summary>A CSV and Parquet file of the same random rows (some with a value outside column a), and random cliques.</summary>
    private static (string Csv, string Parquet, Clique[] Cliques) Generate(TempDirectory dir, int rows, int seed)
    {
        var random = new Random(seed);
        string[][] pools =
        [
            ["x", "y", "z", "out"], ["0", "1", "2", "3", "4", "5"], ["true", "false"], ["0", "13", "27", "50", "71", "99"],
            ["p", "q", "r", "s", "t", "u", "v", "w"], ["-2", "-1", "0", "1", "2"],
        ];
        var text = new StringBuilder("a,b,c,e,f,g\n");
        var values = new List<string[]>();
        for (var r = 0; r < rows; r++)
        {
            // Skewed draws, so some cells are empty and some full.
            var row = pools.Select(p => p[Math.Min(random.Next(p.Length), random.Next(p.Length))]).ToArray();
            values.Add(row);
            text.Append(string.Join(',', row)).Append('\n');
        }

        var csv = dir.WriteFile("t.csv", text.ToString());
        var parquet = dir.File("t.parquet");
        MessyTable.WriteTextParquet(parquet, ["a", "b", "c", "e", "f", "g"], values);
        var d = Schema.Domain.Count;
        var cliques = Enumerable.Range(0, 20 + random.Next(150))
            .Select(_ => new Clique(Enumerable.Range(0, d).OrderBy(_ => random.Next()).Take(random.Next(0, 5))))
            .ToArray();
        return (csv, parquet, cliques);
    }

    /// <summary>A random merge of each attribute's codes (as MST's rare-value merge makes).</summary>
    private static CodeRecoding Recoding(int seed)
    {
        var random = new Random(seed ^ 0x5bd1e995);
        var keep = Enumerable.Range(0, Schema.Domain.Count)
            .Select(a => (IReadOnlyList<int>)[.. Enumerable.Range(0, Schema.Domain.Size(a)).Where(v => v == 0 || random.Next(3) > 0)])
            .ToList();
        return DPSynth.Synthesizers.DomainCompression.FromKeptValues(Schema.Domain, keep).Recoding;
    }
}
