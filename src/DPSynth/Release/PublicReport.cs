using System.Text;
using DPSynth.Reporting;
using static DPSynth.Reporting.Html;

namespace DPSynth.Release;

/// <summary>
/// The public report of a release (<c>report.html</c> inside the signed bundle): a self-contained HTML page (inline CSS
/// and SVG, no script, no external resource) showing only what <see cref="PublicReportContent"/> holds: the run, the
/// budget, the synthetic data's own 1-way marginals, the noisy measurements, the sampling note, the stated non-DP
/// disclosures and what the guarantee is. Nothing on it is computed from the real rows except through a charged mechanism
/// (privacy-details.md section 8).
/// </summary>
public static class PublicReport
{
    /// <summary>The fixed notice of every public report: what is and is not the privacy guarantee.</summary>
    public const string GuaranteeNotice =
        "Similarity metrics (distances to closest records, exact matches, membership-inference attacks) are no privacy " +
        "guarantee (Ganev and De Cristofaro 2023): the guarantee is the differential privacy accounting in the budget table " +
        "above. This report contains no figure computed from the real rows: it shows only differentially private outputs " +
        "(the noisy measurements), post-processing of them (the synthetic data and its marginals) and public facts.";

    private const string Positive = "#2f6fa7";
    private const string Negative = "#c0392b";

    /// <summary>Renders the page.</summary>
    public static string Render(PublicReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var h = Html.Begin($"DPSynth release report: {content.Header.DatasetId}");
        h.Append("<h1>Release report: ").Append(E(content.Header.DatasetId)).Append("</h1>")
            .Append("<p class=\"note\">Public report of a differentially private synthetic data release. Everything on it is ")
            .Append("a differentially private output, post-processing of one, or a public fact.</p>");
        ReportSections.Header(h, content.Header);
        ReportSections.Budget(h, content.Budget);
        SyntheticMarginals(h, content);
        Measurements(h, content);
        Sampling(h, content);
        Disclosures(h, content);
        h.Append("<section id=\"guarantee\"><h2>What the guarantee is</h2><p class=\"warn\">").Append(E(GuaranteeNotice))
            .Append("</p></section>");
        return Html.End(h);
    }

    private static void SyntheticMarginals(StringBuilder h, PublicReportContent content)
    {
        h.Append("<section id=\"synthetic-marginals\"><h2>Synthetic data: 1-way marginals</h2>")
            .Append(Inv, $"<p>Counts of each column's cells in the {content.SyntheticRows} synthetic rows.</p>")
            .Append("<div class=\"charts\">");
        foreach (var column in content.SyntheticMarginals)
        {
            h.Append("<figure class=\"chart synthetic-marginal\">");
            var counts = column.Counts.Select(c => (double)c).ToArray();
            SvgCharts.BarChart(
                h, column.Column, column.Labels, [new BarSeries("synthetic rows", counts, Positive, Negative, Count)]);
            h.Append("<figcaption>").Append(E(column.Column)).Append("</figcaption></figure>");
        }

        h.Append("</div></section>");
    }

