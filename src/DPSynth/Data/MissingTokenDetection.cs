namespace DPSynth.Data;

/// <summary>
/// Decides which texts a drafted schema reads as missing when <c>schema infer</c> is not told (<c>--missing</c>). A text
/// counts as missing only when it is one of the <see cref="CommonTokens"/>, or when it is the only text that is not a
/// number in a column whose other values are all numbers (<c>-</c> in a column of amounts, say). A schema's missing
/// tokens hold for every column, so a token found in one column is missing in all of them; the draft says where each
/// was found so the reviewer can overrule it.
/// </summary>
internal static class MissingTokenDetection
{
    /// <summary>The usual ways data sets write a missing value, in the order a tie between them is broken.</summary>
    public static IReadOnlyList<string> CommonTokens { get; } = ["", "NA", "N", "NULL", ".", "?"];

    /// <summary>True for one of <see cref="CommonTokens"/>.</summary>
    public static bool IsCommon(string text) => text is "" or "NA" or "N" or "NULL" or "." or "?";

    /// <summary>
    /// The missing tokens found in <paramref name="columns"/> (named <paramref name="names"/>), most frequent first (the
    /// first one is what decoding writes for a missing cell), each with the reason it was taken.
    /// </summary>
    public static IReadOnlyList<DetectedToken> Detect(IReadOnlyList<string> names, IReadOnlyList<ColumnProfile> columns)
    {
        var found = new Dictionary<string, Finding>(StringComparer.Ordinal);
        void Note(string token, string column, long count, string? onlyTextOf)
        {
            if (!found.TryGetValue(token, out var finding))
            {
                found[token] = finding = new Finding(IsCommon(token) ? IndexOfCommon(token) : CommonTokens.Count);
            }

            finding.Count += count;
            finding.Columns.Add(column);
            finding.OnlyTextOf ??= onlyTextOf;
        }

        for (var c = 0; c < columns.Count; c++)
        {
            var column = columns[c];
            foreach (var (text, count) in column.OtherTexts)
            {
                if (IsCommon(text))
                {
                    Note(text, names[c], count, null);
                }
            }

            // The only text besides numbers and common tokens in a column of numbers: a missing value written its own way.
            if (column.NumberCount > 0 && !column.TooManyOtherTexts)
            {
                var others = column.OtherTexts.Where(p => !IsCommon(p.Key)).ToArray();
                if (others.Length == 1)
                {
                    Note(others[0].Key, names[c], others[0].Value, names[c]);
                }
            }
        }

        return [.. found
            .OrderByDescending(p => p.Value.Count)
            .ThenBy(p => p.Value.Rank)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new DetectedToken(p.Key, p.Value.Columns, p.Value.OnlyTextOf))];
    }

    private static int IndexOfCommon(string token)
    {
        for (var i = 0; i < CommonTokens.Count; i++)
        {
            if (CommonTokens[i] == token)
            {
                return i;
            }
        }

        return CommonTokens.Count;
    }

    /// <summary>What is known of one token while the columns are read.</summary>
    private sealed class Finding(int rank)
    {
        public int Rank { get; } = rank;

        public long Count { get; set; }

        public List<string> Columns { get; } = [];

        public string? OnlyTextOf { get; set; }
    }
}

/// <summary>A missing token <see cref="MissingTokenDetection"/> found.</summary>
/// <param name="Token">The text.</param>
/// <param name="Columns">The columns it occurs in, in file order.</param>
/// <param name="OnlyTextOf">
/// The first numeric column in which it was the only text that is not a number; null when it was taken as a common token.
/// </param>
internal sealed record DetectedToken(string Token, IReadOnlyList<string> Columns, string? OnlyTextOf);
