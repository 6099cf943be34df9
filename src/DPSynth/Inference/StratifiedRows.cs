using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// Stratified assignment for <see cref="RowSampler"/> (post-processing of the model only). The model makes an attribute
/// <c>a</c> independent of every attribute outside its clique given its parents. The "round" method gives each parent
/// group the right counts of each value of <c>a</c> but shuffles them over the group's rows, so <c>a</c>'s joint with an
/// attribute <c>b</c> outside the clique is hypergeometric around the model's: about <c>sqrt(k p (1 - p))</c> rows off
/// per cell for a group of <c>k</c> rows. Here the rows of each group are sorted by the other drawn attributes and the
/// values are interleaved evenly along that order, so every run of consecutive rows, and hence every stratum of the
/// most significant sort attribute, gets each value within about one row of its proportional share.
/// </summary>
/// <remarks>
/// The sort is lexicographic with the smallest domains most significant (their strata are the largest, so the nested
/// ones below them stay large too), after a random permutation that breaks ties. The per-group counts are unchanged, so
/// every bound of the round method still holds; only the spread of the values inside a group changes.
/// </remarks>
public static class StratifiedRows
{
    // A packed sort digit has at most this many cells (its counting array stays in cache), and at least this many may
    // be packed however few the rows.
    private const int MaxDigitCells = 1 << 16;
    private const int MinDigitCells = 1 << 10;

    /// <summary>
    /// A permutation of the <paramref name="rows"/> rows sorted by the attributes already drawn (<paramref name="codes"/> not null) outside
    /// <paramref name="clique"/>, smallest domain most significant, ties in random order.
    /// </summary>
    public static int[] Order(Domain domain, int[]?[] codes, Clique clique, int rows, Random random)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(clique);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var order = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            order[r] = r;
        }

        random.Shuffle(order);
        var keys = Enumerable.Range(0, domain.Count)
            .Where(b => codes[b] is not null && !clique.Contains(b))
            .OrderByDescending(domain.Size)
            .ThenByDescending(b => b)
            .ToArray();

        // Least significant first: each stable counting sort keeps the order of the passes before it within its buckets.
        // Consecutive keys are packed into one digit (the less significant key the low part) while the digit's cells stay
        // few: one stable pass by the packed digit is the same permutation as a pass per key, with far fewer passes.
        var sorted = new int[rows];
        var digits = keys.Length == 0 ? [] : new int[rows];
        var maxCells = Math.Clamp(rows, MinDigitCells, MaxDigitCells);
        for (var k = 0; k < keys.Length;)
        {
            Array.Clear(digits);
            long cells = 1;
            do
            {
                var column = codes[keys[k]]!;
                var stride = (int)cells;
                for (var r = 0; r < rows; r++)
                {
                    digits[r] += column[r] * stride;
                }

                cells *= domain.Size(keys[k]);
                k++;
            }
            while (k < keys.Length && cells * domain.Size(keys[k]) <= maxCells);

            // The counts do not depend on the order, so they are taken in row order: a sequential read, where following
            // the permutation read the digits at random.
            var start = new int[cells + 1];
            foreach (var d in digits)
            {
                start[d + 1]++;
            }

            for (var v = 0; v < cells; v++)
            {
                start[v + 1] += start[v];
            }

            foreach (var r in order)
            {
                sorted[start[digits[r]]++] = r;
            }

            (order, sorted) = (sorted, order);
        }

        return order;
    }

    /// <summary>
    /// Writes <c>allocation[v]</c> copies of each value <c>v</c> into <paramref name="values"/> (whose length is their sum),
    /// spread evenly: the copies of <c>v</c> sit at keys <c>(j + u_v) / allocation[v]</c>, <c>j = 0..allocation[v]-1</c>,
    /// with one uniform offset <c>u_v</c> per value, and the values are ordered by key. Any run of consecutive positions
    /// then holds each value within about one copy of its proportional share. <paramref name="keys"/> is scratch of the
    /// same length.
    /// </summary>
    public static void Interleave(ReadOnlySpan<int> allocation, Random random, Span<int> values, Span<double> keys)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (keys.Length != values.Length)
        {
            throw new ArgumentException("The keys and values differ in length.", nameof(keys));
        }

        var count = values.Length;
        var offsets = new double[allocation.Length];
        long filled = 0;
        for (var v = 0; v < allocation.Length; v++)
        {
            offsets[v] = random.NextDouble();
            filled += allocation[v];
        }

        if (filled != count)
        {
            throw new ArgumentException("The allocation does not sum to the number of values.", nameof(values));
        }

        // Ordered by key in linear time: a counting sort into count equal buckets of [0, 1), then insertion sort. The
        // bucket of a key never decreases as the key grows, and one value's keys are 1 / allocation[v] >= 1 / count
        // apart, so a bucket holds at most one key of each value and the insertion sort moves keys only within one.
        var start = new int[count + 1];
        for (var v = 0; v < allocation.Length; v++)
        {
            for (var j = 0; j < allocation[v]; j++)
            {
                start[Bucket(Key(j, offsets[v], allocation[v]), count) + 1]++;
            }
        }

        for (var b = 0; b < count; b++)
        {
            start[b + 1] += start[b];
        }

        for (var v = 0; v < allocation.Length; v++)
        {
            for (var j = 0; j < allocation[v]; j++)
            {
                var key = Key(j, offsets[v], allocation[v]);
                var at = start[Bucket(key, count)]++;
                values[at] = v;
                keys[at] = key;
            }
        }

        for (var i = 1; i < count; i++)
        {
            var key = keys[i];
            var value = values[i];
            var at = i;
            for (; at > 0 && keys[at - 1] > key; at--)
            {
                keys[at] = keys[at - 1];
                values[at] = values[at - 1];
            }

            keys[at] = key;
            values[at] = value;
        }
    }

    private static double Key(int copy, double offset, int copies) => (copy + offset) / copies;

    // Monotone in the key; a key that rounded up to 1 joins the last bucket.
    private static int Bucket(double key, int count) => Math.Min(count - 1, (int)(key * count));
}
