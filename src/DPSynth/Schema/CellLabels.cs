using System.Globalization;
using DPSynth.Diagnostics;

namespace DPSynth.Schema;

/// <summary>
/// Human-readable names of a column's cells (for reports and group tables) and the reverse: which cell a value given on
/// the command line or in a policy belongs to (for conditions and rebalancing).
/// </summary>
public static class CellLabels
{
    /// <summary>
    /// The label of cell <paramref name="code"/> of <paramref name="column"/>: a category, a single integer, an integer
    /// range <c>lo-hi</c>, a real interval <c>[lo, hi)</c> (the last one closed), a date range, the missing token shown as
    /// <c>(missing)</c>, or the other token.
    /// </summary>
    public static string Label(TableSchema schema, int column, int code)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var spec = schema.Columns[column];
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, spec.CellCount);
        if (code == spec.MissingCode)
        {
            return "(missing)";
        }

        if (code == spec.OtherCode)
        {
            return schema.OtherToken;
        }

        var inv = CultureInfo.InvariantCulture;
        switch (spec)
        {
            case CategoricalColumnSpec categorical:
                return categorical.Categories[code];
            case NumericColumnSpec { Binning: var b } when b.IsInteger:
                var (lo, hi) = (b.Lower(code), b.Upper(code));
                return lo == hi ? lo.ToString(inv) : string.Create(inv, $"{lo}-{hi}");
            case NumericColumnSpec { Binning: var b }:
                var close = code == b.Count - 1 ? "]" : ")";
                return string.Create(inv, $"[{b.Lower(code):G6}, {b.Upper(code):G6}{close}");
            case DateColumnSpec date:
                var (first, last) = date.DayRange(code);
                var f = first.ToString(date.Format, inv);
                return first == last ? f : $"{f}..{last.ToString(date.Format, inv)}";
            default:
                throw new InvalidOperationException($"Unknown column kind {spec.Kind}.");
        }
    }

    /// <summary>All cell labels of <paramref name="column"/>, by code.</summary>
    public static string[] Labels(TableSchema schema, int column)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var labels = new string[schema.Columns[column].CellCount];
        for (var code = 0; code < labels.Length; code++)
        {
            labels[code] = Label(schema, column, code);
        }

        return labels;
    }

    /// <summary>
    /// The cell <paramref name="text"/> names in <paramref name="column"/>: a cell label, a value inside the declared
    /// domain (a category or alias, a number, a date), a missing token, or the other token.
    /// </summary>
    /// <exception cref="InputException">The value lies outside the column's declared domain.</exception>
    public static int Parse(TableSchema schema, int column, string text)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(text);
        var spec = schema.Columns[column];
        var labels = Labels(schema, column);
        var byLabel = Array.IndexOf(labels, text);
        if (byLabel >= 0)
        {
            return byLabel;
        }

        if (spec.Nullable && schema.MissingTokens.Contains(text))
        {
            return spec.MissingCode;
        }

        if (spec.EncodeValue(text.AsSpan().Trim(), out var code) == FieldStatus.Ok)
        {
            return code;
        }

        throw new InputException(Messages.ValueOutsideDomain(spec.Name, text, labels));
    }
}
