using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Data;

/// <summary>
/// Blank lines are never dropped unseen (audit: in a one-column file every missing value, a blank line, vanished, and
/// 110 of 300 rows with it). RFC 4180 makes a blank line a record of one empty field: a missing value in a one-column
/// file; in a wider file a bad row when it lies among the rows, and ignored but counted before the header or at the end.
/// </summary>
public sealed class CsvBlankLineTests
{
    private const string OneColumn = "columns:\n  - { name: color, type: categorical, categories: [red, blue], nullable: true }\n";

    private const string TwoColumns = """
        columns:
          - { name: age, type: integer, min: 0, max: 9 }
          - { name: city, type: categorical, categories: [Paris, Oslo] }
        """;

    private static CsvEncodeResult Encode(string csv, string yaml) =>
        CsvEncoder.Encode(new StringReader(csv), "data.csv", TestSchemas.Parse(yaml));

    private static int[] Column(CsvEncodeResult result, int column) =>
        [.. Enumerable.Range(0, result.Table.RowCount).Select(r => result.Table[r, column])];

    [Theory]
    [InlineData("color\nred\n\nblue\n\n\nred\n")]
    [InlineData("color\r\nred\r\n\r\nblue\r\n\r\n\r\nred\r\n")]
    public void InAOneColumnFileABlankLineIsAMissingValue(string csv)
    {
        var result = Encode(csv, OneColumn);

        // Codes: red 0, blue 1, missing 2.
        Assert.Equal([0, 2, 1, 2, 2, 0], Column(result, 0));
        Assert.Equal(6, result.RecordsRead);
        Assert.Equal(0, result.BlankLinesIgnored);
    }

    [Fact]
    public void InAOneColumnFileBlankLinesAtTheEndAreMissingValuesToo()
    {
        var result = Encode("color\nred\n\n\n", OneColumn);

        Assert.Equal([0, 2, 2], Column(result, 0));
    }

    [Fact]
    public void AHeaderlessOneColumnFileReadsItsBlankLinesAsMissingValuesFromTheFirstLine()
    {
        var result = Encode("\nred\n\nblue\n", "csv: { header: false }\n" + OneColumn);

        Assert.Equal([2, 0, 2, 1], Column(result, 0));
    }

    [Fact]
    public void TheAuditedOneColumnFileKeepsEveryRowAndItsMissingShare()
    {
        // The audit's case (/tmp/audit2/cases/onecol.csv) rebuilt: 300 rows of red, blue or nothing, 110 of them empty.
        var values = Enumerable.Range(0, 300).Select(i => i % 30 < 11 ? string.Empty : i % 2 == 0 ? "red" : "blue").ToArray();
        var result = Encode("color\n" + string.Join('\n', values) + "\n", OneColumn);

        Assert.Equal(300, result.Table.RowCount);
        Assert.Equal(110, Column(result, 0).Count(code => code == 2));
    }

    [Fact]
    public void ABlankLineAmongTheRowsOfAWiderFileIsABadRowNamedByItsLine()
    {
        var ex = Assert.Throws<InputException>(() => Encode("age,city\n1,Paris\n\n2,Oslo\n", TwoColumns));

        Assert.Equal(new SourceLocation("data.csv", 3), ex.Location);
        Assert.Contains("the line is blank, but a row of this file has 2 fields", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnderSkipBlankLinesAmongTheRowsAreSkippedAndCountedAndTrailingOnesIgnoredAndCounted()
    {
        var result = Encode("\n\nage,city\n1,Paris\n\n\r\n2,Oslo\n\n3,Paris\n\n\n\n", "bad_rows: skip\n" + TwoColumns);

        Assert.Equal([1, 2, 3], Column(result, 0));
        Assert.Equal(6, result.RecordsRead);
        Assert.Equal(3, result.RowsSkipped);

        // Two before the header, three at the end.
        Assert.Equal(5, result.BlankLinesIgnored);
    }

    [Fact]
    public void AHeaderlessWiderFileTakesALeadingBlankLineForABadRow()
    {
        var ex = Assert.Throws<InputException>(() => Encode("\n1,Paris\n", "csv: { header: false }\n" + TwoColumns));

        Assert.Equal(new SourceLocation("data.csv", 1), ex.Location);
        Assert.Contains("the line is blank", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlankLinesAfterSkippedLinesAreNumberedFromTheFileStart()
    {
        var yaml = "csv: { skip_lines: 2 }\n" + TwoColumns;

        var ex = Assert.Throws<InputException>(() => Encode("junk\nmore junk\nage,city\n1,Paris\n\n2,Oslo\n", yaml));

        Assert.Equal(new SourceLocation("data.csv", 5), ex.Location);
    }

    [Theory]
    [InlineData("age,city\n\n\n")]
    [InlineData("\n\n")]
    public void AFileOfOnlyAHeaderAndBlankLinesHasNoRows(string csv)
    {
        var ex = Assert.Throws<InputException>(() => Encode(csv, TwoColumns));

        Assert.Matches("no data rows|no records", ex.Message);
    }

    [Fact]
    public void SchemaInferenceReadsBlankLinesAsTheEncoderDoes()
    {
        using var dir = new TempDirectory();

        // One column: the blank lines are its missing values, found as the empty token.
        var one = SchemaInference.DraftYaml(dir.WriteFile("one.csv", "color\nred\n\nblue\n\n"));
        Assert.Contains("nullable: true", one, StringComparison.Ordinal);

        // Several columns: trailing blank lines are ignored, one among the rows is named as blank.
        _ = SchemaInference.DraftYaml(dir.WriteFile("tail.csv", "a,b\n1,2\n\n\n"));
        var ex = Assert.Throws<InputException>(() => SchemaInference.DraftYaml(dir.WriteFile("mid.csv", "a,b\n1,2\n\n3,4\n")));
        Assert.Equal(3, ex.Location?.Line);
        Assert.Contains("the line is blank", ex.Message, StringComparison.Ordinal);
    }
}
