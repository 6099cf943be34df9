namespace DPSynth.Audits;

/// <summary>Exact-match figures: how often whole rows are reproduced, against what real data gives by chance.</summary>
/// <param name="SyntheticRate">The share of synthetic rows equal to some train row.</param>
/// <param name="HoldoutBaseline">
/// The share of holdout rows equal to some train row: the rate expected from fresh rows of the real distribution.
/// </param>
public sealed record ExactMatches(double SyntheticRate, double HoldoutBaseline)
{
    /// <summary>The share of non-zero entries of <paramref name="matchCounts"/> (0 for an empty span).</summary>
    public static double RateOf(ReadOnlySpan<int> matchCounts)
    {
        if (matchCounts.IsEmpty)
        {
            return 0;
        }

        var matched = 0;
        foreach (var c in matchCounts)
        {
            matched += c > 0 ? 1 : 0;
        }

        return (double)matched / matchCounts.Length;
    }
}
