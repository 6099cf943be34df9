using System.Globalization;
using DPSynth.Audits;
using DPSynth.Evaluation;
using DPSynth.Privacy;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

/// <summary>
/// The operator's internal report: the banner, the private row counts, every audit figure with each threshold's pass or
/// fail, and the evaluation's sections embedded from <see cref="EvaluationHtml"/>. The data, split, sampling and member
/// sample are seeded; only the measurement noise comes from the CSPRNG, and no assertion depends on what it drew (pass
/// and fail are checked on the run's audit with its figures set inside and outside the thresholds).
/// </summary>
public sealed class InternalReportTests
{
    // A tenth of the public tests' table (4,002 rows): the audits compare every synthetic row with train and holdout.
    private static readonly int[][] Counts = [.. ReportFixtures.Counts.Select(c => c.Select(n => n / 10).ToArray())];

    private static readonly Lazy<Audited> Run = new(() =>
    {
        var real = ReportFixtures.Real(FixCounts(), seed: 3);
        var split = TrainHoldoutSplit.Split(real, 0.8, RandomBitsCoins.Seeded(2));
        var fit = ReportFixtures.FitMst(split.Train, SynthesisBudget.FromEpsilonDelta(1, 1e-9), rows: 2000);
        var audit = PrivacyAudit.Run(split.Train, split.Holdout, fit.Synthetic, DistanceSpec.FromSchema(fit.Schema), new Random(3));
        var evaluation = Evaluator.Evaluate(fit.Schema, real, split.Train, split.Holdout, fit.Synthetic, "flag", ["colour"]);
        return new Audited(fit, split, audit, new ReleaseGate().Decide(audit), evaluation);
    });

    private sealed record Audited(
        ReportFixtures.FittedRun Fit, TrainHoldoutSplit Split, AuditReport Audit, GateDecision Decision, EvaluationReport Evaluation);

    // Every column must hold the same number of rows: the tenths are evened out on each column's first cell.
    private static int[][] FixCounts()
    {
        var rows = Counts[0].Sum();
        return [.. Counts.Select(c => c.Select((n, v) => v == 0 ? n + rows - c.Sum() : n).ToArray())];
    }

    private static InternalReportContent Content(Audited run, EvaluationReport? evaluation, int? skipped = 17) =>
        new(
            ReportFixtures.Header(run.Fit.Plan),
            ReportBudget.For(PrivacySpend.Of(run.Fit.Plan.Rho, 1e-9), null),
            run.Split.Train.RowCount + run.Split.Holdout.RowCount,
            run.Split.Train.RowCount,
            run.Split.Holdout.RowCount,
            skipped,
            run.Audit,
            GateThresholds.Default,
            run.Decision,
            evaluation);

    [Fact]
    public void TheBannerOpensThePageAndEverySectionIsPresent()
    {
        var html = InternalReport.Render(Content(Run.Value, Run.Value.Evaluation));

        var body = html[(html.IndexOf("<body>", StringComparison.Ordinal) + 6)..];
        Assert.StartsWith($"<p class=\"banner\" id=\"internal-banner\">{InternalReport.Banner}</p>", body, StringComparison.Ordinal);
        Assert.Contains("without differential privacy", InternalReport.Banner, StringComparison.Ordinal);
        Assert.Contains("Do not publish", InternalReport.Banner, StringComparison.Ordinal);
        foreach (var section in new[]
                 {
                     "run", "budget", "operator", "gate", "audits", "evaluation", "marginals", "association", "utility", "groups",
                 })
        {
            Assert.Equal(1, PublicReportTests.Occurrences(html, $"<section id=\"{section}\">"));
        }

        // The evaluation's sections sit inside the evaluation section, one heading level down.
        var evaluation = html[html.IndexOf("<section id=\"evaluation\">", StringComparison.Ordinal)..];
        Assert.Contains("<section id=\"marginals\"><h3>Marginal distances</h3>", evaluation, StringComparison.Ordinal);
        Assert.Contains("<section id=\"utility\"><h3>Downstream utility</h3>", evaluation, StringComparison.Ordinal);
        Assert.Contains("gradient-boosted trees", evaluation, StringComparison.Ordinal);
        Assert.Equal(4, PublicReportTests.Occurrences(evaluation, "<figure><svg"));
    }

