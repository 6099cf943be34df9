using System.Text.Json;
using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Evaluation;

/// <summary>`dpsynth evaluate` with a target and groups: JSON keys, clear errors, and the HTML report in a real browser.</summary>
public sealed class EvaluationReportTests
{
    private static readonly string DemoFolder = Path.Combine(SharedData.RepositoryRoot, "policies", "demo");
    private static readonly string Schema = Path.Combine(DemoFolder, "visits.schema.yaml");
    private static readonly string Real = Path.Combine(DemoFolder, "visits.csv");

    // A "synthetic" file: the demo rows decoded again (a copy), written once per test class run.
    private static readonly Lazy<string> Synthetic = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"dpsynth-eval-{Guid.NewGuid():N}.csv");
        var schema = TableSchema.Load(Schema);
        CsvDecoder.WriteFile(path, schema, CsvEncoder.EncodeFile(Real, schema).Table, new Random(1));
        return path;
    });

    [Fact]
    public void JsonKeepsTheMarginalKeysAndAddsAssociationUtilityAndGroups()
    {
        var result = CliRunner.Run(
            "evaluate", "--real", Real, "--synthetic", Synthetic.Value, "--schema", Schema, "--target", "readmitted", "--groups", "sex",
            "--json");
        Assert.Equal(0, result.ExitCode);
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(20_000, root.GetProperty("rows").GetInt32());
        Assert.Equal(0.0, root.GetProperty("twoWay").GetDouble(), 12);
        Assert.Equal(0.0, root.GetProperty("association").GetProperty("cramersV").GetProperty("meanDifference").GetDouble(), 12);
        var utility = root.GetProperty("utility");
        Assert.Equal("readmitted", utility.GetProperty("target").GetString());
        Assert.True(utility.GetProperty("tstr").GetProperty("auc").GetDouble() > 0.55);
        Assert.True(utility.GetProperty("trtr").TryGetProperty("accuracy", out _));
        Assert.True(utility.TryGetProperty("ratio", out _));
        Assert.Equal(2, root.GetProperty("groups").GetProperty("sex").GetArrayLength());
        foreach (var g in root.GetProperty("groups").GetProperty("sex").EnumerateArray())
        {
            // A copy: every other column (the schema's 11 less the group column) is matched exactly within the group.
            var byColumn = g.GetProperty("tvdByColumn").EnumerateObject().ToArray();
            Assert.Equal(10, byColumn.Length);
            Assert.DoesNotContain(byColumn, p => p.Name == "sex");
            Assert.All(byColumn, p => Assert.Equal(0.0, p.Value.GetDouble(), 12));
        }
    }

    [Fact]
    public void EachGroupShowsItsTvdToEveryOtherColumnInJsonHtmlAndText()
    {
        // Hand-computed, TVD = 0.5 * sum |p_real - p_synth| within the group:
        // g=a: real x (p .5, q .5) vs synthetic (p .75, q .25) -> 0.25; real y (u .5, v .25, w .25) vs (v .75, w .25) -> 0.5.
        // g=b: real x (p .25, q .75) vs synthetic (p 1) -> 0.75; real y (u .25, v .75) vs (w 1) -> 1.0.
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("s.yaml"), """
            columns:
              - { name: g, type: categorical, categories: [a, b] }
              - { name: x, type: categorical, categories: [p, q] }
              - { name: y, type: categorical, categories: [u, v, w] }
            csv: { header: true, delimiter: "," }
            """);
        File.WriteAllText(dir.File("real.csv"), "g,x,y\na,p,u\na,p,u\na,q,v\na,q,w\nb,p,u\nb,q,v\nb,q,v\nb,q,v\n");
        File.WriteAllText(dir.File("synth.csv"), "g,x,y\na,p,v\na,p,v\na,p,v\na,q,w\nb,p,w\nb,p,w\n");
        string[] args = ["evaluate", "--real", dir.File("real.csv"), "--synthetic", dir.File("synth.csv"), "--schema", dir.File("s.yaml"),
            "--groups", "g", "--html", dir.File("report.html")];
        var json = CliRunner.Run([.. args, "--json"]);
        Assert.Equal(0, json.ExitCode);
        var groups = JsonDocument.Parse(json.Output).RootElement.GetProperty("groups").GetProperty("g");
        var expected = new[] { ("a", 0.25, 0.5, 4 / 6.0), ("b", 0.75, 1.0, 2 / 6.0) };
        for (var i = 0; i < expected.Length; i++)
        {
            var (group, x, y, share) = expected[i];
            var g = groups[i];
            Assert.Equal(group, g.GetProperty("group").GetString());
            var byColumn = g.GetProperty("tvdByColumn");
            Assert.Equal(["x", "y"], byColumn.EnumerateObject().Select(p => p.Name));
            Assert.Equal(x, byColumn.GetProperty("x").GetDouble(), 12);
            Assert.Equal(y, byColumn.GetProperty("y").GetDouble(), 12);
            Assert.Equal((x + y) / 2, g.GetProperty("meanConditionalTvd").GetDouble(), 12);
            Assert.Equal(0.5, g.GetProperty("realShare").GetDouble(), 12);
            Assert.Equal(share, g.GetProperty("syntheticShare").GetDouble(), 12);
        }

        var html = File.ReadAllText(dir.File("report.html"));
        Assert.Contains("<td class=\"tvd\">x 0.2500, y 0.5000</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"tvd\">x 0.7500, y 1.0000</td>", html, StringComparison.Ordinal);
        var text = CliRunner.Run(args);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("group g=a: mean TVD within group 0.3750 (x 0.2500, y 0.5000)", text.Output, StringComparison.Ordinal);
        Assert.Contains("group g=b: mean TVD within group 0.8750 (x 0.7500, y 1.0000)", text.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--target", "nosuch", "unknown column 'nosuch'")]
    [InlineData("--groups", "sex,nosuch", "unknown column 'nosuch'")]
    public void UnknownColumnsAreInputErrors(string option, string value, string expected)
    {
        var result = CliRunner.Run("evaluate", "--real", Real, "--synthetic", Synthetic.Value, "--schema", Schema, option, value);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ANumericTargetWithAClassificationMetricIsAnInputError()
    {
        var result = CliRunner.Run(
            "evaluate", "--real", Real, "--synthetic", Synthetic.Value, "--schema", Schema, "--target", "cost", "--metric", "auc");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("classification metric", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ASyntheticTargetWithOneClassExitsOneWithAClearMessage()
    {
        using var dir = new TempDirectory();
        // The demo rows with every readmitted value (the last field) set to "no": one class only.
        var lines = File.ReadLines(Real).Take(2001).ToList();
        var oneClass = lines.Skip(1).Select(l => l[..(l.LastIndexOf(',') + 1)] + "no");
        File.WriteAllLines(dir.File("one-class.csv"), [lines[0], .. oneClass]);
        var result = CliRunner.Run(
            "evaluate", "--real", Real, "--synthetic", dir.File("one-class.csv"), "--schema", Schema, "--target", "readmitted",
            "--html", dir.File("report.html"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "the target column 'readmitted' has a single class in the synthetic data; a classifier cannot be trained on it",
            result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
        Assert.False(File.Exists(dir.File("report.html")));
    }

    [RequiresChromiumFact]
    public void TheHtmlReportOpensInChromiumWithEverySectionAndNoConsoleMessages()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(
            "evaluate", "--real", Real, "--synthetic", Synthetic.Value, "--schema", Schema, "--target", "readmitted", "--groups", "sex",
            "--html", dir.File("report.html"));
        Assert.Equal(0, result.ExitCode);
        var render = HeadlessChromium.Open(dir.File("report.html"));
        foreach (var section in new[] { "marginals", "association", "utility", "groups" })
        {
            Assert.Contains($"<section id=\"{section}\">", render.Dom, StringComparison.Ordinal);
        }

        Assert.Contains("<svg", render.Dom, StringComparison.Ordinal);
        Assert.Contains("gradient-boosted trees", render.Dom, StringComparison.Ordinal);
        Assert.Empty(render.ConsoleLines);
        // A PNG (magic bytes) of a page with content: a blank 1200 x 3000 page compresses to a few kilobytes.
        Assert.True(render.Screenshot.Length > 20_000, $"screenshot of {render.Screenshot.Length} bytes");
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], render.Screenshot[..4]);
    }
}
