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