    [Fact]
    public void TheOperatorFactsAndEveryAuditFigureAreShown()
    {
        var run = Run.Value;
        var html = InternalReport.Render(Content(run, null));

        var (train, holdout) = (run.Split.Train.RowCount, run.Split.Holdout.RowCount);
        Assert.Contains($"<tr><th>input rows</th><td>{train + holdout}</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><th>train rows</th><td>{train}</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><th>holdout rows</th><td>{holdout}</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>rows skipped by the encoder</th><td>17</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>rows skipped by the encoder</th><td>not known</td></tr>",
            InternalReport.Render(Content(run, null, skipped: null)), StringComparison.Ordinal);

        var dcr = run.Audit.Dcr;
        Assert.Contains($"<tr><td>synthetic to train</td><td>{F(dcr.TrainP5)}</td><td>{F(dcr.TrainMedian)}</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>synthetic to holdout</td><td>{F(dcr.HoldoutP5)}</td><td>{F(dcr.HoldoutMedian)}</td></tr>", html,
            StringComparison.Ordinal);
        Assert.Contains($"<td>{F(dcr.CloserToTrainShare)}</td><td>{F(dcr.IdealShare)}</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{F(run.Audit.ExactMatches.SyntheticRate)}</td><td>{F(run.Audit.ExactMatches.HoldoutBaseline)}</td>", html,
            StringComparison.Ordinal);
        foreach (var attack in new[] { run.Audit.DistanceAttack, run.Audit.DensityAttack })
        {
            Assert.Contains(
                $"<tr><td>{attack.Attack}</td><td>{F(attack.Auc)}</td><td>{F(attack.TprAtFpr1Percent)}</td>" +
                $"<td>{F(attack.TprAtFpr01Percent)}</td><td>{attack.Members}</td><td>{attack.NonMembers}</td></tr>",
                html, StringComparison.Ordinal);
        }

        Assert.Contains("Ganev and De Cristofaro 2023", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"evaluation\"><h2>Evaluation</h2><p>No evaluation was run.</p></section>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void EachThresholdIsListedWithPassOrFailAndTheGatesVerdict()
    {
        // The real run's audit, its verdict and one row per threshold, whatever the noise made of them.
        var run = Run.Value;
        var html = InternalReport.Render(Content(run, null));
        var verdict = run.Decision.Passed
            ? "<span class=\"pass\" id=\"gate-decision\">PASS"
            : "<span class=\"fail\" id=\"gate-decision\">FAIL";
        Assert.Contains(verdict, html, StringComparison.Ordinal);
        var passes = PublicReportTests.Occurrences(html, "<td class=\"pass\">pass</td></tr>");
        Assert.Equal(4, passes + PublicReportTests.Occurrences(html, "<td class=\"fail\">fail</td></tr>"));
        Assert.Contains(
            $"<tr><td>distance attack AUC</td><td>{F(run.Audit.DistanceAttack.Auc)}</td><td>0.6000</td><td class=\"", html, StringComparison.Ordinal);

        // The same audit with every figure inside its threshold, then every figure outside it.
        var audit = run.Audit;
        var within = audit with
        {
            DistanceAttack = audit.DistanceAttack with { Auc = 0.52 },
            DensityAttack = audit.DensityAttack with { Auc = 0.55 },
            Dcr = audit.Dcr with { CloserToTrainShare = audit.Dcr.IdealShare },
            ExactMatches = new ExactMatches(0.25, 0.25),
        };
        var passed = InternalReport.Render(Content(run with { Audit = within, Decision = new ReleaseGate().Decide(within) }, null));
        Assert.Contains("<span class=\"pass\" id=\"gate-decision\">PASS</span>", passed, StringComparison.Ordinal);
        Assert.Equal(4, PublicReportTests.Occurrences(passed, "<td class=\"pass\">pass</td></tr>"));
        Assert.Contains("<tr><td>density-ratio attack AUC</td><td>0.5500</td><td>0.6000</td><td class=\"pass\">pass</td></tr>", passed,
            StringComparison.Ordinal);

        var outside = audit with
        {
            DistanceAttack = audit.DistanceAttack with { Auc = 0.9 },
            DensityAttack = audit.DensityAttack with { Auc = 0.75 },
            Dcr = audit.Dcr with { CloserToTrainShare = audit.Dcr.IdealShare + 0.1 },
            ExactMatches = new ExactMatches(0.5, 0.1),
        };
        var decision = new ReleaseGate().Decide(outside);
        Assert.Equal(4, decision.Reasons.Length);
        var failed = InternalReport.Render(Content(run with { Audit = outside, Decision = decision }, null));
        Assert.Contains("<span class=\"fail\" id=\"gate-decision\">FAIL</span>", failed, StringComparison.Ordinal);
        Assert.Equal(4, PublicReportTests.Occurrences(failed, "<td class=\"fail\">fail</td></tr>"));
        Assert.Contains(
            "<tr><td>exact-match rate (holdout baseline + excess)</td><td>0.5000</td><td>0.1100</td><td class=\"fail\">fail</td></tr>",
            failed, StringComparison.Ordinal);
        Assert.All(
            decision.Reasons, r => Assert.Contains($"<li>{System.Net.WebUtility.HtmlEncode(r)}</li>", failed, StringComparison.Ordinal));

        // A decision that passes a crossed threshold is refused.
        Assert.Throws<ArgumentException>(() => Content(run with { Audit = outside, Decision = new GateDecision(true, []) }, null));
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    [Fact]
    public void TextFromTheSchemaAndTheRunIsEscaped()
    {
        var html = InternalReport.Render(Content(Run.Value, Run.Value.Evaluation));
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ward<z>", html, StringComparison.Ordinal);
        Assert.Contains("ward&lt;z&gt;", html, StringComparison.Ordinal);
        Assert.Contains("visits&lt;1&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStandaloneEvaluationPageKeepsItsSections()
    {
        var html = EvaluationHtml.Render(Run.Value.Evaluation);
        foreach (var section in new[] { "marginals", "association", "utility", "groups" })
        {
            Assert.Contains($"<section id=\"{section}\"><h2>", html, StringComparison.Ordinal);
        }

        Assert.Contains("Do not publish it unless your policy opts in.", html, StringComparison.Ordinal);
        Assert.Equal(4, PublicReportTests.Occurrences(html, "<figure><svg"));
    }

    [RequiresChromiumFact]
    public void ThePageOpensInChromiumWithoutConsoleMessagesAndShowsTheBannerBudgetTableAndCharts()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("internal-report.html", InternalReport.Render(Content(Run.Value, Run.Value.Evaluation)));
        var render = HeadlessChromium.Open(path);

        Assert.Empty(render.ConsoleLines);
        Assert.Contains("id=\"internal-banner\"", render.Dom, StringComparison.Ordinal);
        Assert.Contains("id=\"budget-table\"", render.Dom, StringComparison.Ordinal);
        var shot = ReportScreenshot.Decode(render.Screenshot);
        Assert.True(shot.Count(0xB0, 0x00, 0x20) > 5000, $"banner pixels: {shot.Count(0xB0, 0x00, 0x20)}");
        Assert.True(shot.Count(0xE3, 0xEC, 0xF6) > 1000, $"budget header pixels: {shot.Count(0xE3, 0xEC, 0xF6)}");
        Assert.True(shot.Count(0x1F, 0x4E, 0x79) > 500, $"real-series bar pixels: {shot.Count(0x1F, 0x4E, 0x79)}");
    }
}
