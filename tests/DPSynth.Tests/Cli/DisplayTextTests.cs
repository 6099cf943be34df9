using System.Globalization;
using DPSynth.Diagnostics;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Cli;

/// <summary>
/// Values from the data or from a file reach the terminal escaped (issue 14: raw ESC, BEL and NUL bytes from cells were
/// echoed, so a cell could clear the screen or retitle the window).
/// </summary>
public sealed class DisplayTextTests
{
    private const string Hostile = "\u001b[2J\u0007\0evil";

    /// <summary>Fails unless <paramref name="text"/> has no control or invisible formatting character but line breaks.</summary>
    private static void AssertPrintable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var lineBreak = c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n');
            var category = char.GetUnicodeCategory(c);
            Assert.True(
                lineBreak || category is not (UnicodeCategory.Control or UnicodeCategory.Format),
                $"U+{(int)c:X4} at {i} in: {text}");
        }
    }

    [Fact]
    public void ControlAndFormattingCharactersAreEscapedAndTheRestKept()
    {
        Assert.Equal("\\x1b[2J\\x07\\x00evil", DisplayText.Of(Hostile));
        Assert.Equal("tab\\tcr\\rlf\\n del\\x7f csi\\x9b rlo\\u202e é 😀", DisplayText.Of("tab\tcr\rlf\n del\u007f csi\u009b rlo\u202e é 😀"));
        Assert.Equal("broken \\ud83d pair", DisplayText.Of("broken \ud83d pair"));
        Assert.Equal(string.Empty, DisplayText.Of(null));
    }

    [Fact]
    public void SpacesThatAreNotAPlainSpaceAreEscaped()
    {
        // Audit: 'Oslo\u00a0' printed as 'Oslo ', so a value outside the domain looked like one inside it, padded.
        Assert.Equal("Oslo\\u00a0", DisplayText.Of("Oslo\u00a0"));
        Assert.Equal("a b\\u2007c\\u202fd\\u3000e", DisplayText.Of("a b\u2007c\u202fd\u3000e"));
        Assert.Equal("line one\nline\\u00a0two", DisplayText.Lines("line one\nline\u00a0two"));
    }

    [Fact]
    public void ANoBreakSpaceInACellIsShownEscapedInTheError()
    {
        var result = Check("red\u00a0,1\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("value 'red\\u00a0' is outside the declared domain of column 'color'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LongValuesAreCutWithoutSplittingACharacter()
    {
        Assert.Equal(new string('x', 40) + "...", DisplayText.Of(new string('x', 41)));
        Assert.Equal(new string('x', 40), DisplayText.Of(new string('x', 40)));
        Assert.Equal(new string('x', 39) + "...", DisplayText.Of(new string('x', 39) + "😀 and more"));
    }

    [Fact]
    public void AWholeMessageKeepsItsLineBreaks()
    {
        Assert.Equal("2 problems:\r\n  a\\x1b\n  b", DisplayText.Lines("2 problems:\r\n  a\u001b\n  b"));
    }

    /// <summary><c>schema check</c> of <paramref name="rows"/> under a schema of a categorical and an integer column.</summary>
    private static CliRunner.Result Check(string rows)
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("data.csv", "color,n\n" + rows);
        var schema = dir.WriteFile("schema.yaml", "columns:\n  - { name: color, type: categorical, categories: [red] }\n  - { name: n, type: integer, min: 0, max: 9 }\n");
        return CliRunner.Run("schema", "check", "--input", csv, "--schema", schema);
    }

    [Fact]
    public void AnErrorQuotingAHostileCellPrintsOnlyPrintableText()
    {
        var result = Check($"red,1\n\"{Hostile}\",2\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("value '\\x1b[2J\\x07\\x00evil' is outside the declared domain of column 'color'", result.Error, StringComparison.Ordinal);
        AssertPrintable(result.Error);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnparsableCellIsShownEscaped()
    {
        var result = Check("red,1\u001b]0;pwned\u0007\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("value '1\\x1b]0;pwned\\x07' is not an integer", result.Error, StringComparison.Ordinal);
        AssertPrintable(result.Error);
    }

    [Fact]
    public void CategoriesShownByInferAndEvaluateArePrintable()
    {
        using var dir = new TempDirectory();
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "x,1\n" : "\"y\u001b[31m\",2\n"));
        var csv = dir.WriteFile("data.csv", "color,n\n" + rows);
        var schema = dir.WriteFile("schema.yaml", "columns:\n  - { name: color, type: categorical, categories: [x, \"y\\e[31m\"] }\n  - { name: n, type: integer, min: 0, max: 9 }\n");

        var infer = CliRunner.Run("schema", "infer", "--input", csv, "--out", dir.File("draft.yaml"));
        var evaluate = CliRunner.Run("evaluate", "--real", csv, "--synthetic", csv, "--schema", schema, "--groups", "color");

        Assert.Equal(0, infer.ExitCode);
        AssertPrintable(infer.Output + infer.Error);
        AssertPrintable(File.ReadAllText(dir.File("draft.yaml")));
        Assert.Equal(0, evaluate.ExitCode);
        Assert.Contains("group color=y\\x1b[31m:", evaluate.Output, StringComparison.Ordinal);
        AssertPrintable(evaluate.Output + evaluate.Error);
    }

    [Fact]
    public void NamesFromASchemaFileAreShownEscapedInErrorsAndOutput()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("data.csv", "\"a\u001b[31m\",n\nx,1\n");
        var schema = dir.WriteFile("schema.yaml", "columns:\n  - { name: \"a\\e[31m\", type: categorical, categories: [x] }\n  - { name: n, type: integer, min: 0, max: 9 }\n");
        var badSchema = dir.WriteFile("bad.yaml", "\"colour\\e]0;pwned\\a\": 1\ncolumns: []\n");

        var check = CliRunner.Run("schema", "check", "--input", csv, "--schema", schema);
        var bad = CliRunner.Run("schema", "check", "--input", csv, "--schema", badSchema);

        Assert.Equal(0, check.ExitCode);
        Assert.Contains("a\\x1b[31m", check.Output, StringComparison.Ordinal);
        AssertPrintable(check.Output);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("unknown key 'colour\\x1b]0;pwned\\x07'", bad.Error, StringComparison.Ordinal);
        AssertPrintable(bad.Error);
    }
}
