using System.Text;
using static DPSynth.Reporting.Html;

namespace DPSynth.Reporting;

/// <summary>
/// Small inline SVG charts for the HTML reports: bar charts (one or more series per cell, negative values below a zero
/// line) and heat maps. Every label goes through <see cref="Html.E"/>; full labels and values sit in <c>&lt;title&gt;</c>
/// tooltips, so a chart stays readable when its axis labels are shortened.
/// </summary>
internal static class SvgCharts
{
    private const int PlotHeight = 120;
    private const int Top = 10;
    private const int Left = 52;
    private const int AxisLabelChars = 12;
    private const int HeatLabelChars = 16;

    // More cells than this and the axis labels would overlap: only the tooltips name them.
    private const int MaxLabelledCells = 40;

    /// <summary>Appends a bar chart with one group of bars per cell, one bar per series.</summary>
    /// <exception cref="ArgumentException">A series does not have one value per label.</exception>
    public static void BarChart(StringBuilder h, string ariaLabel, IReadOnlyList<string> labels, IReadOnlyList<BarSeries> series)
    {
        var cells = labels.Count;
        if (series.Count == 0 || series.Any(s => s.Values.Count != cells))
        {
            throw new ArgumentException($"Every series needs one value per cell ({cells}).", nameof(series));
        }

        var bar = series.Count == 1 ? (cells > 30 ? 6 : 12) : (cells > 30 ? 4 : 7);
        var group = (bar * series.Count) + 4;
        var labelled = cells <= MaxLabelledCells;
        var (lo, hi) = (0.0, 0.0);
        foreach (var v in series.SelectMany(s => s.Values).Where(double.IsFinite))
        {
            (lo, hi) = (Math.Min(lo, v), Math.Max(hi, v));
        }

        if (hi - lo <= 0)
        {
            hi = 1;
        }

        var scale = PlotHeight / (hi - lo);
        var zero = Top + (hi * scale);
        var width = Math.Max(180, Left + (cells * group) + 10);
        var height = Top + PlotHeight + (labelled ? 6 * (AxisLabelChars + 1) : 0) + 8;
        h.Append(Inv, $"<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"")
            .Append(E(ariaLabel)).Append("\">");
        var format = series[0].Format;
        AxisText(h, Top + 4, format(hi));
        if (lo < 0)
        {
            AxisText(h, zero + 4, "0");
            AxisText(h, Top + PlotHeight, format(lo));
        }

        for (var i = 0; i < cells; i++)
        {
            var x0 = Left + (i * group);
            for (var s = 0; s < series.Count; s++)
            {
                var v = series[s].Values[i];
                var length = double.IsFinite(v) ? Math.Abs(v) * scale : 0;
                var y = v >= 0 ? zero - length : zero;
                h.Append(Inv, $"<rect x=\"{x0 + (s * bar)}\" y=\"{Px(y)}\" width=\"{bar}\" height=\"{Px(length)}\" fill=\"")
                    .Append(v < 0 ? series[s].NegativeFill : series[s].Fill).Append("\"><title>").Append(E(labels[i]))
                    .Append(": ")
                    .Append(E(series[s].Format(v))).Append(" (").Append(E(series[s].Name)).Append(")</title></rect>");
            }

            if (labelled)
            {
                var cx = x0 + ((group - 4) / 2.0);
                h.Append(Inv, $"<text transform=\"translate({Px(cx)},{Top + PlotHeight + 4}) rotate(-90)\" text-anchor=\"end\" ")
                    .Append("dominant-baseline=\"middle\" font-size=\"10\">").Append(E(Short(labels[i], AxisLabelChars)))
                    .Append("<title>").Append(E(labels[i])).Append("</title></text>");
            }
        }

        h.Append(Inv, $"<line x1=\"{Left - 2}\" y1=\"{Px(zero)}\" x2=\"{width - 4}\" y2=\"{Px(zero)}\" stroke=\"#444\"/>")
            .Append(Inv, $"<line x1=\"{Left - 2}\" y1=\"{Top}\" x2=\"{Left - 2}\" y2=\"{Top + PlotHeight}\" stroke=\"#999\"/>")
            .Append("</svg>");
    }

    /// <summary>
    /// Appends a heat map: one square per (row, column) cell, filled by <paramref name="fill"/>; cells whose value is
    /// null are left blank (a diagonal, say).
    /// </summary>
    public static void HeatMap(
        StringBuilder h, string ariaLabel, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        Func<int, int, double?> value, Func<double, string> fill, Func<int, int, double, string> tooltip)
    {
        var (rows, columns) = (rowLabels.Count, columnLabels.Count);
        var cell = Math.Max(rows, columns) > 20 ? 12 : 22;
        var left = 10 + (7 * Math.Min(HeatLabelChars, rowLabels.DefaultIfEmpty(string.Empty).Max(l => l.Length)));
        var top = 10 + (7 * Math.Min(HeatLabelChars, columnLabels.DefaultIfEmpty(string.Empty).Max(l => l.Length)));
        var (width, height) = (left + (columns * cell) + 10, top + (rows * cell) + 10);
        h.Append(Inv, $"<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"")
            .Append(E(ariaLabel)).Append("\">");
        for (var r = 0; r < rows; r++)
        {
            h.Append(Inv, $"<text x=\"{left - 4}\" y=\"{top + (r * cell) + (cell / 2)}\" font-size=\"11\" text-anchor=\"end\" ")
                .Append("dominant-baseline=\"middle\">").Append(E(Short(rowLabels[r], HeatLabelChars))).Append("<title>")
                .Append(E(rowLabels[r])).Append("</title></text>");
        }

        for (var c = 0; c < columns; c++)
        {
            h.Append(Inv, $"<text transform=\"translate({left + (c * cell) + (cell / 2)},{top - 4}) rotate(-90)\" ")
                .Append("font-size=\"11\" dominant-baseline=\"middle\">").Append(E(Short(columnLabels[c], HeatLabelChars)))
                .Append("<title>").Append(E(columnLabels[c])).Append("</title></text>");
        }

        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (value(r, c) is not { } v)
                {
                    continue;
                }

                h.Append(Inv, $"<rect x=\"{left + (c * cell)}\" y=\"{top + (r * cell)}\" ")
                    .Append(Inv, $"width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"").Append(fill(v)).Append("\"><title>")
                    .Append(E(tooltip(r, c, v))).Append("</title></rect>");
            }
        }

        h.Append("</svg>");
    }

