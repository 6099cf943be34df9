using System.Text;
using DPSynth.Reporting;
using static DPSynth.Reporting.Html;

namespace DPSynth.Evaluation;

/// <summary>
/// A self-contained HTML page of an <see cref="EvaluationReport"/> (inline CSS and SVG, no script, no external
/// resource): 1-way bar charts of real vs synthetic shares, a heat map of association differences, the utility table and
/// the per-group table. Internal: it shows real-data series. <see cref="AppendSections"/> lets the internal release report
/// embed the same sections.
/// </summary>
public static class EvaluationHtml
{
    /// <summary>Renders the page.</summary>
    public static string Render(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var h = Html.Begin("DPSynth evaluation (internal)");
        h.Append("<h1>Synthetic data evaluation</h1><p class=\"warn\">Internal report: every figure here compares against the ")
            .Append("real rows <strong>without differential privacy</strong>. Do not publish it unless your policy opts in.</p>");
        AppendSections(h, report, 2);
        return Html.End(h);
    }

    /// <summary>
    /// Appends the report's sections (<c>marginals</c>, <c>association</c>, <c>utility</c>, <c>groups</c>) with headings at
    /// <paramref name="headingLevel"/>, so another page of the shared shell (<see cref="Html.Begin"/>) can embed them.
    /// </summary>
    internal static void AppendSections(StringBuilder h, EvaluationReport report, int headingLevel)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(headingLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(headingLevel, 5);
        Marginals(h, report, headingLevel);
        Heatmap(h, report, headingLevel);
        Utility(h, report, headingLevel);
        Groups(h, report, headingLevel);
    }

    private static void Heading(StringBuilder h, int level, string text) =>
        h.Append(Inv, $"<h{level}>").Append(text).Append(Inv, $"</h{level}>");

    private static void Marginals(StringBuilder h, EvaluationReport report, int level)
    {
        h.Append("<section id=\"marginals\">");
        Heading(h, level, "Marginal distances");
        h.Append("<table><tr><th>workload</th><th>mean TVD</th></tr>");
        Row(h, "1-way", report.Marginals.OneWay);
        Row(h, "2-way", report.Marginals.TwoWay);
        Row(h, "3-way", report.Marginals.ThreeWay);
        h.Append(Inv, $"</table><p>Synthetic rows: {report.Marginals.Rows}</p><div class=\"charts\">");
        foreach (var (column, labels, real, synthetic) in report.OneWay)
        {
            h.Append("<figure>");
            SvgCharts.BarChart(h, column, labels, [
                new BarSeries("real", real, "#1f4e79", "#1f4e79", Share),
                new BarSeries("synthetic", synthetic, "#9dc3e6", "#9dc3e6", Share),
            ]);
            h.Append("<figcaption>").Append(E(column)).Append(" (dark: real, light: synthetic)</figcaption></figure>");
        }

        h.Append("</div></section>");
    }

    private static string Share(double value) => value.ToString("0.####", Inv);

    private static void Row(StringBuilder h, string name, double value) =>
        h.Append("<tr><td>").Append(name).Append("</td><td>").Append(Fixed4(value)).Append("</td></tr>");

    private static void Heatmap(StringBuilder h, EvaluationReport report, int level)
    {
        var names = report.OneWay.Select(o => o.Column).ToArray();
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var differences = new double?[names.Length, names.Length];
        foreach (var p in report.Association.Pairs)
        {
            var (a, b) = (index[p.First], index[p.Second]);
            differences[a, b] = differences[b, a] = p.Difference;
        }

        h.Append("<section id=\"association\">");
        Heading(h, level, "Association differences");
        h.Append("<p>|real − synthetic| in Cramér's V (pairs with a categorical column) or Spearman's rho (numeric pairs); ")
            .Append(Inv, $"mean {Fixed4(report.Association.MeanCramersVDifference)} (V), ")
            .Append(Inv, $"{Fixed4(report.Association.MeanSpearmanDifference)} (rho).</p>");
        // Full red at a difference of 0.2 or more: larger gaps are rare and all equally alarming.
        SvgCharts.HeatMap(
            h, "association heat map", names, names, (r, c) => differences[r, c], d => SvgCharts.WhiteToRed(d, 0.2),
            (r, c, d) => string.Create(Inv, $"{names[r]} × {names[c]}: {d:0.###}"));
        h.Append("</section>");
    }

