using System.Text;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Tests.Schema;

namespace DPSynth.Tests.Data;

public sealed class CsvEncoderTests
{
    private const string People = """
        missing: ["", "?"]
        columns:
          - { name: age, type: integer, min: 0, max: 9 }
          - { name: city, type: categorical, categories: [Paris, "New York, NY", "Say \"hi\"", "two\nlines"], nullable: true }
        """;

    private static CsvEncodeResult Encode(string csv, string yaml = People) =>
        CsvEncoder.Encode(new StringReader(csv), "data.csv", TestSchemas.Parse(yaml));

    private static InputException Fails(string csv, string yaml = People) =>
        Assert.Throws<InputException>(() => Encode(csv, yaml));

    private static int[] Column(CsvEncodeResult result, int column) =>
        [.. Enumerable.Range(0, result.Table.RowCount).Select(r => result.Table[r, column])];

    [Fact]
    public void QuotedFieldsMayHoldDelimitersQuotesAndLineBreaks()
    {
        var result = Encode("age,city\r\n1,\"New York, NY\"\r\n2,\"Say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,Paris\r\n");

        Assert.Equal([1, 2, 3, 4], Column(result, 0));
        Assert.Equal([1, 2, 3, 0], Column(result, 1));
    }

    [Fact]
    public void HeaderColumnsAreMatchedByNameAndExtraColumnsIgnored()
    {
        var result = Encode("note,city,age\nx,Paris,7\ny,?,8\n");

        Assert.Equal([7, 8], Column(result, 0));
        Assert.Equal([0, 4], Column(result, 1));
    }

    [Fact]
    public void AHeaderWithoutASchemaColumnNamesTheMissingOnes()
    {
        var ex = Fails("age,town\n1,Paris\n");

        Assert.Contains("city", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("data.csv", 1), ex.Location);
    }

    [Fact]
    public void HeaderlessFilesTakeTheSchemaOrderAndSkipJunkLinesAndTrim()
    {
        var yaml = People.Replace("columns:", "csv: { header: false, trim: true, skip_lines: 3 }\ncolumns:", StringComparison.Ordinal);
        var result = Encode("|junk \"line\n\nnot,data,either\n 5, Paris\n6 ,  ?\n", yaml);

        Assert.Equal([5, 6], Column(result, 0));
        Assert.Equal([0, 4], Column(result, 1));
    }

    [Fact]
    public void AByteOrderMarkIsNotPartOfTheFirstColumnName()
    {
        using var dir = new Support.TempDirectory();
        var path = dir.File("bom.csv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. "age,city\n3,Paris\n"u8]);

        var result = CsvEncoder.EncodeFile(path, TestSchemas.Parse(People));

        Assert.Equal(3, result.Table[0, 0]);
    }

    [Fact]
    public void OutOfDomainValuesAreClampedSentToOtherOrDroppedAndCounted()
    {
        const string yaml = """
            on_out_of_domain: other
            columns:
              - { name: n, type: integer, min: 0, max: 9 }
              - { name: c, type: categorical, categories: [a, b] }
              - { name: d, type: categorical, categories: [a, b], on_out_of_domain: drop }
            """;
        var result = Encode("n,c,d\n-5,a,a\n42,zzz,b\n3,b,zzz\n", yaml);

        Assert.Equal(3, result.RecordsRead);
        Assert.Equal(2, result.Table.RowCount);
        Assert.Equal([0, 9], Column(result, 0));
        Assert.Equal([0, 2], Column(result, 1));
        Assert.Equal((2L, 1L, 1L, 0L), (result.ValuesClamped, result.ValuesToOther, result.RowsDropped, result.RowsSkipped));
    }

    [Fact]
    public void AMissingTokenInAColumnThatIsNotNullableIsOutsideTheDomain()
    {
        var ex = Fails("age,city\n?,Paris\n");

        Assert.Contains("outside the declared domain", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("data.csv", 2, 1, "age"), ex.Location);
    }

    [Fact]
    public void BadRowsAreSkippedAndCountedUnderSkip()
    {
        var yaml = "bad_rows: skip\n" + People;
        var result = Encode("age,city\n1,Paris\n2\nx,Paris\n3,Berlin\n4,Paris\n", yaml);

        Assert.Equal(5, result.RecordsRead);
        Assert.Equal(3, result.RowsSkipped);
        Assert.Equal([1, 4], Column(result, 0));
    }

    [Theory]
    [InlineData("age,city\n1,Paris\n2\n", 3, 0, "the row has 1 fields; expected 2")]
    [InlineData("age,city\n1,Paris\nx1,Paris\n", 3, 1, "value 'x1' is not an integer")]
    [InlineData("age,city\n1,Paris\n2,Berlin\n", 3, 2, "value 'Berlin' is outside the declared domain of column 'city'")]
    [InlineData("age,city\n1,Paris\n12,Paris\n", 3, 1, "value '12' is outside the declared domain of column 'age'")]
    [InlineData("age,city\n1,\"Paris\n2,Paris", 2, 0, "malformed quoting")]
    [InlineData("age,city\n1,Par\"is\n", 2, 0, "malformed quoting")]
    [InlineData("", 1, 0, "the file has no records")]
    [InlineData("age,city\n", 1, 0, "a header but no data rows")]
    public void MalformedInputFailsWithFileLineAndColumn(string csv, int line, int column, string message)
    {
        var ex = Fails(csv);

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal("data.csv", ex.Location?.File);
        Assert.Equal(line, ex.Location?.Line);
        Assert.Equal(column, ex.Location?.Column);
        Assert.StartsWith($"data.csv:{line}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$100", "value '$100' is not a number: it has a currency sign (write numbers plainly, like -1234.5)")]
    [InlineData("100 €", "value '100 €' is not a number: it has a currency sign")]
    [InlineData("12,345.00", "value '12,345.00' is not a number: it has a thousands separator")]
    [InlineData("12_345", "value '12_345' is not a number: it has a thousands separator")]
    [InlineData("12,5", "value '12,5' is not a number: it has a decimal comma (write the decimal point as '.')")]
    [InlineData("(5)", "value '(5)' is not a number: it has parentheses (write a negative number with '-')")]
    [InlineData("($1,234)", "it has a currency sign and a thousands separator and parentheses")]
    [InlineData("5%", "value '5%' is not a number: it has a percent sign")]
    [InlineData("abc", "value 'abc' is not a finite number")]
    public void ANumberWrittenForPeopleIsNamedForWhatIsInTheWay(string value, string message)
    {
        const string yaml = "columns:\n  - { name: x, type: continuous, min: 0, max: 10, bins: 2 }\n";

        var ex = Fails($"x\n1\n\"{value}\"\n", yaml);

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("data.csv", 3, 1, "x"), ex.Location);
    }

