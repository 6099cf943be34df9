using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DPSynth.Tests.Data;

/// <summary>
/// The line an error names is the line its record starts on (audit: a quote left open on line 302 of a 302-line file
/// was reported on line 303, one more for each line break after it, since every break to the end was taken for the
/// record's own end).
/// </summary>
public sealed class CsvRecordReaderTests
{
    private const string Schema = """
        bad_rows: skip
        columns:
          - { name: age, type: integer, min: 0, max: 9 }
          - { name: city, type: categorical, categories: [Paris, Oslo] }
        """;

    [Theory]
    [InlineData("age,city\n1,Paris\n2,\"Oslo\n", 3, true)]
    [InlineData("age,city\n1,Paris\n2,\"Oslo\n\n\n", 3, true)]
    [InlineData("age,city\n1,Paris\n2,\"Oslo\n3,Paris\n4,Paris\n", 3, true)]
    [InlineData("age,city\r\n1,Paris\r\n2,\"Oslo\r\n3,Paris\r\n\r\n", 3, true)]
    [InlineData("age,city\n1,Paris\n2,\"Oslo\n3,Paris", 3, true)]
    [InlineData("age,city\n\"1\n\",\"Paris\n\"\n2,\"Os\"\"lo\n\n", 5, true)]
    [InlineData("age,city\n1,Par\"is\n", 2, false)]
    [InlineData("age,city\n1,\"Par\"is\n2,Oslo\n", 2, false)]
    public void AnUnclosedOrStrayQuoteIsReportedOnTheLineItsRecordStarts(string csv, int line, bool neverClosed)
    {
        // Bad quoting stops the run even under bad_rows: skip (which skips the earlier row of a multi-line integer).
        var ex = Assert.Throws<InputException>(() => CsvEncoder.Encode(new StringReader(csv), "data.csv", TestSchemas.Parse(Schema)));

        Assert.Contains("malformed quoting", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("data.csv", line), ex.Location);
        Assert.Equal(neverClosed, ex.Message.Contains("never closed, so it runs to the end of the file", StringComparison.Ordinal));
    }

    [Fact]
    public void SchemaInferenceReportsAnUnclosedQuoteWhereItStarts()
    {
        using var dir = new Support.TempDirectory();
        var path = dir.WriteFile("open.csv", "a,b\n1,2\n3,\"x\n5,6\n\n");

        var ex = Assert.Throws<InputException>(() => SchemaInference.DraftYaml(path));

        Assert.Equal(new SourceLocation(path, 3), ex.Location);
    }

    /// <summary>Text of CSV pieces chosen to make quoting hard: quotes, doubled quotes, delimiters, every line end.</summary>
    private static readonly string[] Pieces = ["a", ",", ";;", "\"", "\"\"", "\n", "\r\n", "\r"];

    public static Arbitrary<string> AwkwardText() =>
        Gen.ListOf(Gen.Elements(Pieces)).Select(pieces => string.Concat(pieces)).ToArbitrary();

    /// <summary>1 + the line breaks in <paramref name="text"/> before <paramref name="end"/> (CR, LF or CR LF each one).</summary>
    private static long LineAt(string text, long end)
    {
        var line = 1L;
        for (var i = 0; i < end; i++)
        {
            line += text[i] == '\r' || (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) ? 1 : 0;
        }

        return line;
    }

    [Property(MaxTest = 2000, Arbitrary = [typeof(CsvRecordReaderTests)])]
    public void EveryRecordStartsOnTheLineItsFirstCharacterIsOn(string text, bool wideDelimiter)
    {
        // Whatever the quoting (closed, doubled, stray or left open to the end), CsvHelper's own record boundaries
        // place each record; the reader's start line must be the line of its first character.
        var options = CsvOptions.Default with { Header = false, Delimiter = wideDelimiter ? ";;" : "," };
        var config = CsvEncoder.ParserConfiguration(options, _ => { });
        using var records = new CsvRecordReader(new StringReader(text), "data.csv", config, CsvLimits.Default);
        var start = 0L;
        while (records.Read())
        {
            Assert.Equal(LineAt(text, start), records.RecordStartLine());
            start = records.Parser.CharCount;
        }
    }
}
