using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Data;

public sealed class CsvDecoderTests
{
    private static readonly TableSchema Schema = TestSchemas.Parse("""
        missing: ["NA", ""]
        on_out_of_domain: other
        columns:
          - { name: n, type: integer, min: 10, max: 12, nullable: true }
          - { name: c, type: categorical, categories: [x, y] }
        """);

    private static EncodedTable Table(int[] n, int[] c) =>
        new(Schema.Domain, [EncodedColumn.FromCodes(4, n), EncodedColumn.FromCodes(3, c)]);

    [Fact]
    public void MissingAndOtherCellsDecodeToTheirDocumentedTokens()
    {
        using var dir = new TempDirectory();
        var path = dir.File("out.csv");

        CsvDecoder.WriteFile(path, Schema, Table([0, 2, 3], [1, 2, 0]), new Random(1));

        Assert.Equal("n,c\n10,y\n12,__other__\nNA,x\n", File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void TheSameSeedGivesTheSameFile()
    {
        var schema = TestSchemas.Parse("columns:\n  - { name: x, type: continuous, min: 0, max: 1, bins: 2 }\n");
        var table = new EncodedTable(schema.Domain, [EncodedColumn.FromCodes(2, [0, 1, 1, 0])]);
        string Write(int seed)
        {
            using var writer = new StringWriter();
            CsvDecoder.Write(writer, schema, table, new Random(seed));
            return writer.ToString();
        }

        Assert.Equal(Write(7), Write(7));
        Assert.NotEqual(Write(7), Write(8));
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileAndNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("out.csv", "old");
        var other = TestSchemas.Parse("columns:\n  - { name: z, type: boolean }\n");

        Assert.Throws<ArgumentException>(() => CsvDecoder.WriteFile(path, other, Table([0], [0]), new Random(1)));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ACodeOutsideTheColumnIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CsvDecoder.DecodeCell(Schema, 1, 3, new Random(1)));
    }
}
