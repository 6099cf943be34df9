using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Data;

/// <summary>
/// What the encoder says about a field that is not a value (<see cref="RowEncoder.Unparsable"/>), in every reader:
/// white space that <c>trim: true</c> would remove, a number a double cannot hold, or text of the wrong type.
/// </summary>
public sealed class RowEncoderTests
{
    private static string Yaml(bool trim) => $$"""
        csv: { trim: {{(trim ? "true" : "false")}} }
        columns:
          - { name: n, type: integer, min: 0, max: 9007199254740992, bins: 4, on_out_of_domain: clamp }
          - { name: x, type: continuous, min: 0, max: 1000, bins: 4 }
          - { name: d, type: date, min: 2024-01-01, max: 2024-12-31, granularity: month }
        """;

    private static CsvEncodeResult Encode(string rows, bool trim, string badRows = "fail") =>
        CsvEncoder.Encode(new StringReader("n,x,d\n" + rows), "data.csv", TestSchemas.Parse($"bad_rows: {badRows}\n" + Yaml(trim)));

    [Theory]
    [InlineData(" 7 ,1.5,2024-03-01", "' 7 '", "integer")]
    [InlineData("7, 123.5 ,2024-03-01", "' 123.5 '", "continuous")]
    [InlineData("7,\t123.5,2024-03-01", "'\\t123.5'", "continuous")]
    [InlineData("7,1.5,2024-03-01 ", "'2024-03-01 '", "date")]
    public void WhiteSpaceAroundANumberOrDateIsRefusedWithoutTrimAndTheMessageSaysTrimWouldAcceptIt(string row, string shown, string type)
    {
        var ex = Assert.Throws<InputException>(() => Encode(row + "\n", trim: false));

        Assert.Contains($"value {shown} has white space around it", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"part of the {type} value", ex.Message, StringComparison.Ordinal);
        Assert.Contains("csv: {trim: true} would accept it", ex.Message, StringComparison.Ordinal);

        // With trim the same row is a value, in the same cells as the unpadded row.
        var trimmed = Encode(row + "\n", trim: true).Table;
        var plain = Encode(string.Join(',', row.Split(',').Select(f => f.Trim())) + "\n", trim: false).Table;
        Assert.Equal(Enumerable.Range(0, 3).Select(c => plain[0, c]), Enumerable.Range(0, 3).Select(c => trimmed[0, c]));
    }

    [Theory]
    [InlineData(" abc ", "is not a finite number")]
    [InlineData(" 1e400 ", "is not a finite number")]
    public void WhiteSpaceAroundTextThatIsNoNumberAnywayGetsNoTrimHint(string field, string message)
    {
        var ex = Assert.Throws<InputException>(() => Encode($"7,{field},2024-03-01\n", trim: false));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("trim", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9007199254740993,1,2024-03-01", "value '9007199254740993' is an integer that is not exactly representable as a double")]
    [InlineData("7,1.5e-400,2024-03-01", "value '1.5e-400' is not zero but too small for a double")]
    public void ANumberADoubleCannotHoldIsABadRowThatSaysWhy(string row, string message)
    {
        var ex = Assert.Throws<InputException>(() => Encode(row + "\n", trim: true));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("data.csv", 2, row.StartsWith('9') ? 1 : 2, row.StartsWith('9') ? "n" : "x"), ex.Location);

        // Under bad_rows: skip it is skipped like any bad row, never counted as 9007199254740992 or 0.
        var skipped = Encode(row + "\n7,1,2024-03-01\n", trim: true, badRows: "skip");
        Assert.Equal((1, 1), (skipped.RowsSkipped, skipped.Table.RowCount));
    }

    [Fact]
    public void AParquetTextColumnGetsTheSameMessages()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.parquet");
        Marginals.MessyTable.WriteTextParquet(path, ["n", "x", "d"], [["7", " 123.5 ", "2024-03-01"]]);
        var ex = Assert.Throws<InputException>(() => ParquetEncoder.EncodeFile(path, TestSchemas.Parse(Yaml(trim: false))));
        Assert.Contains("csv: {trim: true} would accept it", ex.Message, StringComparison.Ordinal);

        Marginals.MessyTable.WriteTextParquet(path, ["n", "x", "d"], [["9007199254740993", "1", "2024-03-01"]]);
        ex = Assert.Throws<InputException>(() => ParquetEncoder.EncodeFile(path, TestSchemas.Parse(Yaml(trim: false))));
        Assert.Contains("not exactly representable as a double", ex.Message, StringComparison.Ordinal);
    }
}
