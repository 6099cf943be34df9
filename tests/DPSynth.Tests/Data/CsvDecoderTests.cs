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

    [Fact]
    public void DatesDecodeToADayOfTheirBinInTheColumnFormat()
    {
        var schema = TestSchemas.Parse(
            "columns:\n  - { name: d, type: date, min: 2020-01-20, max: 2020-03-10, granularity: month, format: dd/MM/yyyy }\n");
        var random = new Random(3);

        for (var i = 0; i < 50; i++)
        {
            var first = DateOnly.ParseExact(CsvDecoder.DecodeCell(schema, 0, 0, random), "dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
            var third = DateOnly.ParseExact(CsvDecoder.DecodeCell(schema, 0, 2, random), "dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(first, new DateOnly(2020, 1, 20), new DateOnly(2020, 1, 31));
            Assert.InRange(third, new DateOnly(2020, 3, 1), new DateOnly(2020, 3, 10));
        }
    }

    [Fact]
    public void BooleansDecodeToTrueAndFalse()
    {
        var schema = TestSchemas.Parse("columns:\n  - { name: b, type: boolean }\n");

        Assert.Equal(("false", "true"), (CsvDecoder.DecodeCell(schema, 0, 0, new Random(1)), CsvDecoder.DecodeCell(schema, 0, 1, new Random(1))));
    }
}
