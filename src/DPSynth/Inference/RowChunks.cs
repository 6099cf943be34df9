namespace DPSynth.Inference;

/// <summary>
/// How a large sample is drawn a chunk at a time so memory is bounded by the chunk, not by the rows (issue 15): the rows
/// are split into near-equal chunks of at most <see cref="MaxRows"/>, and each chunk is sampled from the model with the
/// same method on its share. Post-processing of the model: splitting changes no privacy guarantee.
/// </summary>
/// <remarks>
/// A sample of at most <see cref="MaxRows"/> rows is one chunk, drawn exactly as before. For more, every rounding bound
/// of the sampler holds per chunk, so a sampled count is within one row per chunk of its share (the chunks keep the
/// total exact); a rebalanced column's counts are apportioned over the whole sample first and then split over the chunks
/// (<see cref="SplitCounts"/>), so they stay within one row of <c>rows x share</c>.
/// </remarks>
public static class RowChunks
{
    /// <summary>The most rows in one chunk (2^18: about 60 MB of the sampler's working arrays and one decoded column on 20 columns).</summary>
    public const int MaxRows = 1 << 18;

    /// <summary>
    /// The sizes of the chunks of <paramref name="rows"/> rows: <c>ceil(rows / maxRows)</c> chunks (one when
    /// <paramref name="rows"/> is 0) whose sizes differ by at most one and sum to <paramref name="rows"/>.
    /// </summary>
    public static int[] Sizes(int rows, int maxRows = MaxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var count = Math.Max(1, (int)(((long)rows + maxRows - 1) / maxRows));
        var sizes = new int[count];
        for (var k = 0; k < count; k++)
        {
            sizes[k] = (rows / count) + (k < rows % count ? 1 : 0);
        }

        return sizes;
    }

    /// <summary>
    /// Takes a chunk of <paramref name="rows"/> rows out of the <paramref name="remaining"/> counts per value (whose sum is
    /// at least <paramref name="rows"/>): each value gets its proportional share, floored, and the remainder goes to
    /// values drawn by their fractional parts (<see cref="RowSampler.Round"/>). The chunk's counts sum to
    /// <paramref name="rows"/>, none exceeds what remains, and <paramref name="remaining"/> is reduced by them; so the
    /// last chunk takes exactly what is left and the chunks add up to the original counts.
    /// </summary>
    public static int[] SplitCounts(int[] remaining, int rows, Random random)
    {
        ArgumentNullException.ThrowIfNull(remaining);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var left = remaining.Sum(c => (long)c);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, left);
        var counts = new int[remaining.Length];
        if (rows == left)
        {
            // The last chunk: everything left (no rounding, no draw).
            remaining.CopyTo(counts, 0);
            Array.Clear(remaining);
            return counts;
        }

        // A value's share is remaining[v] x rows / left < remaining[v], so its floor plus one never exceeds remaining[v];
        // Round gives a unit only to a positive fraction or, failing that, to the largest weight (which has rows left).
        var weights = remaining.Select(c => (double)c).ToArray();
        RowSampler.Round(weights, rows, random, counts);
        for (var v = 0; v < counts.Length; v++)
        {
            if (counts[v] > remaining[v])
            {
                throw new InvalidOperationException($"Value {v} was given {counts[v]} rows with only {remaining[v]} left.");
            }

            remaining[v] -= counts[v];
        }

        return counts;
    }
}