    [Fact]
    public void AnIntegerWithAThousandsSeparatorIsNamedAsSuch()
    {
        var ex = Fails("age,city\n\"1,000\",Paris\n");

        Assert.Contains("value '1,000' is not an integer: it has a thousands separator (write numbers plainly, like -1234)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADateErrorNamesTheExpectedFormat()
    {
        const string yaml = "columns:\n  - { name: d, type: date, min: 2024-01-01, max: 2024-12-31, format: dd.MM.yyyy }\n";

        var ex = Fails("d\n01.02.2024\n2024-03-01\n", yaml);

        Assert.Contains("value '2024-03-01' is not a date in the column's format, dd.MM.yyyy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATrailingDelimiterIsNamedWhenItMakesOneFieldTooMany()
    {
        var ex = Fails("age,city\n1,Paris,\n");

        Assert.Contains("the row has 3 fields; expected 2 (the line ends with the delimiter", ex.Message, StringComparison.Ordinal);

        // A header that ends with the delimiter too matches such rows: its empty last name is an extra column.
        Assert.Equal([1], Column(Encode("age,city,\n1,Paris,\n"), 0));
    }

    [Fact]
    public void InvalidUtf8IsAnErrorNotAReplacementCharacter()
    {
        using var dir = new Support.TempDirectory();
        var path = dir.File("latin1.csv");
        File.WriteAllBytes(path, [.. "age,city\n1,Paris\n"u8, .. Enumerable.Repeat((byte)'x', 200_000), .. "\n2,Par"u8, 0xE9, .. "\n"u8]);
        var schema = TestSchemas.Parse("bad_rows: skip\n" + People);

        var ex = Assert.Throws<InputException>(() => CsvEncoder.EncodeFile(path, schema));

        // The bad byte is far past the parser's position when the reader's look-ahead meets it; the location is exact.
        Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(path, 4, 6), ex.Location);
    }

    [Fact]
    public void InvalidUtf8InASkippedLineIsStillAnInputError()
    {
        using var dir = new Support.TempDirectory();
        var path = dir.File("junk.csv");
        File.WriteAllBytes(path, [0xC3, 0x28, .. "\nage,city\n1,Paris\n"u8]);
        var schema = TestSchemas.Parse(People.Replace("columns:", "csv: { skip_lines: 1 }\ncolumns:", StringComparison.Ordinal));

        var ex = Assert.Throws<InputException>(() => CsvEncoder.EncodeFile(path, schema));

        Assert.Equal(new SourceLocation(path, 1, 1), ex.Location);
    }

    [Fact]
    public void CodesAreStoredInBytesOrUShortsByCellCount()
    {
        const string yaml = "columns:\n  - { name: a, type: integer, min: 0, max: 255 }\n  - { name: b, type: integer, min: 0, max: 256 }\n";
        var result = Encode("a,b\n255,256\n0,0\n", yaml);

        Assert.True(result.Table.Columns[0].IsByte);
        Assert.False(result.Table.Columns[1].IsByte);
        Assert.Equal([255, 0], Column(result, 0));
        Assert.Equal([256, 0], Column(result, 1));
        Assert.Equal(2 + 4, result.Table.ByteCount);
    }

    [Fact]
    public void ManyRowsGrowTheColumnsPastTheirFirstCapacity()
    {
        var csv = new StringBuilder("age,city\n");
        for (var i = 0; i < 10_000; i++)
        {
            csv.Append(i % 10).Append(",Paris\n");
        }

        var result = Encode(csv.ToString());

        Assert.Equal(10_000, result.Table.RowCount);
        Assert.Equal(9, result.Table[9_999, 0]);
    }

    [Fact]
    public void DatesAndBooleansEncodeByUnitAndSpelling()
    {
        const string yaml = """
            columns:
              - { name: d, type: date, min: 2020-01-15, max: 2020-03-31, granularity: month }
              - { name: b, type: boolean }
            """;
        var result = Encode("d,b\n2020-01-15,true\n2020-02-29,No\n2020-03-31,1\n", yaml);

        Assert.Equal([0, 1, 2], Column(result, 0));
        Assert.Equal([1, 0, 1], Column(result, 1));
    }
}
