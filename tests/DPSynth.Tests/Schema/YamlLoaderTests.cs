using System.Text;
using DPSynth.Diagnostics;
using DPSynth.Policies;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Schema;

/// <summary>
/// The bounds on YAML nesting and alias expansion, checked on the parser's events before YamlDotNet's recursive model
/// sees them (issue 14: a document nested 50,000 deep overflowed the stack and killed the process). These tests run in
/// process: a regression would take the test host down with it, which no test could catch.
/// </summary>
public sealed class YamlLoaderTests
{
    private const int Deep = 50_000;

    private static readonly string DeepFlow = "columns: " + new string('[', Deep) + new string(']', Deep) + "\n";

    private static readonly string DeepBlock = "columns:\n  " + new StringBuilder().Insert(0, "- ", Deep) + "x\n";

    // Nine levels of nine aliases each: 9^9 (387 million) values once expanded, in ten short lines.
    private static readonly string BillionLaughs = string.Concat(
        ["a: &a [l, l, l, l, l, l, l, l, l]\n",
         .. "bcdefghi".Select((name, i) => $"{name}: &{name} [{string.Join(", ", Enumerable.Repeat($"*{"abcdefghi"[i]}", 9))}]\n"),
         "columns: *i\n"]);

    private static string Nested(int depth) => "columns: " + new string('[', depth - 1) + new string(']', depth - 1) + "\n";

    [Theory]
    [InlineData("flow")]
    [InlineData("block")]
    public void A50000DeepSchemaIsAnErrorAtItsLine(string style)
    {
        var result = TestSchemas.Read(style == "flow" ? DeepFlow : DeepBlock);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(style == "flow" ? 1 : 2, diagnostic.Location.Line);
        Assert.Equal(Messages.YamlTooDeep(YamlLoader.MaxDepth), diagnostic.Message);
    }

    [Fact]
    public void SixtyFourLevelsAreReadAndSixtyFiveAreNot()
    {
        // The top mapping is the first level; the rest are lists (not a valid schema, but no nesting error).
        Assert.DoesNotContain(TestSchemas.Read(Nested(YamlLoader.MaxDepth)).Diagnostics, d => d.Message.Contains("levels deep", StringComparison.Ordinal));
        Assert.Contains(TestSchemas.Read(Nested(YamlLoader.MaxDepth + 1)).Diagnostics, d => d.Message == Messages.YamlTooDeep(YamlLoader.MaxDepth));
    }

    [Theory]
    [InlineData("flow")]
    [InlineData("block")]
    public void A50000DeepPolicyIsAnErrorAtItsLine(string style)
    {
        var text = "version: 1\n" + (style == "flow" ? DeepFlow : DeepBlock).Replace("columns:", "dataset:", StringComparison.Ordinal);

        var result = PolicyReader.Read(text, Path.Combine(Path.GetTempPath(), "deep.yaml"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(style == "flow" ? 2 : 3, diagnostic.Location.Line);
        Assert.Equal(Messages.YamlTooDeep(YamlLoader.MaxDepth), diagnostic.Message);
    }

    [Fact]
    public void NestedAliasesAreCountedAsTheValuesTheyStandFor()
    {
        var result = TestSchemas.Read(BillionLaughs);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(Messages.YamlTooManyNodes(YamlLoader.MaxNodes), diagnostic.Message);
    }

    [Fact]
    public void AnAliasToASmallNodeIsStillRead()
    {
        var schema = TestSchemas.Parse("""
            columns:
              - { name: a, type: categorical, categories: &colors [red, green] }
              - { name: b, type: categorical, categories: *colors }
            """);

        Assert.Equal(2, schema.Columns[1].CellCount);
    }

    [Theory]
    [InlineData("  epsilon: 1\n  delta: 1e-9\n  !!str epsilon: 4\n", 8, "!!str")] // a second epsilon, once silently ignored
    [InlineData("  epsilon: 4\n  delta: 1e-9\n  !cap epsilon: 1\n", 8, "!cap")]
    [InlineData("  epsilon: !!str 1\n  delta: 1e-9\n", 6, "!!str")] // a string, once read as a number
    [InlineData("  epsilon: 1\n  delta: !!float 1e-9\n", 7, "!!float")]
    public void ATaggedKeyOrValueInAPolicyIsAnErrorAtItsLine(string privacy, int line, string tag)
    {
        using var dir = new TempDirectory();
        dir.WriteFile("data.csv", "a\nx\n");
        dir.WriteFile("s.yaml", "columns:\n  - {name: a, type: categorical, categories: [x, y]}\n");
        var text = "version: 1\ndataset:\n  input: data.csv\n  schema: s.yaml\nprivacy:\n" + privacy
            + "  cap: {epsilon: 8, delta: 1e-9}\n  ledger: l.jsonl\nrelease:\n  output: out\n";
        // Without the tag (and the tagged second key), the policy is valid: the tag is its one problem.
        var untagged = string.Join('\n', text.Split('\n').Where(l => !l.Contains(tag + " epsilon", StringComparison.Ordinal)))
            .Replace(tag + " ", string.Empty, StringComparison.Ordinal);
        Assert.True(PolicyReader.Read(untagged, dir.File("p.yaml")).Succeeded);

        var result = PolicyReader.Read(text, dir.File("p.yaml"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(line, diagnostic.Location.Line);
        Assert.StartsWith($"the YAML tag '{tag}' is not allowed", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATaggedValueInASchemaIsAnError()
    {
        var result = TestSchemas.Read("columns:\n  - {name: a, type: categorical, categories: [x, !!str y]}\n");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(2, diagnostic.Location.Line);
        Assert.StartsWith("the YAML tag '!!str' is not allowed", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("schema", "flow")]
    [InlineData("schema", "block")]
    [InlineData("policy", "flow")]
    [InlineData("policy", "block")]
    public void TheCommandLinePrintsOneErrorLine(string file, string style)
    {
        using var dir = new TempDirectory();
        var deep = style == "flow" ? DeepFlow : DeepBlock;
        var csv = dir.WriteFile("data.csv", "a\nx\n");
        var result = file == "schema"
            ? CliRunner.Run("schema", "check", "--input", csv, "--schema", dir.WriteFile("deep.yaml", deep))
            : CliRunner.Run("run", dir.WriteFile("deep.yaml", "version: 1\n" + deep.Replace("columns:", "dataset:", StringComparison.Ordinal)));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("mappings and lists nest more than 64 levels deep here", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
