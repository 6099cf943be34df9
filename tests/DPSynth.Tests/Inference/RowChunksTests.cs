using DPSynth.Inference;
using DPSynth.Marginals;
using FsCheck.Xunit;

namespace DPSynth.Tests.Inference;

/// <summary>Chunked sampling (issue 15): the split of the rows and of rebalanced counts, and the faster stratified sort.</summary>
public sealed class RowChunksTests
{
    [Property(MaxTest = 200)]
    public void ChunkSizesSumToTheRowsAreAtMostTheMaximumAndDifferByAtMostOne(int seed)
    {
        var rng = new Random(seed);
        var max = rng.Next(1, 100);
        var rows = rng.Next(0, 2000);
        var sizes = RowChunks.Sizes(rows, max);
        Assert.Equal(rows, sizes.Sum());
        Assert.Equal(Math.Max(1, (rows + max - 1) / max), sizes.Length);
        Assert.All(sizes, s => Assert.InRange(s, 0, max));
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Fact]
    public void ASampleOfAtMostOneChunkIsOneChunk()
    {
        Assert.Equal([0], RowChunks.Sizes(0));
        Assert.Equal([RowChunks.MaxRows], RowChunks.Sizes(RowChunks.MaxRows));
        Assert.Equal(2, RowChunks.Sizes(RowChunks.MaxRows + 1).Length);
    }

    /// <summary>
    /// Splitting counts over chunks: each chunk's counts sum to its size, each is within one of its proportional share
    /// of what is left, none is negative, and the chunks add up to the original counts exactly.
    /// </summary>
    [Property(MaxTest = 200)]
    public void SplitCountsAddUpToTheOriginalCountsAndEachChunkToItsSize(int seed)
    {
        var rng = new Random(seed);
        var original = Enumerable.Range(0, rng.Next(1, 8)).Select(_ => rng.Next(0, 3) == 0 ? 0 : rng.Next(0, 500)).ToArray();
        var rows = original.Sum();
        var remaining = (int[])original.Clone();
        var total = new int[original.Length];
        foreach (var size in RowChunks.Sizes(rows, rng.Next(1, 300)))
        {
            var left = remaining.Sum();
            var before = (int[])remaining.Clone();
            var counts = RowChunks.SplitCounts(remaining, size, rng);
            Assert.Equal(size, counts.Sum());
            for (var v = 0; v < counts.Length; v++)
            {
                Assert.InRange(counts[v], 0, before[v]);
                var share = left == 0 ? 0 : (double)before[v] * size / left;
                Assert.True(Math.Abs(counts[v] - share) < 1 + 1e-9, $"value {v}: {counts[v]} of {before[v]}");
                Assert.Equal(before[v] - counts[v], remaining[v]);
                total[v] += counts[v];
            }
        }

        Assert.Equal(original, total);
        Assert.All(remaining, c => Assert.Equal(0, c));
    }

    /// <summary>
    /// The packed stratified sort is the same permutation as one stable counting sort per key (least significant first,
    /// smallest domain most significant), from the same shuffle: domains up to 3000 values so that keys are packed, and
    /// a key wider than a packed digit stands alone.
    /// </summary>
    [Property(MaxTest = 60)]
    public void PackedStratifiedOrderIsThePerKeyRadixSort(int seed)
    {
        var rng = new Random(seed);
        var count = rng.Next(1, 9);
        var sizes = Enumerable.Range(0, count).Select(_ => rng.Next(0, 4) == 0 ? rng.Next(1, 3000) : rng.Next(1, 40)).ToArray();
        var domain = new DPSynth.Schema.Domain([.. Enumerable.Range(0, count).Select(i => $"x{i}")], sizes);
        var rows = rng.Next(0, 3000);
        var codes = new int[]?[count];
        for (var a = 0; a < count; a++)
        {
            codes[a] = rng.Next(0, 4) == 0 ? null : [.. Enumerable.Range(0, rows).Select(_ => rng.Next(sizes[a]))];
        }

        var clique = Clique.Of(rng.Next(count));
        var orderSeed = rng.Next();
        var packed = StratifiedRows.Order(domain, codes, clique, rows, new Random(orderSeed));
        Assert.Equal(PerKeyOrder(domain, codes, clique, rows, new Random(orderSeed)), packed);
    }

    /// <summary>The linear-time interleaving orders the values exactly as sorting their keys (j + u_v) / c_v does.</summary>
    [Property(MaxTest = 200)]
    public void InterleavingOrdersTheValuesByTheirKeys(int seed)
    {
        var rng = new Random(seed);
        var allocation = Enumerable.Range(0, rng.Next(1, 12)).Select(_ => rng.Next(0, 3) == 0 ? 0 : rng.Next(0, 200)).ToArray();
        var n = allocation.Sum();
        var drawSeed = rng.Next();
        var values = new int[n];
        var keys = new double[n];
        StratifiedRows.Interleave(allocation, new Random(drawSeed), values, keys);

        var draws = new Random(drawSeed);
        var expectedKeys = new List<double>();
        var expectedValues = new List<int>();
        for (var v = 0; v < allocation.Length; v++)
        {
            var offset = draws.NextDouble();
            for (var j = 0; j < allocation[v]; j++)
            {
                expectedKeys.Add((j + offset) / allocation[v]);
                expectedValues.Add(v);
            }
        }

        var k = expectedKeys.ToArray();
        var e = expectedValues.ToArray();
        Array.Sort(k, e);
        Assert.Equal(k, keys);
        Assert.Equal(e, values);
    }

    // The sort as first written: a shuffle, then a stable counting sort per key, least significant first.
    private static int[] PerKeyOrder(DPSynth.Schema.Domain domain, int[]?[] codes, Clique clique, int rows, Random random)
    {
        var order = Enumerable.Range(0, rows).ToArray();
        random.Shuffle(order);
        var keys = Enumerable.Range(0, domain.Count)
            .Where(b => codes[b] is not null && !clique.Contains(b))
            .OrderByDescending(domain.Size)
            .ThenByDescending(b => b);
        foreach (var b in keys)
        {
            // OrderBy is a stable sort.
            order = [.. order.OrderBy(r => codes[b]![r])];
        }

        return order;
    }
}
