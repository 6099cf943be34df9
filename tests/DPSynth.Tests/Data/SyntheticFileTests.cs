using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Data;

/// <summary>Synthetic files written a chunk at a time (issue 15): same rows, atomic on failure.</summary>
public sealed class SyntheticFileTests
{
    private const string Yaml = """
        missing: ["", NA]
        columns:
          - { name: n, type: integer, min: -3, max: 40, edges: [-3, 0, 10, 40], nullable: true }
          - { name: x, type: continuous, min: 0, max: 1, edges: [0, 0.1, 0.5, 1], nullable: true }
          - { name: f, type: boolean, nullable: true }
          - { name: d, type: date, min: 2020-01-15, max: 2020-12-31, granularity: month }
          - { name: s, type: categorical, categories: [a, "b,c"], on_out_of_domain: other, nullable: true }
        """;

    private static readonly TableSchema Schema = TestSchemas.Parse(Yaml);

    private static EncodedTable RandomTable(Random random, int rows) => new(
        Schema.Domain,
        Enumerable.Range(0, Schema.Columns.Length).Select(c => EncodedColumn.FromCodes(
            Schema.Domain.Size(c), [.. Enumerable.Range(0, rows).Select(_ => random.Next(Schema.Domain.Size(c)))])));

    [Theory]
    [InlineData("out.parquet")]
    [InlineData("out.csv")]
    public void ChunksReadBackAsTheirRowsInOrder(string name)
    {
        var random = new Random(4);
        EncodedTable[] chunks = [RandomTable(random, 130), RandomTable(random, 0), RandomTable(random, 71)];
        using var dir = new TempDirectory();
        var path = dir.File(name);
        Assert.Equal(201, SyntheticFile.Write(path, Schema, chunks, new Random(1)));

        var back = ParquetEncoder.IsParquet(path) ? ParquetEncoder.EncodeFile(path, Schema).Table : CsvEncoder.EncodeFile(path, Schema).Table;
        Assert.Equal(201, back.RowCount);
        for (var c = 0; c < Schema.Columns.Length; c++)
        {
            Assert.Equal(
                chunks.SelectMany(t => Enumerable.Range(0, t.RowCount).Select(r => t[r, c])),
                Enumerable.Range(0, back.RowCount).Select(r => back[r, c]));
        }
    }

    [Fact]
    public void ChunkedCsvIsTheCsvOfTheWholeTable()
    {
        // CSV is decoded row by row, so the draws, and hence the bytes, do not depend on where the chunks end.
        var random = new Random(6);
        var whole = RandomTable(random, 250);
        using var dir = new TempDirectory();
        CsvDecoder.WriteFile(dir.File("whole.csv"), Schema, whole, new Random(2));
        SyntheticFile.Write(dir.File("chunks.csv"), Schema, [whole.SelectRows([.. Enumerable.Range(0, 100)]), whole.SelectRows([.. Enumerable.Range(100, 150)])], new Random(2));
        Assert.Equal(File.ReadAllText(dir.File("whole.csv")), File.ReadAllText(dir.File("chunks.csv")));
    }

    [Fact]
    public async Task AnEmptySampleStillWritesTheColumns()
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty.parquet");
        Assert.Equal(0, SyntheticFile.Write(path, Schema, [RandomTable(new Random(1), 0)], new Random(1)));
        await using var stream = File.OpenRead(path);
        await using var reader = await Parquet.ParquetReader.CreateAsync(stream);
        Assert.Equal(Schema.Columns.Select(c => c.Name), reader.Schema.GetDataFields().Select(f => f.Name));
        Assert.Equal(1, reader.RowGroupCount);
        Assert.Equal(0, reader.RowGroups[0].RowCount);
    }

    [Theory]
    [InlineData("out.parquet")]
    [InlineData("out.csv")]
    public void AFailureWhileAChunkIsDrawnLeavesNoFile(string name)
    {
        using var dir = new TempDirectory();
        var path = dir.File(name);
        var error = Assert.Throws<InvalidOperationException>(() => SyntheticFile.Write(path, Schema, Failing(), new Random(1)));
        Assert.Equal("the second chunk failed", error.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AFailedRewriteLeavesThePreviousFileUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("out.parquet");
        SyntheticFile.Write(path, Schema, RandomTable(new Random(3), 40), new Random(1));
        var before = File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() => SyntheticFile.Write(path, Schema, Failing(), new Random(1)));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    private static IEnumerable<EncodedTable> Failing()
    {
        yield return RandomTable(new Random(9), 1000);
        throw new InvalidOperationException("the second chunk failed");
    }
}
