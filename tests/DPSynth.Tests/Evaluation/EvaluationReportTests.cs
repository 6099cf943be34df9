using System.Text.Json;
using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Release;
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
        string[] args = [
            "evaluate", "--real", dir.File("real.csv"), "--synthetic", dir.File("synth.csv"), "--schema", dir.File("s.yaml"),
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
        var text = CliRunner.Run([.. args, "--force"]); // the JSON run wrote the report already
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
        var html = File.ReadAllText(dir.File("report.html"));
        var render = HeadlessChromium.Open(dir.File("report.html"));
        string[] sections = ["marginals", "association", "utility", "groups"];
        foreach (var section in sections)
        {
            Assert.Contains($"<section id=\"{section}\">", render.Dom, StringComparison.Ordinal);
        }

        Assert.Contains("<svg", render.Dom, StringComparison.Ordinal);
        Assert.Contains("gradient-boosted trees", render.Dom, StringComparison.Ordinal);
        Assert.Empty(render.ConsoleLines);

        // The screenshot shows each section: a copy of the page with a magenta rule above every section and one after
        // the body's content, in a window tall enough for the whole page. The rules cut the screenshot into one band per
        // section; each band must hold the section's own ink (text, charts, tables), and the closing rule must be on the
        // screenshot, so nothing was cut off at the bottom (the page is about 2200 pixels tall in a 4000-pixel window).
        var marked = html.Replace(
            "</style>",
            "section{border-top:6px solid #ff00ff}body::after{content:\"\";display:block;border-top:6px solid #ff00ff}</style>",
            StringComparison.Ordinal);
        File.WriteAllText(dir.File("marked.html"), marked);
        var shot = ReportScreenshot.Decode(HeadlessChromium.Open(dir.File("marked.html"), 1200, 4000).Screenshot);
        var rules = Rules(shot);
        Assert.True(rules.Count == sections.Length + 1, $"magenta rules at rows {string.Join(", ", rules)}");
        for (var i = 0; i < sections.Length; i++)
        {
            var ink = Ink(shot, rules[i] + 6, rules[i + 1]);
            // The smallest section (utility: a heading, a line and a two-row table) draws well over 2000 dark pixels.
            Assert.True(ink > 2000, $"section {sections[i]} (rows {rules[i]}-{rules[i + 1]}): {ink} ink pixels");
        }

        // Each band shows its section's kind of content: real-share bars, the heat map's grey diagonal, table headers.
        Assert.True(Count(shot, rules[0], rules[1], (0x1F, 0x4E, 0x79)) > 1000, "no bars in the marginals band");
        Assert.True(Count(shot, rules[1], rules[2], (0xDD, 0xDD, 0xDD)) > 100, "no heat map in the association band");
        Assert.True(Count(shot, rules[2], rules[3], (0xF2, 0xF2, 0xF2)) > 500, "no table in the utility band");
        Assert.True(Count(shot, rules[3], rules[4], (0xF2, 0xF2, 0xF2)) > 500, "no table in the groups band");
    }

    // Rows where most of the width is magenta, one per rule (the first row of each 6-pixel rule).
    private static List<int> Rules(ReportScreenshot shot)
    {
        var rows = new List<int>();
        for (var y = 0; y < shot.Height; y++)
        {
            var magenta = Enumerable.Range(0, shot.Width).Count(x => shot[x, y] is ( > 250, < 5, > 250));
            if (magenta > shot.Width / 2 && (rows.Count == 0 || y > rows[^1] + 6))
            {
                rows.Add(y);
            }
        }

        return rows;
    }

    // Pixels that are neither near-white background nor a rule: text, chart marks, table borders.
    private static int Ink(ReportScreenshot shot, int top, int bottom) =>
        Count(shot, top, bottom, p => p.Red + p.Green + p.Blue < 600 && p is not ( > 250, < 5, > 250));

    private static int Count(ReportScreenshot shot, int top, int bottom, (int Red, int Green, int Blue) colour) =>
        Count(shot, top, bottom, p =>
            Math.Abs(p.Red - colour.Red) <= 2 && Math.Abs(p.Green - colour.Green) <= 2 && Math.Abs(p.Blue - colour.Blue) <= 2);

    private static int Count(ReportScreenshot shot, int top, int bottom, Func<(int Red, int Green, int Blue), bool> keep)
    {
        var count = 0;
        for (var y = top; y < bottom; y++)
        {
            for (var x = 0; x < shot.Width; x++)
            {
                count += keep(shot[x, y]) ? 1 : 0;
            }
        }

        return count;
    }
}
