using System.Text;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Data;

/// <summary>
/// The bounds on one CSV field and one CSV record (issue 14: a field of about 1 G characters overflowed CsvHelper's
/// buffer, with a stack trace). The field bound is tested at the production constant (1 Mi characters); the record
/// bound, 16 Mi characters in production, through a smaller injected limit.
/// </summary>
public sealed class CsvLimitsTests
{
    private const string Schema = """
        bad_rows: skip
        columns:
          - { name: name, type: categorical, categories: [a, b] }
          - { name: n, type: integer, min: 0, max: 9 }
        """;

    private const int Max = CsvLimits.DefaultMaxFieldChars;

    private static CsvEncodeResult Encode(string csv, string yaml = Schema, CsvLimits? limits = null) =>
        CsvEncoder.Encode(new StringReader(csv), "data.csv", TestSchemas.Parse(yaml), limits ?? CsvLimits.Default);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFieldAtTheLimitIsReadAndOneCharacterMoreIsRefusedWithItsLine(bool quoted)
    {
        // The limit counts the field as written, its quotes included.
        string Field(int length) => quoted ? $"\"{new string('x', length - 2)}\"" : new string('x', length);

        // At the limit the field is read: it is only outside the domain, and bad_rows: skip skips its row.
        var atLimit = Encode($"name,n\na,1\n{Field(Max)},2\nb,3\n");
        Assert.Equal(3, atLimit.RecordsRead);
        Assert.Equal(1, atLimit.RowsSkipped);

        // A blank line before the record: the error names the line the record starts on.
        var ex = Assert.Throws<InputException>(() => Encode($"name,n\na,1\n\n{Field(Max + 1)},2\nb,3\n"));
        Assert.Equal(new SourceLocation("data.csv", 4), ex.Location);
        Assert.Contains("longer than 1,048,576 characters, the limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordPastTheLimitIsRefusedWithTheLineItStartsOn()
    {
        // 200,000 characters of two-character fields, after a quoted line break: every field is short, the record is not.
        // The bound of 1,000 is seen when the parser asks for more text (it reads 64 Ki characters at a time).
        var limits = new CsvLimits(100, 1_000);
        var csv = "name,n\na,1\n\"b\",\"2\n3\"," + string.Concat(Enumerable.Repeat("x,", 100_000)) + "\n";

        var ex = Assert.Throws<InputException>(() => Encode(csv, limits: limits));

        Assert.Equal(new SourceLocation("data.csv", 3), ex.Location);
        Assert.Contains("the record starting on this line is longer than 1,000 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AQuoteLeftOpenStopsAtTheRecordBoundWithoutReadingTheRest()
    {
        var limits = new CsvLimits(1 << 20, 1_000);
        var csv = new StringBuilder("name,n\n\"a,1\n");
        for (var i = 0; i < 50_000; i++)
        {
            csv.Append("b,2\n");
        }

        var ex = Assert.Throws<InputException>(() => Encode(csv.ToString(), limits: limits));

        Assert.Equal(new SourceLocation("data.csv", 2), ex.Location);
        Assert.Contains("is a quote left open", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsWithinTheBoundsAreReadAsBefore()
    {
        var limits = new CsvLimits(100, 1_000);
        var csv = new StringBuilder("name,n\n");
        for (var i = 0; i < 50_000; i++)
        {
            csv.Append(i % 2 == 0 ? "a," : "\"b\",").Append(i % 10).Append('\n');
        }

        var result = Encode(csv.ToString(), limits: limits);

        Assert.Equal(50_000, result.Table.RowCount);
    }

    [Fact]
    public void ALineToSkipPastTheRecordBoundIsRefused()
    {
        var yaml = Schema.Replace("columns:", "csv: { skip_lines: 2 }\ncolumns:", StringComparison.Ordinal);
        var limits = new CsvLimits(100, 1_000);

        var ex = Assert.Throws<InputException>(() => Encode("junk\n" + new string('#', 1_001) + "\nname,n\na,1\n", yaml, limits));

        Assert.Equal(new SourceLocation("data.csv", 2), ex.Location);
        Assert.Equal(1, Encode("junk\r" + new string('#', 1_000) + "\r\nname,n\na,1\n", yaml, limits).Table.RowCount);
    }

    [Theory]
    [InlineData("schema", "check")]
    [InlineData("schema", "infer")]
    [InlineData("synth")]
    [InlineData("evaluate")]
    public void TheCommandLineNamesTheLineAndTheLimitWithoutAStackTrace(params string[] verb)
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("data.csv", $"name,n\na,1\nb,{new string('9', Max + 1)}\n");
        var schema = dir.WriteFile("schema.yaml", Schema);
        var ledger = dir.File("ledger.jsonl");
        string[] rest = verb[0] switch
        {
            "schema" when verb[1] == "check" => ["--input", csv, "--schema", schema],
            "schema" => ["--input", csv, "--out", dir.File("draft.yaml")],
            "synth" => ["--input", csv, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--out", dir.File("out.csv")],
            _ => ["--real", csv, "--synthetic", csv, "--schema", schema],
        };

        var result = CliRunner.Run([.. verb, .. rest]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {csv}:3: a field of the record starting on this line is longer than 1,048,576 characters",
            result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.csv")) || File.Exists(dir.File("draft.yaml")), "an output was written");
    }
}
