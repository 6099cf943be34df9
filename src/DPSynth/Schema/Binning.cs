namespace DPSynth.Schema;

/// <summary>
/// The cells of a numeric (or date) column between its declared <see cref="Min"/> and <see cref="Max"/>: one cell per
/// integer value, equal-width bins, or bins between explicit edges.
/// </summary>
/// <remarks>
/// Integer bins hold whole numbers from <see cref="Lower"/> to <see cref="Upper"/>, both included. Continuous bins are
/// <c>[Lower, Upper)</c>, the last one closed at <see cref="Max"/>. Explicit edges <c>e_0 &lt; ... &lt; e_k</c> give bin
/// <c>i = [e_i, e_(i+1))</c> (last closed), cut to <c>[Min, Max]</c>; every bin must keep at least one value.
/// Built and validated by the schema reader; immutable.
/// </remarks>
public sealed class Binning
{
    private readonly double[] lowers;
    private readonly double[] uppers;

    private Binning(bool isInteger, bool isPerValue, double min, double max, double[] lowers, double[] uppers, int count)
    {
        IsInteger = isInteger;
        IsPerValue = isPerValue;
        Min = min;
        Max = max;
        this.lowers = lowers;
        this.uppers = uppers;
        Count = count;
    }

    /// <summary>True when the values are whole numbers.</summary>
    public bool IsInteger { get; }

    /// <summary>True when every integer from <see cref="Min"/> to <see cref="Max"/> has its own cell.</summary>
    public bool IsPerValue { get; }

    /// <summary>The smallest value in the domain.</summary>
    public double Min { get; }

    /// <summary>The largest value in the domain.</summary>
    public double Max { get; }

    /// <summary>The number of cells.</summary>
    public int Count { get; }

    /// <summary>The smallest value of bin <paramref name="bin"/>.</summary>
    public double Lower(int bin) => IsPerValue ? Min + CheckBin(bin) : lowers[bin];

    /// <summary>The upper bound of bin <paramref name="bin"/>: included for integers, excluded for continuous bins but the last.</summary>
    public double Upper(int bin) => IsPerValue ? Min + CheckBin(bin) : uppers[bin];

    /// <summary>One cell per integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    internal static Binning PerInteger(long min, long max) =>
        new(true, true, min, max, [], [], checked((int)(max - min + 1)));

    /// <summary><paramref name="bins"/> bins of (as near as possible) equal numbers of integers.</summary>
    internal static Binning IntegerEqualWidth(long min, long max, int bins)
    {
        // Bin of v is floor((v - min) * k / n); its first value is min + ceil(i * n / k).
        var n = max - min + 1;
        var lows = new double[bins];
        var highs = new double[bins];
        for (var i = 0; i < bins; i++)
        {
            lows[i] = min + CeilDiv((Int128)i * n, bins);
            highs[i] = min + CeilDiv((Int128)(i + 1) * n, bins) - 1;
        }

        return new Binning(true, false, min, max, lows, highs, bins);
    }

    /// <summary>Integer bins between explicit integer edges, cut to <c>[min, max]</c>; null when a bin would be empty.</summary>
    internal static Binning? IntegerEdges(long min, long max, IReadOnlyList<long> edges) =>
        FromEdges(true, min, max, [.. edges.Select(e => (double)e)]);

    /// <summary><paramref name="bins"/> equal-width real bins; null when the bins cannot be told apart in doubles.</summary>
    internal static Binning? ContinuousEqualWidth(double min, double max, int bins)
    {
        var edges = new double[bins + 1];
        for (var i = 0; i <= bins; i++)
        {
            edges[i] = i == bins ? max : min + ((max - min) * i / bins);
        }

        return ContinuousEdges(min, max, edges);
    }

    /// <summary>Real bins between explicit edges, cut to <c>[min, max]</c>; null when a bin would be empty.</summary>
    internal static Binning? ContinuousEdges(double min, double max, IReadOnlyList<double> edges) => FromEdges(false, min, max, edges);

    /// <summary>The bin holding <paramref name="value"/>, which must lie in <c>[Min, Max]</c>.</summary>
    internal int BinOf(double value)
    {
        if (IsPerValue)
        {
            return (int)(value - Min);
        }

        // The last bin whose lower bound is at most the value (lowers are strictly increasing).
        int lo = 0, hi = Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (lowers[mid] <= value)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    /// <summary>A value drawn uniformly inside bin <paramref name="bin"/> (post-processing randomness).</summary>
    internal double Draw(int bin, Random random)
    {
        var lo = Lower(bin);
        var hi = Upper(bin);
        if (IsInteger)
        {
            return random.NextInt64((long)lo, (long)hi + 1);
        }

        var value = lo + (random.NextDouble() * (hi - lo));

        // Rounding can land on the excluded upper bound, which belongs to the next bin.
        return value >= hi && bin < Count - 1 ? lo : Math.Min(value, hi);
    }

    // Int128: i * n can pass long.MaxValue for wide integer domains with many bins.
    /// <summary>Bins <c>[e_i, e_(i+1))</c> (last closed) cut to <c>[min, max]</c>; integer bins end one below the next edge.</summary>
    private static Binning? FromEdges(bool isInteger, double min, double max, IReadOnlyList<double> edges)
    {
        var k = edges.Count - 1;
        var lows = new double[k];
        var highs = new double[k];
        for (var i = 0; i < k; i++)
        {
            var last = i == k - 1;
            lows[i] = Math.Max(edges[i], min);
            highs[i] = Math.Min(isInteger && !last ? edges[i + 1] - 1 : edges[i + 1], max);

            // Integer bins hold lows..highs; a real bin needs room for a value, except a single point bin min == max.
            if (lows[i] > highs[i] || (!isInteger && lows[i] == highs[i] && k > 1))
            {
                return null;
            }
        }

        return new Binning(isInteger, false, min, max, lows, highs, k);
    }

    private static long CeilDiv(Int128 a, long b) => (long)((a + b - 1) / b);

    private int CheckBin(int bin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bin);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bin, Count);
        return bin;
    }
}
