using System.Text;
using DPSynth.Audits;
using DPSynth.Evaluation;
using static DPSynth.Reporting.Html;

namespace DPSynth.Release;

/// <summary>
/// The operator's internal report of a release (written beside the bundle, never inside it unless the policy opts in):
/// a self-contained HTML page with the run's header and budget, the true row counts, every audit figure with the release
/// gate's thresholds and verdict, and the utility evaluation (the sections of <see cref="EvaluationHtml"/>). It is
/// computed from the real rows without DP, and says so in a banner at the top.
/// </summary>
public static class InternalReport
{
    /// <summary>The banner at the top of every internal report.</summary>
    public const string Banner =
        "INTERNAL: computed from the real rows without differential privacy. Do not publish.";

    /// <summary>Renders the page.</summary>
    public static string Render(InternalReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var h = Begin($"DPSynth internal report: {content.Header.DatasetId} (do not publish)");
        h.Append("<p class=\"banner\" id=\"internal-banner\">").Append(E(Banner)).Append("</p>")
            .Append("<h1>Internal release report: ").Append(E(content.Header.DatasetId)).Append("</h1>")
            .Append("<p class=\"warn\">For the operator only. The row counts, audit figures and evaluation below are computed ")
            .Append("from the real rows <strong>without differential privacy</strong>: the privacy guarantee does not cover ")
            .Append("them, and publishing any of them is a non-DP disclosure. This report belongs beside the release bundle, ")
            .Append("not inside it, unless the policy opts in and the manifest states the disclosure.</p>");
        ReportSections.Header(h, content.Header);
        ReportSections.Budget(h, content.Budget);
        OperatorFacts(h, content);
        Gate(h, content);
        Audits(h, content.Audit);
        h.Append("<section id=\"evaluation\"><h2>Evaluation</h2>");
        if (content.Evaluation is { } evaluation)
        {
            EvaluationHtml.AppendSections(h, evaluation, 3);
        }
        else
        {
            h.Append("<p>No evaluation was run.</p>");
        }

        h.Append("</section>");
        return End(h);
    }

    private static void OperatorFacts(StringBuilder h, InternalReportContent content)
    {
        h.Append("<section id=\"operator\"><h2>Real rows (private)</h2><table class=\"facts\">");
        KeyRow(h, "input rows", content.InputRows.ToString(Inv));
        KeyRow(h, "train rows", content.TrainRows.ToString(Inv));
        KeyRow(h, "holdout rows", content.HoldoutRows.ToString(Inv));
        KeyRow(h, "rows skipped by the encoder", content.SkippedRows?.ToString(Inv) ?? "not known");
        h.Append("</table></section>");
    }

    private static void Gate(StringBuilder h, InternalReportContent content)
    {
        var passed = content.Decision.Passed;
        h.Append("<section id=\"gate\"><h2>Release gate</h2><p>Decision: <span class=\"").Append(passed ? "pass" : "fail")
            .Append("\" id=\"gate-decision\">").Append(passed ? "PASS" : "FAIL").Append("</span></p>");
        if (!content.Decision.Reasons.IsEmpty)
        {
            h.Append("<ul>");
            foreach (var reason in content.Decision.Reasons)
            {
                h.Append("<li>").Append(E(reason)).Append("</li>");
            }

            h.Append("</ul>");
        }

        h.Append("<table id=\"thresholds\"><tr><th>threshold</th><th>observed</th><th>limit</th><th>result</th></tr>");
        foreach (var check in content.Checks)
        {
            h.Append("<tr><td>").Append(E(check.Threshold)).Append("</td><td>").Append(Fixed4(check.Observed)).Append("</td><td>")
                .Append(Fixed4(check.Limit)).Append("</td><td class=\"").Append(check.Passed ? "pass\">pass" : "fail\">fail")
                .Append("</td></tr>");
        }

        h.Append("</table><p>The gate's pass/fail bit depends on the real rows without DP, so it is itself a non-private ")
            .Append("disclosure: every attempt is a full run charged to the ledger. Never re-run until the gate passes.</p>")
            .Append("</section>");
    }

    private static void Audits(StringBuilder h, AuditReport audit)
    {
        var dcr = audit.Dcr;
        h.Append("<section id=\"audits\"><h2>Audits</h2>")
            .Append(Inv, $"<p>{audit.SyntheticRows} synthetic rows against {audit.TrainRows} train and ")
            .Append(Inv, $"{audit.HoldoutRows} holdout rows.");
        if (!audit.DistanceIsExact)
        {
            h.Append(" Distances round ordered columns, so they are approximate.");
        }

        h.Append("</p><h3>Distance to closest record</h3><table id=\"dcr\">")
            .Append("<tr><th></th><th>5th percentile</th><th>median</th></tr>");
        PairRow(h, "synthetic to train", dcr.TrainP5, dcr.TrainMedian);
        PairRow(h, "synthetic to holdout", dcr.HoldoutP5, dcr.HoldoutMedian);
        PairRow(h, "nearest-neighbour distance ratio", dcr.NndrP5, dcr.NndrMedian);
        h.Append("</table><table><tr><th></th><th>observed</th><th>ideal / baseline</th></tr>");
        PairRow(h, "share of synthetic rows closer to train than holdout", dcr.CloserToTrainShare, dcr.IdealShare);
        PairRow(h, "exact-match rate (synthetic vs train; baseline: holdout vs train)",
            audit.ExactMatches.SyntheticRate, audit.ExactMatches.HoldoutBaseline);
        h.Append("</table><h3>Membership inference</h3><table id=\"attacks\"><tr><th>attack</th><th>ROC AUC</th>")
            .Append("<th>TPR at 1% FPR</th><th>TPR at 0.1% FPR</th><th>members</th><th>non-members</th></tr>");
        foreach (var attack in new[] { audit.DistanceAttack, audit.DensityAttack })
        {
            h.Append("<tr><td>").Append(E(attack.Attack)).Append("</td><td>").Append(Fixed4(attack.Auc)).Append("</td><td>")
                .Append(Fixed4(attack.TprAtFpr1Percent)).Append("</td><td>").Append(Fixed4(attack.TprAtFpr01Percent))
                .Append(Inv, $"</td><td>{attack.Members}</td><td>{attack.NonMembers}</td></tr>");
        }

        h.Append("</table><p class=\"note\">Similarity metrics are no privacy guarantee (Ganev and De Cristofaro 2023): they ")
            .Append("can show a leak, never its absence. The guarantee is the differential privacy accounting.</p></section>");
    }

    private static void PairRow(StringBuilder h, string name, double first, double second) =>
        h.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(Fixed4(first)).Append("</td><td>").Append(Fixed4(second))
            .Append("</td></tr>");
}
