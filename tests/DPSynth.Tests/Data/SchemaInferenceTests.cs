using System.Globalization;
using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;
using FsCheck;
using FsCheck.Xunit;

namespace DPSynth.Tests.Data;

/// <summary>
/// <c>schema infer</c> on messy real-world files (issue 17): numbers with missing tokens stay numeric and nullable,
/// numeric categories sort by value, missing tokens are detected or given, and the draft always passes
/// <c>schema check</c> on the file it was drafted from.
/// </summary>
[Trait("Issue", "17")]
public sealed class SchemaInferenceTests
{
    [Fact]
    public void CensusColumnsWithNStayNumericAndNullable()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("census.csv", MessyTable.Census(seed: 1, rows: 3000));

        var yaml = SchemaInference.DraftYaml(csv);
        var schema = TestSchemas.Parse(yaml);

        Assert.Contains("missing: [\"N\"]", yaml, StringComparison.Ordinal);
        var income = Column<NumericColumnSpec>(schema, "PINCP");
        Assert.Equal(ColumnKind.Continuous, income.Kind);
        Assert.True(income.Nullable);
        Assert.Equal(SchemaInference.DraftBins, income.Binning.Count);
        Assert.InRange(income.Binning.Min, -10_000, -9_000);
        var poverty = Column<NumericColumnSpec>(schema, "POVPIP");
        Assert.Equal((ColumnKind.Integer, true, 1.0, 500.0, SchemaInference.DraftBins),
            (poverty.Kind, poverty.Nullable, poverty.Binning.Min, poverty.Binning.Max, poverty.Binning.Count));
        var children = Column<NumericColumnSpec>(schema, "NOC");
        Assert.True(children.Binning.IsPerValue && children.Nullable);
        Assert.False(Column<NumericColumnSpec>(schema, "AGEP").Nullable);
        Assert.True(Column<NumericColumnSpec>(schema, "INDP").Nullable);
        Assert.Contains("if they are codes, make the column categorical", yaml, StringComparison.Ordinal);
        AssertEncodesEveryRow(csv, schema, 3000);
    }

    [Fact]
    public void TheCliDraftOfTheCensusTablePassesSchemaCheckAndIsStillADraft()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("census.csv", MessyTable.Census(seed: 2, rows: 500));
        var yaml = dir.File("draft.yaml");

        var infer = CliRunner.Run("schema", "infer", "--input", csv, "--out", yaml);
        var check = CliRunner.Run("schema", "check", "--input", csv, "--schema", yaml);

        Assert.Equal((0, 0), (infer.ExitCode, check.ExitCode));
        Assert.True(SchemaInference.IsDraft(File.ReadAllText(yaml)));
        Assert.Contains("rows encoded:  500", check.Output, StringComparison.Ordinal);
        Assert.Matches(@"PINCP\s+continuous\s+21 \+missing", check.Output);
    }

    [Fact]
    public void GivenMissingTokensReplaceDetectionAndNumericCategoriesSortByValue()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("census.csv", MessyTable.Census(seed: 3, rows: 2000));
        var yaml = dir.File("draft.yaml");

        // Only the empty field is missing, so N is a value and the numeric columns holding it become categories.
        var infer = CliRunner.Run("schema", "infer", "--input", csv, "--out", yaml, "--missing", "");
        var schema = TableSchema.Load(yaml);

        Assert.Equal(0, infer.ExitCode);
        Assert.Equal([string.Empty], schema.MissingTokens.ToArray());
        var poverty = Column<CategoricalColumnSpec>(schema, "POVPIP");
        Assert.Equal("N", poverty.Categories[^1]);
        var numbers = poverty.Categories[..^1].Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(0, CliRunner.Run("schema", "check", "--input", csv, "--schema", yaml).ExitCode);
    }

    [Fact]
    public void SeveralMissingTokensCanBeGivenAndTheFirstIsWhatDecodingWrites()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "x,y\n1,a\nNA,b\n-,c\n4,NA\n");

        var schema = TestSchemas.Parse(SchemaInference.DraftYaml(csv, missingTokens: ["-", " NA "]));

        Assert.Equal(["-", "NA"], schema.MissingTokens.ToArray());
        Assert.Equal("-", schema.MissingToken);
        Assert.Equal(ColumnKind.Integer, schema.Columns[0].Kind);
        Assert.True(schema.Columns[0].Nullable && schema.Columns[1].Nullable);
        AssertEncodesEveryRow(csv, schema, 4);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NA")]
    [InlineData("N")]
    [InlineData("NULL")]
    [InlineData(".")]
    [InlineData("?")]
    public void EachCommonMissingTokenIsDetected(string token)
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", $"score,city\n1.5,Paris\n{token},Lyon\n2.25,{token}\n");

        var yaml = SchemaInference.DraftYaml(csv);
        var schema = TestSchemas.Parse(yaml);

        Assert.Equal([token], schema.MissingTokens.ToArray());
        Assert.Equal(ColumnKind.Continuous, schema.Columns[0].Kind);
        Assert.Equal(["Lyon", "Paris"], ((CategoricalColumnSpec)schema.Columns[1]).Categories.ToArray());
        Assert.True(schema.Columns[0].Nullable && schema.Columns[1].Nullable);
        AssertEncodesEveryRow(csv, schema, 3);
    }

    [Fact]
    public void TheOnlyNonNumberOfANumericColumnIsMissingButTwoDifferentWordsAreValues()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "amount,count\n10,1\n-,none\n30,many\n-,3\n");

        var yaml = SchemaInference.DraftYaml(csv);
        var schema = TestSchemas.Parse(yaml);

        Assert.Equal(["-"], schema.MissingTokens.ToArray());
        Assert.Contains("\"-\": the only text that is not a number in column \"amount\"", yaml, StringComparison.Ordinal);
        Assert.Equal((ColumnKind.Integer, true), (schema.Columns[0].Kind, schema.Columns[0].Nullable));
        Assert.Equal(["1", "3", "many", "none"], ((CategoricalColumnSpec)schema.Columns[1]).Categories.ToArray());
        Assert.False(schema.Columns[1].Nullable);
        AssertEncodesEveryRow(csv, schema, 4);
    }

    [Fact]
    public void CodesWithLeadingZerosAreCategoriesInNumericOrder()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "code\n0170\n1070\n0290\n0170\n9920\n");

        var schema = TestSchemas.Parse(SchemaInference.DraftYaml(csv));

        Assert.Equal(["0170", "0290", "1070", "9920"], ((CategoricalColumnSpec)schema.Columns[0]).Categories.ToArray());
        AssertEncodesEveryRow(csv, schema, 5);
    }

    [Fact]
    public void NumericCategoriesSortAsNumbersNotAsText()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "c\n100\n2\nx\n10\n1\n-3\n2.5\n");

        var schema = TestSchemas.Parse(SchemaInference.DraftYaml(csv, missingTokens: []));

        Assert.Equal(["-3", "1", "2", "2.5", "10", "100", "x"], ((CategoricalColumnSpec)schema.Columns[0]).Categories.ToArray());
        Assert.Empty(schema.MissingTokens);
    }

    [Fact]
    public void AColumnWithTooManyValuesOrNoneStillEncodes()
    {
        using var dir = new TempDirectory();
        var rows = Enumerable.Range(0, SchemaInference.MaxCategories + 5).Select(i => $"id-{i},N");
        var csv = dir.WriteFile("t.csv", "id,empty\n" + string.Join("\n", rows) + "\n");

        var yaml = SchemaInference.DraftYaml(csv);
        var schema = TestSchemas.Parse(yaml);

        Assert.Contains("an identifier or free text?", yaml, StringComparison.Ordinal);
        Assert.Equal(OutOfDomainAction.Other, schema.Columns[0].OnOutOfDomain);
        Assert.Equal([ColumnDraft.Placeholder], ((CategoricalColumnSpec)schema.Columns[1]).Categories.ToArray());
        Assert.True(schema.Columns[1].Nullable);
        var result = CsvEncoder.EncodeFile(csv, schema);
        Assert.Equal((SchemaInference.MaxCategories + 5L, SchemaInference.MaxCategories + 5L), ((long)result.Table.RowCount, result.ValuesToOther));
    }

    [Fact]
    public void EmptyOrRepeatedHeaderNamesAreLeftOutWithAComment()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "a,,b,a, c \n1,2,3,4,5\n");

        var yaml = SchemaInference.DraftYaml(csv);
        var schema = TestSchemas.Parse(yaml);

        Assert.Equal(["b", "c"], schema.Columns.Select(c => c.Name));
        Assert.Contains("# Left out: columns whose header name is empty or repeated", yaml, StringComparison.Ordinal);
        Assert.True(schema.Csv.Trim);
        AssertEncodesEveryRow(csv, schema, 1);
    }

    [Fact]
    public void AHeaderWithNoUsableNameIsAnErrorWithoutAStackTrace()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "a,a\n1,2\n");

        var result = CliRunner.Run("schema", "infer", "--input", csv, "--out", dir.File("draft.yaml"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: no column can be drafted", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("draft.yaml")));
    }

    [RequiresSharedDataFact]
    public void TheDraftsOfTheRawAdultFilesPassSchemaCheck()
    {
        using var dir = new TempDirectory();
        var data = SharedData.Path("adult-raw", "adult.data");
        var train = SharedData.Path("adult-raw", "adult-train.csv");
        var rawYaml = dir.WriteFile("raw.yaml", SchemaInference.DraftYaml(data, header: false, delimiter: ", "));
        var trainYaml = dir.WriteFile("train.yaml", SchemaInference.DraftYaml(train));

        foreach (var (csv, yaml) in new[] { (data, rawYaml), (train, trainYaml) })
        {
            var schema = TableSchema.Load(yaml);
            Assert.Equal(["?"], schema.MissingTokens.ToArray());
            Assert.Equal(6, schema.Columns.Count(c => c.Kind == ColumnKind.Integer));
            Assert.Equal(3, schema.Columns.Count(c => c.Nullable));
            var check = CliRunner.Run("schema", "check", "--input", csv, "--schema", yaml);
            Assert.Equal(0, check.ExitCode);
            Assert.Contains("rows encoded:  32561", check.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The property the issue asks for: whatever messy columns a file has and however it writes missing values, the
    /// draft reads, encodes every row without a clamp, drop or skip, keeps numeric shapes numeric, and lists numeric
    /// categories in numeric order.
    /// </summary>
    [Property(MaxTest = 60)]
    public void TheDraftOfAnyMessyTableEncodesEveryRowOfIt(int seed, NonEmptyArray<byte> picks, byte tokenPick, bool giveTokens)
    {
        var shapes = picks.Get.Take(8).Select(p => (MessyTable.Shape)(p % Enum.GetValues<MessyTable.Shape>().Length)).ToArray();
        var token = MissingTokenDetection.CommonTokens[tokenPick % MissingTokenDetection.CommonTokens.Count];
        var rows = 40 + (seed & 127);
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("messy.csv", MessyTable.Mixed(seed, rows, shapes, token));

        var yaml = SchemaInference.DraftYaml(csv, missingTokens: giveTokens ? [token, "-"] : null);
        var schema = TestSchemas.Parse(yaml);

        AssertEncodesEveryRow(csv, schema, rows);
        for (var c = 0; c < shapes.Length; c++)
        {
            var column = schema.Columns[c + 1];
            if (shapes[c] is MessyTable.Shape.Floats or MessyTable.Shape.Integers or MessyTable.Shape.Codes
                or MessyTable.Shape.PaddedNumbers or MessyTable.Shape.DashMissing)
            {
                Assert.True(column is NumericColumnSpec, $"{shapes[c]} drafted as {column.Kind}");
            }

            if (column is CategoricalColumnSpec { IsBoolean: false } categorical)
            {
                var numbers = categorical.Categories.TakeWhile(IsNumber).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(numbers.Order(), numbers);
                Assert.DoesNotContain(categorical.Categories.Skip(numbers.Length), IsNumber);
            }
        }

        if (Array.IndexOf(shapes, MessyTable.Shape.AllMissing) is var empty and >= 0)
        {
            Assert.True(schema.Columns[empty + 1].Nullable);
        }
    }

    private static bool IsNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value);

    private static T Column<T>(TableSchema schema, string name)
        where T : ColumnSpec => (T)schema.Columns[schema.Domain.IndexOf(name)];

    private static void AssertEncodesEveryRow(string csv, TableSchema schema, long rows)
    {
        var result = CsvEncoder.EncodeFile(csv, schema);
        Assert.Equal((rows, rows, 0L, 0L, 0L), (result.RecordsRead, (long)result.Table.RowCount, result.RowsSkipped, result.RowsDropped, result.ValuesClamped));
    }
}
