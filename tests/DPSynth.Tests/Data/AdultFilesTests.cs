using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Data;

/// <summary>The real UCI Adult files encode with the row and missing-value counts of ../shared/data/adult-raw/README.md.</summary>
public sealed class AdultFilesTests
{
    private static int Missing(EncodedTable table, TableSchema schema, string column)
    {
        var index = schema.Domain.IndexOf(column);
        var missingCode = schema.Columns[index].MissingCode;
        var count = 0;
        for (var row = 0; row < table.RowCount; row++)
        {
            count += table[row, index] == missingCode ? 1 : 0;
        }

        return count;
    }

    private static void AssertAdult(CsvEncodeResult result, TableSchema schema, int rows, int workclass, int occupation, int country)
    {
        Assert.Equal(rows, result.Table.RowCount);
        Assert.Equal(rows, result.RecordsRead);
        Assert.Equal((0L, 0L, 0L, 0L), (result.RowsSkipped, result.RowsDropped, result.ValuesClamped, result.ValuesToOther));
        Assert.Equal(workclass, Missing(result.Table, schema, "workclass"));
        Assert.Equal(occupation, Missing(result.Table, schema, "occupation"));
        Assert.Equal(country, Missing(result.Table, schema, "native-country"));
    }

    [RequiresSharedDataFact]
    public void ThePublishedTrainingFileEncodesHeaderlessWithItsSpacedSeparators()
    {
        var schema = TestSchemas.AdultUci(skipLines: 0);

        var result = CsvEncoder.EncodeFile(SharedData.Path("adult-raw", "adult.data"), schema);

        AssertAdult(result, schema, 32_561, 1_836, 1_843, 583);

        // The file ends with a blank line: ignored, as the end of a file of several columns may be, and counted.
        Assert.Equal(1, result.BlankLinesIgnored);
    }

    [RequiresSharedDataFact]
    public void ThePublishedTestFileSkipsItsJunkLineAndReadsDottedLabelsAsAliases()
    {
        var schema = TestSchemas.AdultUci(skipLines: 1);

        var result = CsvEncoder.EncodeFile(SharedData.Path("adult-raw", "adult.test"), schema);

        AssertAdult(result, schema, 16_281, 963, 966, 274);
        Assert.Equal(1, result.BlankLinesIgnored);
        var income = schema.Domain.IndexOf("income");
        var rich = 0;
        for (var row = 0; row < result.Table.RowCount; row++)
        {
            rich += result.Table[row, income];
        }

        // Both dotted labels were read as the two declared classes, not dropped or sent elsewhere.
        Assert.InRange(rich, 1, result.Table.RowCount - 1);
    }

    [RequiresSharedDataTheory]
    [InlineData("adult-train.csv", 32_561, 1_836, 1_843, 583)]
    [InlineData("adult-test.csv", 16_281, 963, 966, 274)]
    public void TheCsvFilesWithAHeaderEncodeWithTheSameCounts(string file, int rows, int workclass, int occupation, int country)
    {
        var schema = TableSchema.Load(TestSchemas.AdultPath);

        var result = CsvEncoder.EncodeFile(SharedData.Path("adult-raw", file), schema);

        AssertAdult(result, schema, rows, workclass, occupation, country);
    }

    [RequiresSharedDataFact]
    public void BothFormsOfTheTrainingSplitGiveTheSameCodes()
    {
        var uci = CsvEncoder.EncodeFile(SharedData.Path("adult-raw", "adult.data"), TestSchemas.AdultUci(0)).Table;
        var csv = CsvEncoder.EncodeFile(SharedData.Path("adult-raw", "adult-train.csv"), TableSchema.Load(TestSchemas.AdultPath)).Table;

        Assert.Equal(uci.RowCount, csv.RowCount);
        for (var c = 0; c < uci.Domain.Count; c++)
        {
            var a = new int[uci.RowCount];
            var b = new int[csv.RowCount];
            uci.Columns[c].CopyTo(a);
            csv.Columns[c].CopyTo(b);
            Assert.True(a.AsSpan().SequenceEqual(b), $"column {uci.Domain.Names[c]} differs");
        }
    }

    [RequiresSharedDataFact]
    public void TheCodedPrivatePgmFileEncodesUnderItsDomainJson()
    {
        var schema = TableSchema.Load(SharedData.Path("adult", "adult-domain.json"));

        var result = CsvEncoder.EncodeFile(SharedData.Path("adult", "adult.csv"), schema);

        Assert.Equal(48_842, result.Table.RowCount);
        Assert.Equal(14, result.Table.Domain.Count);
        Assert.Equal(85, result.Table.Domain.Size(result.Table.Domain.IndexOf("age")));
        Assert.Equal(result.Table.RowCount * 14L, result.Table.ByteCount);

        // Codes are the file's integers as they are: the first row is 23,5,4,12,2,8,3,0,1,2,0,39,0,0.
        int[] first = [23, 5, 4, 12, 2, 8, 3, 0, 1, 2, 0, 39, 0, 0];
        Assert.Equal(first, Enumerable.Range(0, 14).Select(c => result.Table[0, c]));
    }
}
