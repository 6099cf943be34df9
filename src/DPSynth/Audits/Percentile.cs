namespace DPSynth.Audits;

/// <summary>Percentiles by linear interpolation between order statistics (numpy's default, Hyndman-Fan type 7).</summary>
internal static class Percentile
{
    /// <summary>The <paramref name="percent"/>-th percentile of <paramref name="sorted"/> (ascending, non-empty).</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.Length == 1)
        {
            return sorted[0];
        }

        var h = (sorted.Length - 1) * percent / 100.0;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    /// <summary>Sorts a copy of <paramref name="values"/> and returns it.</summary>
    public static double[] Sorted(ReadOnlySpan<double> values)
    {
        var copy = values.ToArray();
        Array.Sort(copy);
        return copy;
    }
}
