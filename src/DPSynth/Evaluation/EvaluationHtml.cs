using System.Globalization;
using System.Net;
using System.Text;

namespace DPSynth.Evaluation;

/// <summary>
/// A self-contained HTML page of an <see cref="EvaluationReport"/> (inline CSS and SVG, no script, no external
/// resource): 1-way bar charts of real vs synthetic shares, a heat map of association differences, the utility table and
/// the per-group table. Internal: it shows real-data series.
/// </summary>
public static class EvaluationHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders the page.</summary>
    public static string Render(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>DPSynth evaluation (internal)</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f2f2f2}td:first-child{text-align:left}")
            .Append(".warn{background:#fff3cd;padding:.8em;border:1px solid #e0c36b}.flag{color:#b00020;font-weight:bold}")
            .Append(".charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{font-size:.9em}</style></head><body>");
        h.Append("<h1>Synthetic data evaluation</h1><p class=\"warn\">Internal report: every figure here compares against the ")
            .Append("real rows <strong>without differential privacy</strong>. Do not publish it unless your policy opts in.</p>");

        h.Append("<section id=\"marginals\"><h2>Marginal distances</h2><table><tr><th>workload</th><th>mean TVD</th></tr>");
        Row(h, "1-way", report.Marginals.OneWay);
        Row(h, "2-way", report.Marginals.TwoWay);
        Row(h, "3-way", report.Marginals.ThreeWay);
        h.Append(Inv, $"</table><p>Synthetic rows: {report.Marginals.Rows}</p><div class=\"charts\">");
        foreach (var (column, labels, real, synthetic) in report.OneWay)
        {
            BarChart(h, column, labels, real, synthetic);
        }

        h.Append("</div></section>");
        Heatmap(h, report);
        Utility(h, report);
        Groups(h, report);
        h.Append("</body></html>\n");
        return h.ToString();
    }

    private static void Row(StringBuilder h, string name, double value) =>
        h.Append("<tr><td>").Append(name).Append("</td><td>").Append(Fmt(value)).Append("</td></tr>");

    private static string Fmt(double value) => double.IsFinite(value) ? value.ToString("0.0000", Inv) : "n/a";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    // Side-by-side bars per cell: real (dark) and synthetic (light), heights proportional to the shares.
    private static void BarChart(StringBuilder h, string column, IReadOnlyList<string> labels, IReadOnlyList<double> real,
        IReadOnlyList<double> synthetic)
    {
        const int height = 120, bar = 7;
        var cells = labels.Count;
        var width = Math.Max(160, (cells * ((2 * bar) + 4)) + 20);
        var max = Math.Max(1e-12, Math.Max(real.Max(), synthetic.Max()));
        h.Append(Inv, $"<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height + 20}\" role=\"img\" ")
            .Append("aria-label=\"").Append(E(column)).Append("\">");
        for (var i = 0; i < cells; i++)
        {
            var x = 10 + (i * ((2 * bar) + 4));
            var hr = real[i] / max * height;
            var hs = synthetic[i] / max * height;
            h.Append(Inv, $"<rect x=\"{x}\" y=\"{height - hr:0.#}\" width=\"{bar}\" height=\"{hr:0.#}\" fill=\"#1f4e79\">")
                .Append("<title>").Append(E(labels[i])).Append(Inv, $" real {real[i]:0.####}</title></rect>");
            h.Append(Inv, $"<rect x=\"{x + bar}\" y=\"{height - hs:0.#}\" width=\"{bar}\" height=\"{hs:0.#}\" fill=\"#9dc3e6\">")
                .Append("<title>").Append(E(labels[i])).Append(Inv, $" synthetic {synthetic[i]:0.####}</title></rect>");
        }

        h.Append(Inv, $"<line x1=\"8\" y1=\"{height}\" x2=\"{width - 5}\" y2=\"{height}\" stroke=\"#444\"/>")
            .Append("</svg><figcaption>").Append(E(column)).Append(" (dark: real, light: synthetic)</figcaption></figure>");
    }

    private static void Heatmap(StringBuilder h, EvaluationReport report)
    {
        var names = report.OneWay.Select(o => o.Column).ToArray();
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        const int cell = 22, left = 120, top = 4;
        var (width, height) = (left + (names.Length * cell) + 10, top + (names.Length * cell) + 10);
        h.Append("<section id=\"association\"><h2>Association differences</h2>");
        h.Append("<p>|real − synthetic| in Cramér's V (pairs with a categorical column) or Spearman's rho (numeric pairs); ")
            .Append(Inv, $"mean {Fmt(report.Association.MeanCramersVDifference)} (V), {Fmt(report.Association.MeanSpearmanDifference)} (rho).</p>");
        h.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"association heat map\">");
        for (var i = 0; i < names.Length; i++)
        {
            h.Append(Inv, $"<text x=\"{left - 4}\" y=\"{top + (i * cell) + 15}\" font-size=\"11\" text-anchor=\"end\">")
                .Append(E(names[i])).Append("</text>");
        }

        foreach (var p in report.Association.Pairs)
        {
            var (a, b) = (index[p.First], index[p.Second]);
            // Full red at a difference of 0.2 or more: larger gaps are rare and all equally alarming.
            var shade = (int)Math.Round(255 * (1 - Math.Clamp(p.Difference / 0.2, 0, 1)));
            foreach (var (r, c) in new[] { (a, b), (b, a) })
            {
                h.Append(Inv, $"<rect x=\"{left + (c * cell)}\" y=\"{top + (r * cell)}\" width=\"{cell - 1}\" height=\"{cell - 1}\" ")
                    .Append(Inv, $"fill=\"rgb(255,{shade},{shade})\"><title>").Append(E(p.First)).Append(" × ").Append(E(p.Second))
                    .Append(Inv, $": {p.Difference:0.###}</title></rect>");
            }
        }

        h.Append("</svg></section>");
    }

    private static void Utility(StringBuilder h, EvaluationReport report)
    {
        h.Append("<section id=\"utility\"><h2>Downstream utility</h2>");
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
                .Append("</td><td>").Append(Fmt(t1)).Append("</td><td>").Append(Fmt(r1)).Append("</td><td>").Append(Fmt(t2))
                .Append("</td><td>").Append(Fmt(r2)).Append("</td><td>").Append(Fmt(u.Ratio)).Append("</td><td>")
                .Append(Fmt(u.ImportanceAgreement)).Append("</td></tr>");
        }

        h.Append("</table></section>");
    }

    private static void Groups(StringBuilder h, EvaluationReport report)
    {
        h.Append("<section id=\"groups\"><h2>Subgroups</h2>");
        if (report.Groups.Count == 0)
        {
            h.Append("<p>No group columns were given.</p></section>");
            return;
        }

        h.Append("<table><tr><th>column</th><th>group</th><th>real share</th><th>synthetic share</th><th>mean TVD within group</th>")
            .Append("<th>test rows</th><th>TSTR</th><th>TRTR</th><th>flag</th></tr>");
        foreach (var (column, groups) in report.Groups.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var g in groups)
            {
                var flag = (g.UnderRepresented ? "under-represented " : string.Empty) + (g.UtilityGap ? "utility gap" : string.Empty);
                h.Append("<tr><td>").Append(E(column)).Append("</td><td>").Append(E(g.Group)).Append("</td><td>")
                    .Append(Fmt(g.RealShare)).Append("</td><td>").Append(Fmt(g.SyntheticShare)).Append("</td><td>")
                    .Append(Fmt(g.MeanConditionalTvd)).Append(Inv, $"</td><td>{g.TestRows}</td><td>").Append(Fmt(g.TstrAccuracy))
                    .Append("</td><td>").Append(Fmt(g.TrtrAccuracy)).Append("</td><td class=\"flag\">").Append(flag.Trim())
                    .Append("</td></tr>");
            }
        }

        h.Append("</table></section>");
    }
}
