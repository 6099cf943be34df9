using System.Globalization;
using System.Net;
using System.Text;

namespace DPSynth.Reporting;

/// <summary>
/// The shell every DPSynth HTML page shares: one inline stylesheet, no script, no external resource, and a Content
/// Security Policy that makes the browser refuse any fetch or script should one ever slip in. Plus escaping and
/// invariant number formats, so every page writes text and figures the same way.
/// </summary>
internal static class Html
{
    /// <summary>Numbers are always written invariantly (a decimal point, an ASCII minus).</summary>
    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // default-src 'none' blocks scripts, images, fonts and frames from anywhere; only the inline stylesheet may apply.
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";

    private const string Stylesheet =
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}" +
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}" +
        "th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}#budget-table th{background:#e3ecf6}" +
        ".facts td{text-align:left}td.tvd{text-align:left;max-width:28em}" +
        ".warn{background:#fff3cd;padding:.8em;border:1px solid #e0c36b}" +
        ".banner{background:#b00020;color:#fff;padding:.8em;font-weight:bold;font-size:1.1em}" +
        ".note{background:#eef5fb;padding:.8em;border:1px solid #9dc3e6}" +
        ".flag,.fail{color:#b00020;font-weight:bold}.pass{color:#1b6e20;font-weight:bold}" +
        ".charts{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}figure{margin:0}" +
        "figcaption{font-size:.9em;max-width:420px}svg text{font-family:system-ui,sans-serif}";

    /// <summary>Starts a page with the given title (escaped) and returns the builder to append the body to.</summary>
    public static StringBuilder Begin(string title)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">")
            .Append("<title>").Append(E(title)).Append("</title><style>").Append(Stylesheet).Append("</style></head><body>");
        return h;
    }

    /// <summary>Closes the page started by <see cref="Begin"/>.</summary>
    public static string End(StringBuilder h)
    {
        h.Append("</body></html>\n");
        return h.ToString();
    }

    /// <summary>HTML-escapes text for an element or a double-quoted attribute (<c>&lt; &gt; &amp; " '</c>).</summary>
    public static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A figure with four decimals, or <c>n/a</c> when it is not finite.</summary>
    public static string Fixed4(double value) => double.IsFinite(value) ? value.ToString("0.0000", Inv) : "n/a";

    /// <summary>A figure with six significant digits (privacy parameters), or <c>n/a</c>.</summary>
    public static string G6(double value) => double.IsFinite(value) ? value.ToString("G6", Inv) : "n/a";

    /// <summary>A count, rounded to an integer (noisy counts are integers; merged cells are sums of them).</summary>
    public static string Count(double value) => double.IsFinite(value) ? Math.Round(value).ToString("0", Inv) : "n/a";

    /// <summary>An SVG coordinate or length with at most one decimal.</summary>
    public static string Px(double value) => value.ToString("0.#", Inv);

    /// <summary>Appends a row of a <c>table.facts</c>: a header cell (escaped) and an already-escaped value.</summary>
    public static void KeyRow(StringBuilder h, string key, string escapedValue) =>
        h.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(escapedValue).Append("</td></tr>");

    /// <summary>Shortens a label for a chart axis (the full label stays in the tooltip).</summary>
    public static string Short(string label, int max) =>
        label.Length <= max ? label : string.Concat(label.AsSpan(0, max - 1), "…");
}