    private static void Measurements(StringBuilder h, PublicReportContent content)
    {
        h.Append("<section id=\"measurements\"><h2>Noisy measurements</h2>")
            .Append("<p>The marginals the synthesizer measured: true counts plus discrete Gaussian noise of standard deviation ")
            .Append("sigma, each charged to the budget above. They are all the model saw of the data. Noise can make a count ")
            .Append("negative: such cells are drawn in red, below the zero line (1-way) or in red shades (2-way). ")
            .Append("Cells of rare values whose noisy count fell below the method's threshold may be merged into one.");
        if (content.Measurements.Any(m => m.Marginal.Coarsening is not null))
        {
            // Only when there is one, so reports without coarse measurements keep their bytes.
            h.Append(" Some marginals were measured on groups of neighbouring values (a public grouping that depends only on ")
                .Append("the number of values), labelled first … last.");
        }

        h.Append("</p>");
        var numbered = content.Measurements.Select((m, i) => (Number: i + 1, Measurement: m)).ToArray();
        h.Append("<h3>1-way</h3><div class=\"charts\">");
        foreach (var (number, m) in numbered.Where(p => p.Measurement.Columns.Length == 1))
        {
            h.Append("<figure class=\"chart measurement one-way\">");
            SvgCharts.BarChart(
                h, $"noisy 1-way marginal of {m.Columns[0]}", m.Labels[0],
                [new BarSeries("noisy count", m.Marginal.Values, Positive, Negative, Count)]);
            Caption(h, number, m);
        }

        h.Append("</div><h3>2-way</h3><div class=\"charts\">");
        foreach (var (number, m) in numbered.Where(p => p.Measurement.Columns.Length == 2))
        {
            h.Append("<figure class=\"chart measurement two-way\">");
            var (rows, columns) = (m.Labels[0], m.Labels[1]);
            var values = m.Marginal.Values;
            var full = values.Length == 0 ? 0 : values.Max(Math.Abs);
            SvgCharts.HeatMap(
                h, $"noisy 2-way marginal of {m.Columns[0]} and {m.Columns[1]}", rows, columns,
                (r, c) => values[(r * columns.Length) + c], v => SvgCharts.Diverging(v, full),
                (r, c, v) => $"{rows[r]} × {columns[c]}: {Count(v)}");
            Caption(h, number, m);
        }

        h.Append("</div>");
        var larger = numbered.Where(p => p.Measurement.Columns.Length is 0 or > 2).ToArray();
        if (larger.Length > 0)
        {
            h.Append("<h3>Larger marginals</h3><table id=\"larger-measurements\"><tr><th>#</th><th>columns</th><th>cells</th>")
                .Append("<th>sigma</th><th>noisy total</th></tr>");
            foreach (var (number, m) in larger)
            {
                var columns = m.Columns.Length == 0 ? "(none: the total)" : string.Join(", ", m.Columns);
                h.Append(Inv, $"<tr><td>{number}</td><td>").Append(E(columns))
                    .Append(Inv, $"</td><td>{m.Marginal.Values.Length}</td><td>").Append(E(Sigma(m))).Append("</td><td>")
                    .Append(Count(m.Marginal.TotalEstimate().Estimate)).Append("</td></tr>");
            }

            h.Append("</table>");
        }

        h.Append("</section>");
    }

    private static void Caption(StringBuilder h, int number, ReportMeasurement m) =>
        h.Append(Inv, $"<figcaption>#{number}: ").Append(E(string.Join(" × ", m.Columns))).Append(", sigma ").Append(E(Sigma(m)))
            .Append("</figcaption></figure>");

    // A per-cell std (MST's merged cell) is shown as the range of the cells' stds.
    private static string Sigma(ReportMeasurement m)
    {
        var marginal = m.Marginal;
        if (marginal.CellStd.IsEmpty)
        {
            return G6(marginal.Sigma);
        }

        var (lo, hi) = (marginal.CellStd.Min(), marginal.CellStd.Max());
        return lo == hi ? G6(lo) : $"{G6(lo)} to {G6(hi)} (merged cell)";
    }

    private static void Sampling(StringBuilder h, PublicReportContent content)
    {
        h.Append("<section id=\"sampling\"><h2>Sampling</h2>")
            .Append(Inv, $"<p>The synthetic table has {content.SyntheticRows} rows, sampled from the fitted model. Sampling is ")
            .Append("post-processing: it reads only the model and spends no privacy budget.</p>");
        if (content.SamplingChange is { } change)
        {
            h.Append("<p class=\"warn\" id=\"changed-distribution\">The distribution of ")
                .Append(E(string.Join(", ", content.ChangedColumns))).Append(" was changed on purpose (").Append(E(change))
                .Append("). In this table those columns, and their associations with the others, follow that request, not the ")
                .Append("data the model was fitted to.</p>");
        }

        h.Append("</section>");
    }

    private static void Disclosures(StringBuilder h, PublicReportContent content)
    {
        h.Append("<section id=\"disclosures\"><h2>Stated non-DP disclosures</h2>")
            .Append("<p>What this release reveals beyond the differentially private outputs; the guarantee does not cover ")
            .Append("it.</p>");
        if (content.Disclosures.IsEmpty)
        {
            h.Append("<p>None stated.</p>");
        }
        else
        {
            h.Append("<ul>");
            foreach (var d in content.Disclosures)
            {
                h.Append("<li>").Append(E(d)).Append("</li>");
            }

            h.Append("</ul>");
        }

        h.Append("</section>");
    }
}