    private static void Utility(StringBuilder h, EvaluationReport report, int level)
    {
        h.Append("<section id=\"utility\">");
        Heading(h, level, "Downstream utility");
        if (report.Target is null || report.Utility.IsEmpty)
        {
            h.Append("<p>No target column was given.</p></section>");
            return;
        }

        var classification = !double.IsNaN(report.Utility[0].Tstr.Auc) || !double.IsNaN(report.Utility[0].Tstr.Accuracy);
        var (m1, m2) = classification ? ("AUC", "accuracy") : ("R²", "MAE");
        h.Append("<p>Target <strong>").Append(E(report.Target)).Append("</strong>: trained on synthetic (TSTR) or real (TRTR) rows, ")
            .Append("both tested on the same held-out real rows.</p><table><tr><th>model</th>")
            .Append(Inv, $"<th>TSTR {m1}</th><th>TRTR {m1}</th><th>TSTR {m2}</th><th>TRTR {m2}</th><th>ratio</th><th>importance agreement</th></tr>");
        foreach (var u in report.Utility)
        {
            var (t1, r1, t2, r2) = classification
                ? (u.Tstr.Auc, u.Trtr.Auc, u.Tstr.Accuracy, u.Trtr.Accuracy)
                : (u.Tstr.R2, u.Trtr.R2, u.Tstr.Mae, u.Trtr.Mae);
            h.Append("<tr><td>").Append(u.Model == UtilityModel.GradientBoostedTrees ? "gradient-boosted trees (LightGBM)" : "linear")
                .Append("</td><td>").Append(Fixed4(t1)).Append("</td><td>").Append(Fixed4(r1)).Append("</td><td>").Append(Fixed4(t2))
                .Append("</td><td>").Append(Fixed4(r2)).Append("</td><td>").Append(Fixed4(u.Ratio)).Append("</td><td>")
                .Append(Fixed4(u.ImportanceAgreement)).Append("</td></tr>");
        }

        h.Append("</table></section>");
    }

    private static void Groups(StringBuilder h, EvaluationReport report, int level)
    {
        h.Append("<section id=\"groups\">");
        Heading(h, level, "Subgroups");
        if (report.Groups.Count == 0)
        {
            h.Append("<p>No group columns were given.</p></section>");
            return;
        }

        h.Append("<table><tr><th>column</th><th>group</th><th>real share</th><th>synthetic share</th><th>mean TVD within group</th>")
            .Append("<th>TVD within group by column</th><th>test rows</th><th>TSTR</th><th>TRTR</th><th>flag</th></tr>");
        foreach (var (column, groups) in report.Groups.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var g in groups)
            {
                var flag = (g.UnderRepresented ? "under-represented " : string.Empty) + (g.UtilityGap ? "utility gap" : string.Empty);
                h.Append("<tr><td>").Append(E(column)).Append("</td><td>").Append(E(g.Group)).Append("</td><td>")
                    .Append(Fixed4(g.RealShare)).Append("</td><td>").Append(Fixed4(g.SyntheticShare)).Append("</td><td>")
                    .Append(Fixed4(g.MeanConditionalTvd)).Append("</td><td class=\"tvd\">").Append(E(ByColumn(g)))
                    .Append(Inv, $"</td><td>{g.TestRows}</td><td>").Append(Fixed4(g.TstrAccuracy))
                    .Append("</td><td>").Append(Fixed4(g.TrtrAccuracy)).Append("</td><td class=\"flag\">").Append(flag.Trim())
                    .Append("</td></tr>");
            }
        }

        h.Append("</table></section>");
    }

    // Compact on purpose: one cell per group, "col 0.0123, col 0.0456", so a wide table still fits the page.
    private static string ByColumn(GroupFidelity g) =>
        string.Join(
            ", ", g.ConditionalTvdByName.Select(kv => $"{kv.Key} {Fixed4(kv.Value)}"));
}
