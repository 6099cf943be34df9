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
        var sorted = new int[rows];
        foreach (var b in keys)
        {
            var column = codes[b]!;
            var start = new int[domain.Size(b) + 1];
            foreach (var r in order)
            {
                start[column[r] + 1]++;
            }

            for (var v = 0; v < domain.Size(b); v++)
            {
                start[v + 1] += start[v];
            }

            foreach (var r in order)
            {
                sorted[start[column[r]]++] = r;
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

        var filled = 0;
        for (var v = 0; v < allocation.Length; v++)
        {
            var copies = allocation[v];
            var offset = random.NextDouble();
            for (var j = 0; j < copies; j++)
            {
                values[filled] = v;
                keys[filled++] = (j + offset) / copies;
            }
        }

        if (filled != values.Length)
        {
            throw new ArgumentException("The allocation does not sum to the number of values.", nameof(values));
        }

        keys.Sort(values);
    }
}