    /// <summary>
    /// White at zero, deepening blue for positive values and red for negative ones, full at |value| = <paramref name="full"/>.
    /// </summary>
    public static string Diverging(double value, double full)
    {
        var t = full > 0 && double.IsFinite(value) ? Math.Clamp(Math.Abs(value) / full, 0, 1) : 0;
        var fade = (int)Math.Round(255 * (1 - t));
        return value < 0
            ? string.Create(Inv, $"rgb(255,{fade},{fade})")
            : string.Create(Inv, $"rgb({fade},{(int)Math.Round(255 - (t * 125))},255)");
    }

    /// <summary>White at zero to full red at <paramref name="full"/> or more; grey when the value is not finite.</summary>
    public static string WhiteToRed(double value, double full)
    {
        if (!double.IsFinite(value) || !(full > 0))
        {
            return "#ddd";
        }

        var shade = (int)Math.Round(255 * (1 - Math.Clamp(value / full, 0, 1)));
        return string.Create(Inv, $"rgb(255,{shade},{shade})");
    }

    private static void AxisText(StringBuilder h, double y, string text) =>
        h.Append(Inv, $"<text x=\"{Left - 6}\" y=\"{Px(y)}\" font-size=\"10\" text-anchor=\"end\">").Append(E(text))
            .Append("</text>");
}
