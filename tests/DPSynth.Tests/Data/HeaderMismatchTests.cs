using System.Text;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Tests.Schema;

namespace DPSynth.Tests.Data;

/// <summary>
/// A header that lacks schema columns is refused with what it does hold (audit: "the header lacks schema column(s):
/// age, sex, ..." for a file whose header was only delimited by ';', or whose names differed in case or padding, gave
/// the operator nothing to go on). Header names are not row data, so they may be shown on the console.
/// </summary>
public sealed class HeaderMismatchTests
{
    private const string Schema = """
        columns:
          - { name: age, type: integer, min: 0, max: 9 }
          - { name: sex, type: categorical, categories: [F, M] }
          - { name: city, type: categorical, categories: [Oslo, Bergen] }
        """;

    private static string Refusal(string csv, string yaml = Schema)
    {
        var ex = Assert.Throws<InputException>(() => CsvEncoder.Encode(new StringReader(csv), "data.csv", TestSchemas.Parse(yaml)));
        Assert.Equal(new SourceLocation("data.csv", 1), ex.Location);
        return ex.Message;
    }

    [Fact]
    public void TheMessageListsTheHeaderAsRead()
    {
        var message = Refusal("age,sex,town\n1,F,Oslo\n");

        Assert.Contains("the header lacks schema column(s): city; the header reads 3 name(s): 'age', 'sex', 'town'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(";", ";")]
    [InlineData("\t", "\\t")]
    [InlineData("|", "|")]
    public void AHeaderThatAnotherDelimiterSplitsIntoTheSchemasNamesSuggestsIt(string delimiter, string shown)
    {
        var message = Refusal($"age{delimiter}sex{delimiter}city\n1{delimiter}F{delimiter}Oslo\n");

        Assert.Contains($"set csv: {{ delimiter: \"{shown}\" }} in the schema", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACommaHeaderReadWithASemicolonDelimiterSuggestsTheComma()
    {
        var message = Refusal("age,sex,city\n1,F,Oslo\n", "csv: { delimiter: \";\" }\n" + Schema);

        Assert.Contains("set csv: { delimiter: \",\" }", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesThatMatchButForSpacesOrCaseAreNamedAndTheSpacesShown()
    {
        var message = Refusal("Age, sex ,city\n1,F,Oslo\n");

        Assert.Contains("'Age', ' sex ', 'city'", message, StringComparison.Ordinal);
        Assert.Contains("with white space around them: ' sex ' for 'sex': set csv: { trim: true }", message, StringComparison.Ordinal);
        Assert.Contains("in other letter case: 'Age' for 'age': names are matched exactly", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondByteOrderMarkIsShownEscapedAndNamed()
    {
        using var dir = new Support.TempDirectory();
        var path = dir.File("bom.csv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetPreamble(), .. "age,sex,city\n1,F,Oslo\n"u8]);

        var ex = Assert.Throws<InputException>(() => CsvEncoder.EncodeFile(path, TestSchemas.Parse(Schema)));

        Assert.Contains("the header reads 3 name(s): '\\ufeffage', 'sex', 'city'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("after a byte-order mark (U+FEFF): '\\ufeffage' for 'age'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyNamesInOtherCaseMakeOneHintCutAfterFive()
    {
        var names = Enumerable.Range(1, 7).Select(i => $"c{i}").ToArray();
        var yaml = "columns:\n" + string.Concat(names.Select(n => $"  - {{ name: {n}, type: integer, min: 0, max: 9 }}\n"));

        var message = Refusal(string.Join(',', names).ToUpperInvariant() + "\n" + string.Join(',', names.Select(_ => "1")) + "\n", yaml);

        Assert.Contains("in other letter case: 'C1' for 'c1', 'C2' for 'c2', 'C3' for 'c3', 'C4' for 'c4', 'C5' for 'c5', ...: names", message, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "letter case"));
    }

    [Fact]
    public void AVeryWideHeaderIsCutAfterFiftyNames()
    {
        var header = string.Join(',', Enumerable.Range(1, 60).Select(i => $"c{i}"));

        var message = Refusal(header + "\n" + string.Join(',', Enumerable.Repeat("1", 60)) + "\n");

        Assert.Contains("the header reads 60 name(s): 'c1', ", message, StringComparison.Ordinal);
        Assert.Contains("'c50', ...", message, StringComparison.Ordinal);
        Assert.DoesNotContain("'c51'", message, StringComparison.Ordinal);
    }
}
