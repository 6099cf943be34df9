using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// The error for a CSV header that lacks schema columns: the names the header does hold (header names are not row
/// data, so the console may show them) and the near misses that are cheap to spot: a header that another delimiter
/// would split into the schema's names, and names that match but for spaces around them, a byte-order mark in front
/// or letter case.
/// </summary>
internal static class HeaderMismatch
{
    /// <summary>The delimiters a header is split with when its own does not find the schema's names.</summary>
    private static readonly string[] Delimiters = [",", ";", "\t", "|"];

    /// <summary>At most this many near misses of one kind are named.</summary>
    private const int MaxShown = 5;

    /// <summary>How a header name nearly matches a schema column.</summary>
    private enum Miss
    {
        Spaces,
        ByteOrderMark,
        Case,
    }

    /// <summary>The message for <paramref name="absent"/> schema columns, given the <paramref name="header"/> as read.</summary>
    public static string Describe(IReadOnlyList<string> absent, IReadOnlyList<string> header, CsvOptions csv)
    {
        var joined = string.Join(csv.Delimiter, header);
        var delimiter = Array.Find(
            Delimiters,
            d => d != csv.Delimiter && absent.All(new HashSet<string>(joined.Split(d).Select(n => n.Trim()), StringComparer.Ordinal).Contains));
        if (delimiter is not null)
        {
            return Messages.CsvColumnsNotInHeader(absent, header, [Messages.CsvHeaderHintDelimiter(delimiter)]);
        }

        var misses = absent.Select(column => NearMiss(column, header, csv.Trim)).OfType<(Miss Kind, string Found, string Column)>();
        var hints = misses.GroupBy(m => m.Kind).OrderBy(g => g.Key).Select(g =>
        {
            var pairs = g.Take(MaxShown).Select(m => (m.Found, m.Column)).ToList();
            var more = g.Count() > MaxShown;
            return g.Key switch
            {
                Miss.Spaces => Messages.CsvHeaderHintSpaces(pairs, more),
                Miss.ByteOrderMark => Messages.CsvHeaderHintByteOrderMark(pairs, more),
                _ => Messages.CsvHeaderHintCase(pairs, more),
            };
        });
        return Messages.CsvColumnsNotInHeader(absent, header, hints);
    }

    /// <summary>What the header holds that nearly names <paramref name="column"/>, or null.</summary>
    private static (Miss Kind, string Found, string Column)? NearMiss(string column, IReadOnlyList<string> header, bool trimmed)
    {
        foreach (var name in header)
        {
            var bare = name.Trim();
            if (!trimmed && bare == column)
            {
                return (Miss.Spaces, name, column);
            }

            if (bare.TrimStart('\uFEFF').Trim() == column)
            {
                return (Miss.ByteOrderMark, name, column);
            }

            if (string.Equals(bare, column, StringComparison.OrdinalIgnoreCase))
            {
                return (Miss.Case, name, column);
            }
        }

        return null;
    }
}
