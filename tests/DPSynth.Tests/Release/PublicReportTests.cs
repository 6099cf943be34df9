using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text.RegularExpressions;
using DPSynth.Audits;
using DPSynth.Budget;
using DPSynth.Data;
using DPSynth.Evaluation;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Release;
using DPSynth.Reporting;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

/// <summary>
/// The public release report: every section, one chart per column and per 1-way and 2-way measurement, escaping, a
/// self-contained page that opens in a real browser, and no real-data figure on it.
/// </summary>
public sealed class PublicReportTests
{
    private static readonly Lazy<ReportFixtures.FittedRun> Mst = new(() => ReportFixtures.FitMst(
        ReportFixtures.Real(ReportFixtures.Counts, seed: 1), SynthesisBudget.FromEpsilonDelta(1, 1e-9), rows: 1500));

    private static string Render(ReportFixtures.FittedRun run, DatasetSpend? ledger = null, params string[] disclosures) =>
        PublicReport.Render(ReportFixtures.PublicContent(run, ledger, disclosures));

    [Fact]
    public void EverySectionIsPresentWithOneChartPerColumnAndPerOneAndTwoWayMeasurement()
    {
        var run = Mst.Value;
        var html = Render(run);

        foreach (var section in new[] { "run", "budget", "synthetic-marginals", "measurements", "sampling", "disclosures", "guarantee" })
        {
            Assert.Contains($"<section id=\"{section}\">", html, StringComparison.Ordinal);
        }

        // MST measures every 1-way marginal and the d - 1 pairs of its tree: no larger clique.
        var measurements = run.Result.NoisyMeasurements;
        Assert.Equal(4, measurements.Count(m => m.Clique.Count == 1));
        Assert.Equal(3, measurements.Count(m => m.Clique.Count == 2));
        Assert.Equal(4, Occurrences(html, "<figure class=\"chart synthetic-marginal\"><svg"));
        Assert.Equal(4, Occurrences(html, "<figure class=\"chart measurement one-way\"><svg"));
        Assert.Equal(3, Occurrences(html, "<figure class=\"chart measurement two-way\"><svg"));
        Assert.DoesNotContain("id=\"larger-measurements\"", html, StringComparison.Ordinal);

        // The header's facts, parameters in key order, the sampling note and the fixed notice.
        Assert.Contains("<td>run-7</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2025-03-04T05:06:07Z</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>spanning tree of pairs</td>", html, StringComparison.Ordinal);
        var keys = Regex.Matches(html, "<tr><td>([a-z_]+)</td><td>[^<]*</td></tr>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Contains("final_iterations", keys);
        Assert.Contains("The synthetic table has 1500 rows", html, StringComparison.Ordinal);
        Assert.DoesNotContain("changed-distribution", html, StringComparison.Ordinal);
        Assert.Contains(PublicReport.GuaranteeNotice.Replace("'", "&#39;", StringComparison.Ordinal), html, StringComparison.Ordinal);
        Assert.Contains("Ganev and De Cristofaro 2023", html, StringComparison.Ordinal);
        Assert.Contains("<p>None stated.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePolicyIsNamedByItsFileNameOnly()
    {
        var html = Render(Mst.Value);
        Assert.Contains("<td>policy&lt;1&gt;.yaml</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("operator-home", html, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaNamesCategoryLabelsAndDisclosuresAreEscaped()
    {
        var html = Render(Mst.Value, null, "the gate's <b>pass</b> bit & 1 attempt");

        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ward<z>", html, StringComparison.Ordinal);
        Assert.Contains("ward&lt;z&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;i&gt;east&lt;/i&gt;", html, StringComparison.Ordinal);
        Assert.Contains("west&amp;north", html, StringComparison.Ordinal);
        Assert.Contains("<li>the gate&#39;s &lt;b&gt;pass&lt;/b&gt; bit &amp; 1 attempt</li>", html, StringComparison.Ordinal);
        Assert.Contains("visits&lt;1&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePageIsSelfContained()
    {
        var html = Render(Mst.Value);
        foreach (var forbidden in new[] { "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "http:", "https:", "@import" })
        {
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'", html, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBudgetTableShowsTheRunAndTheLedgersTotalAndCap()
    {
        using var dir = new TempDirectory();
        var ledger = Ledgers.New(dir.File("ledger.jsonl"));
        ledger.SetCap("visits-1", new ApproxDp(3, 1e-9));
        ledger.Charge("visits-1", "earlier", new Rho(new Rational(1, 100)), "earlier run");
        ledger.Charge("visits-1", "run-7", Mst.Value.Result.RhoSpent, "mst");
        var spend = DatasetSpend.Of(ledger.Verify().Entries, "visits-1");

        var with = Render(Mst.Value, spend);
        var budget = ReportFixtures.PublicContent(Mst.Value, spend, []).Budget;
        Assert.Contains($"<tr><td>this run</td><td>{G6(Mst.Value.Result.RhoSpent.ToDoubleUp())}</td><td>{G6(budget.RunEpsilon)}</td>" +
            "<td>1E-09</td></tr>", with, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>dataset total after this run</td><td>{G6(spend.Spent.ToDoubleUp())}</td>" +
            $"<td>{G6(budget.LedgerEpsilon!.Value)}</td>", with, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>dataset cap</td><td>{G6(spend.Cap!.Rho)}</td><td>3</td><td>1E-09</td></tr>", with, StringComparison.Ordinal);
        Assert.True(budget.LedgerEpsilon > budget.RunEpsilon);

        var without = Render(Mst.Value);
        Assert.Contains("not recorded: this run used no budget ledger", without, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeCountsHangFromTheZeroLineInRedAndTheAxisShowsTheMinimum()
    {
        var h = new System.Text.StringBuilder();
        SvgCharts.BarChart(
            h, "noisy", ["a", "b", "c"], [new BarSeries("noisy count", [-40, 120, 0], "#2f6fa7", "#c0392b", Html.Count)]);
        var svg = h.ToString();

        // The scale spans -40..120 over 120 px: the zero line sits at 10 + 120 * 120/160 = 100.
        Assert.Contains("<line x1=\"50\" y1=\"100\"", svg, StringComparison.Ordinal);
        Assert.Contains("<rect x=\"52\" y=\"100\" width=\"12\" height=\"30\" fill=\"#c0392b\"><title>a: -40 (noisy count)</title>", svg,
            StringComparison.Ordinal);
        Assert.Contains("<rect x=\"68\" y=\"10\" width=\"12\" height=\"90\" fill=\"#2f6fa7\"><title>b: 120 (noisy count)</title>", svg,
            StringComparison.Ordinal);
        Assert.Contains("<rect x=\"84\" y=\"100\" width=\"12\" height=\"0\" fill=\"#2f6fa7\">", svg, StringComparison.Ordinal);
        Assert.Contains(">-40</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">120</text>", svg, StringComparison.Ordinal);

        // In a heat map a negative cell is red, a positive one blue, zero white.
        Assert.Equal("rgb(255,0,0)", SvgCharts.Diverging(-10, 10));
        Assert.Equal("rgb(0,130,255)", SvgCharts.Diverging(10, 10));
        Assert.Equal("rgb(255,255,255)", SvgCharts.Diverging(0, 10));
    }

    [Fact]
    public void EveryNegativeNoisyCountOfARealFitIsDrawnBelowTheLineOrInARedShade()
    {
        // Tiny rho: sigma is about 1e9, so about half the noisy cells are negative.
        var run = ReportFixtures.FitMst(
            ReportFixtures.Real(ReportFixtures.Counts, seed: 2), new Rho(new Rational(1, BigInteger.Pow(10, 17))), rows: 1000,
            threshold: 1e-12);
        var html = Render(run);

        var oneWay = run.Result.NoisyMeasurements.Where(m => m.Clique.Count == 1).SelectMany(m => m.Values).ToList();
        var zeroLines = Regex.Matches(html, "<line x1=\"50\" y1=\"([0-9.]+)\"").Select(m => m.Groups[1].Value).ToList();
        var redBars = Regex.Matches(html, "<rect x=\"\\d+\" y=\"([0-9.]+)\" width=\"\\d+\" height=\"[0-9.]+\" fill=\"#c0392b\"")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(oneWay.Count(v => v < 0), redBars.Count);
        Assert.All(redBars, y => Assert.Contains(y, zeroLines));

        foreach (var v in run.Result.NoisyMeasurements.Where(m => m.Clique.Count == 2).SelectMany(m => m.Values))
        {
            var shade = v < 0 ? "rgb\\(255,\\d+,\\d+\\)" : "rgb\\(\\d+,\\d+,255\\)";
            var count = Math.Round(v).ToString("0", CultureInfo.InvariantCulture);
            Assert.Matches($"fill=\"{shade}\"><title>[^<]*: {count}</title>", html);
        }
    }

    [Fact]
    public void RebalancedSamplingIsNoted()
    {
        var run = ReportFixtures.FitMst(
            ReportFixtures.Real(ReportFixtures.Counts, seed: 1), SynthesisBudget.FromEpsilonDelta(1, 1e-9), rows: 800,
            rebalance: "colour=uniform");
        var html = Render(run);
        Assert.Contains("The distribution of colour was changed on purpose (rebalanced colour to uniform)", html, StringComparison.Ordinal);
        Assert.Contains("The synthetic table has 800 rows", html, StringComparison.Ordinal);
    }

    [Fact]
    public void MarginalsLargerThanTwoWayAreSummarisedInATable()
    {
        var real = ReportFixtures.Real(ReportFixtures.Counts, seed: 1);
        var schema = ReportFixtures.Schema;
        var mwem = new MwemPgm(Workload.AllKWay(schema.Domain, 3), new MwemOptions { Rounds = 2, Iterations = 100 });
        var rho = SynthesisBudget.FromEpsilonDelta(1, 1e-9);
        var result = mwem.Fit(real, new ZcdpAccountant(rho));
        var run = new ReportFixtures.FittedRun(
            schema, real, result, result.Sample(new Random(3), 500), SamplingRequest.None(schema.Domain), mwem.Plan(rho));
        var html = Render(run);

        var larger = result.NoisyMeasurements.Where(m => m.Clique.Count > 2).ToList();
        Assert.NotEmpty(larger);
        var table = html[html.IndexOf("<table id=\"larger-measurements\">", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Equal(larger.Count, Occurrences(table, "<tr><td>"));
        foreach (var m in larger)
        {
            var names = string.Join(", ", Enumerable.Range(0, m.Clique.Count).Select(i => schema.Columns[m.Clique[i]].Name)
                .Select(System.Net.WebUtility.HtmlEncode));
            Assert.Contains($"<td>{names}</td><td>{m.Values.Length}</td><td>{G6(m.Sigma)}</td>", table, StringComparison.Ordinal);
        }

        Assert.Equal(result.NoisyMeasurements.Count(m => m.Clique.Count == 1), Occurrences(html, "chart measurement one-way"));
        Assert.Equal(result.NoisyMeasurements.Count(m => m.Clique.Count == 2), Occurrences(html, "chart measurement two-way"));
    }

    [Fact]
    public void MstsMergedCellsAreLabelledWithTheValuesTheyHold()
    {
        // sigma_1 is about 20 at epsilon 1: a threshold of 1e5 sigma (2e6 rows) merges every value of every column.
        var run = ReportFixtures.FitMst(
            ReportFixtures.Real(ReportFixtures.Counts, seed: 1), SynthesisBudget.FromEpsilonDelta(1, 1e-9), rows: 1000, threshold: 1e5);
        var content = ReportFixtures.PublicContent(run, null, []);
        var merged = content.Measurements.Where(m => m.Columns.Length == 1).Select(m => m.Labels[0][^1]).ToList();
        Assert.All(merged, label => Assert.StartsWith("merged (", label, StringComparison.Ordinal));
        Assert.Contains("merged (3): &lt;i&gt;east&lt;/i&gt;, west&amp;north, south", PublicReport.Render(content), StringComparison.Ordinal);
    }

    [Fact]
    public void TheContentHoldsNoTableAndNoAuditOrEvaluationFigure()
    {
        var forbidden = new[]
        {
            typeof(EncodedTable), typeof(EncodedColumn), typeof(AuditReport), typeof(EvaluationReport), typeof(TrainHoldoutSplit),
        };
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([typeof(PublicReportContent)]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type) || type.Namespace?.StartsWith("DPSynth", StringComparison.Ordinal) != true)
            {
                continue;
            }

            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                var fieldTypes = new[] { field.FieldType }.Concat(field.FieldType.GetGenericArguments()).ToList();
                Assert.DoesNotContain(fieldTypes, t => forbidden.Contains(t) || (t.IsArray && forbidden.Contains(t.GetElementType())));
                fieldTypes.ForEach(pending.Push);
            }
        }

        Assert.Contains(typeof(ReportMeasurement), seen);
        Assert.Contains(typeof(ReportColumnCounts), seen);
    }

    [Fact]
    public void CreateRefusesATableOfAnotherDomainOrAMismatchedMethod()
    {
        var run = Mst.Value;
        var header = ReportFixtures.Header(run.Plan);
        var budget = ReportBudget.For(PrivacySpend.Of(run.Plan.Rho, 1e-9), null);
        var other = ChainTablesLike();
        Assert.Throws<ArgumentException>(() =>
            PublicReportContent.Create(header, budget, run.Schema, run.Result, other, run.Sampling, []));
        Assert.Throws<ArgumentException>(() =>
            PublicReportContent.Create(
                new ReportHeader(header.DatasetId, header.PolicyFile, header.RunId, header.Created, "aim", header.Parameters, header.Workload),
                budget, run.Schema, run.Result, run.Synthetic, run.Sampling, []));
        Assert.Throws<ArgumentException>(() =>
            PublicReportContent.Create(header, budget, run.Schema, run.Result, run.Synthetic, run.Sampling, [" "]));
    }

    /// <summary>
    /// The public report of a table whose real 1-way counts are known shows none of them, nor the true row count, nor a
    /// real share in any usual format. The synthetic counts differ from the real ones by construction (1,500 synthetic
    /// rows, every real count above 2,000); the noisy counts differ because rho is tiny (sigma above 6e8), so a noisy
    /// value equals one of the 15 real figures with probability at most 74 * 15 / (6e8 sqrt(2 pi)) &lt; 1e-6 (the
    /// false-failure probability of this test; noise comes from the CSPRNG and cannot be seeded). The same figures do
    /// appear in the internal evaluation page: the check finds real-data series when they are there.
    /// </summary>
    [Fact]
    public void ThePublicReportShowsNoRealCountOrShare()
    {
        var real = ReportFixtures.Real(ReportFixtures.Counts, seed: 5);
        var run = ReportFixtures.FitMst(real, new Rho(new Rational(1, BigInteger.Pow(10, 17))), rows: 1500, threshold: 1e-12);
        Assert.All(run.Result.NoisyMeasurements, m => Assert.True(m.Sigma > 6e8, $"sigma {m.Sigma}"));
        var html = Render(run);

        var realCounts = ReportFixtures.Counts.SelectMany(c => c).Append(real.RowCount).ToList();
        var realFigures = realCounts.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        foreach (var count in ReportFixtures.Counts.SelectMany(c => c))
        {
            var share = (double)count / real.RowCount;
            foreach (var format in new[] { "0.0000", "0.####", "0.###", "G6", "R" })
            {
                realFigures.Add(share.ToString(format, CultureInfo.InvariantCulture));
            }

            realFigures.Add((share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%");
            realFigures.Add((share * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%");
        }

        // The setup makes every shown figure differ from the real ones.
        var content = ReportFixtures.PublicContent(run, null, []);
        var shown = content.SyntheticMarginals.SelectMany(m => m.Counts).Select(c => c.ToString(CultureInfo.InvariantCulture))
            .Concat(content.Measurements.SelectMany(m => m.Marginal.Values)
                .Select(v => Math.Round(v).ToString("0", CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(shown, realFigures.Contains);
        Assert.All(content.SyntheticMarginals.SelectMany(m => m.Counts), c => Assert.True(c < realCounts.Min()));

        Assert.DoesNotContain(Tokens(html), realFigures.Contains);

        // Positive control: the internal evaluation of the same tables does show real shares.
        var evaluation = EvaluationHtml.Render(Evaluator.Evaluate(run.Schema, real, real, null, run.Synthetic, null, []));
        Assert.Contains(Tokens(evaluation), realFigures.Contains);
    }

    [RequiresChromiumFact]
    public void ThePageOpensInChromiumWithoutConsoleMessagesAndShowsTheBudgetTableAndCharts()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("report.html", Render(Mst.Value));
        var render = HeadlessChromium.Open(path);

        Assert.Empty(render.ConsoleLines);
        Assert.Contains("id=\"budget-table\"", render.Dom, StringComparison.Ordinal);
        Assert.Contains("chart synthetic-marginal", render.Dom, StringComparison.Ordinal);
        var shot = ReportScreenshot.Decode(render.Screenshot);
        // The budget table's header row has its own tint; the bars are drawn in the positive bar colour.
        Assert.True(shot.Count(0xE3, 0xEC, 0xF6) > 1000, $"budget header pixels: {shot.Count(0xE3, 0xEC, 0xF6)}");
        Assert.True(shot.Count(0x2F, 0x6F, 0xA7) > 1000, $"bar pixels: {shot.Count(0x2F, 0x6F, 0xA7)}");
    }

    internal static int Occurrences(string text, string value) =>
        Regex.Matches(text, Regex.Escape(value)).Count;

    // Every number written on the page: an optional minus, digits, decimals, an exponent, a percent sign.
    internal static IEnumerable<string> Tokens(string html) =>
        Regex.Matches(html, @"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?%?").Select(m => m.Value);

    private static string G6(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static EncodedTable ChainTablesLike()
    {
        var domain = new Domain(["p", "q"], [2, 2]);
        return new EncodedTable(domain, [EncodedColumn.FromCodes(2, [0, 1]), EncodedColumn.FromCodes(2, [1, 0])]);
    }
}

/// <summary>The schema, a real table with known 1-way counts, fits and report content shared by the report tests.</summary>
internal static class ReportFixtures
{
    /// <summary>
    /// Four categorical columns of 3, 4, 2 and 5 cells; a column name and labels that need escaping.
    /// </summary>
    public const string SchemaYaml = """
        columns:
          - name: 'ward<z>'
            type: categorical
            categories: ['<i>east</i>', 'west&north', south]
          - name: colour
            type: categorical
            categories: [red, green, blue, grey]
          - name: flag
            type: categorical
            categories: ['no', 'yes']
          - name: size
            type: categorical
            categories: [xs, s, m, l, xl]
        csv: { header: true, delimiter: ",", trim: true }
        """;

    /// <summary>The real 1-way counts of each column (each sums to 40,015 rows); large, distinct, none a year.</summary>
    public static readonly int[][] Counts =
    [
        [21347, 12589, 6079],
        [15733, 11261, 8497, 4524],
        [27403, 12612],
        [9871, 8642, 7753, 7311, 6438],
    ];

    public static TableSchema Schema { get; } = TestSchemas.Parse(SchemaYaml);

    /// <summary>A fitted run: the schema, the real table, the result, the synthetic table and how it was sampled.</summary>
    public sealed record FittedRun(
        TableSchema Schema,
        EncodedTable Real,
        SynthesisResult Result,
        EncodedTable Synthetic,
        SamplingRequest Sampling,
        SynthesisPlan Plan);

    /// <summary>
    /// A real table with exactly <paramref name="counts"/>[c][v] rows holding value v in column c, each column shuffled on
    /// its own (seeded).
    /// </summary>
    public static EncodedTable Real(int[][] counts, int seed)
    {
        var random = new Random(seed);
        var rows = counts[0].Sum();
        var columns = new EncodedColumn[counts.Length];
        for (var c = 0; c < counts.Length; c++)
        {
            Assert.Equal(rows, counts[c].Sum());
            var codes = counts[c].SelectMany((n, v) => Enumerable.Repeat(v, n)).ToArray();
            random.Shuffle(codes);
            columns[c] = EncodedColumn.FromCodes(counts[c].Length, codes);
        }

        return new EncodedTable(Schema.Domain, columns);
    }

    /// <summary>Fits MST (few iterations) and samples <paramref name="rows"/> rows with a seeded generator.</summary>
    public static FittedRun FitMst(EncodedTable real, Rho rho, int rows, double threshold = 3, string? rebalance = null)
    {
        var options = new MstOptions { SelectionIterations = 100, FinalIterations = 300, CompressionThreshold = threshold };
        var mst = new Mst(Schema.Domain, options);
        var result = mst.Fit(real, new ZcdpAccountant(rho));
        var sampling = SamplingRequest.Parse(Schema, rebalance, null);
        return new FittedRun(Schema, real, result, result.Sample(new Random(11), rows, sampling), sampling, mst.Plan(rho));
    }

    /// <summary>The header every test uses: a dataset id and policy name that need escaping.</summary>
    public static ReportHeader Header(SynthesisPlan plan) =>
        ReportHeader.For(
            "visits<1>", "/operator-home/policies/policy<1>.yaml", "run-7", new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), plan);

    /// <summary>The public content of <paramref name="run"/>.</summary>
    public static PublicReportContent PublicContent(FittedRun run, DatasetSpend? ledger, IEnumerable<string> disclosures) =>
        PublicReportContent.Create(
            Header(run.Plan), ReportBudget.For(PrivacySpend.Of(run.Plan.Rho, 1e-9), ledger), run.Schema, run.Result, run.Synthetic, run.Sampling,
            disclosures);
}

/// <summary>
/// The pixels of a Chromium screenshot: a minimal PNG decoder (8-bit RGB or RGBA, not interlaced, the five filters),
/// enough to count pixels of a given colour.
/// </summary>
internal sealed class ReportScreenshot
{
    private readonly byte[] pixels;
    private readonly int channels;

    private ReportScreenshot(byte[] pixels, int channels, int width, int height)
    {
        this.pixels = pixels;
        this.channels = channels;
        Width = width;
        Height = height;
    }

    /// <summary>The width in pixels.</summary>
    public int Width { get; }

    /// <summary>The height in pixels.</summary>
    public int Height { get; }

    /// <summary>The colour of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (int Red, int Green, int Blue) this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * channels;
            return (pixels[i], pixels[i + 1], pixels[i + 2]);
        }
    }

    /// <summary>Decodes <paramref name="png"/>.</summary>
    public static ReportScreenshot Decode(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data);
                height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 2 => 3, 6 => 4, var t => throw new NotSupportedException($"PNG colour type {t}") };
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * channels;
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? pixels[(y * stride) + x - channels] : 0;
                int b = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
                int c = x >= channels && y > 0 ? pixels[((y - 1) * stride) + x - channels] : 0;
                int value = raw[(y * (stride + 1)) + 1 + x];
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                };
                pixels[(y * stride) + x] = (byte)((value + predictor) & 0xFF);
            }
        }

        return new ReportScreenshot(pixels, channels, width, height);
    }

    /// <summary>The number of pixels within 2 of the given colour in every channel.</summary>
    public int Count(int red, int green, int blue)
    {
        var count = 0;
        for (var i = 0; i < pixels.Length; i += channels)
        {
            if (Math.Abs(pixels[i] - red) <= 2 && Math.Abs(pixels[i + 1] - green) <= 2 && Math.Abs(pixels[i + 2] - blue) <= 2)
            {
                count++;
            }
        }

        return count;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
