using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Tests.Audits;

public sealed class NearestNeighbourIndexTests
{
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void NearestAndSecondNearestEqualABruteForceScan(int seed)
    {
        var random = new Random(seed);

        // Small domains give many ties and duplicates; a special (missing) cell exercises the categorical fallback.
        var domain = new Domain(["a", "b", "c", "d", "e"], [7, 3, 11, 5, 2]);
        var spec = new DistanceSpec(
            domain,
            [ColumnMetric.Ordered(7, specialCells: 1), ColumnMetric.Categorical(3), ColumnMetric.Ordered(11),
                ColumnMetric.Categorical(5), ColumnMetric.Ordered(2)]);
        var distance = new GowerDistance(spec);
        var reference = RandomTable(domain, random.Next(1, 400), random);
        var queries = RandomTable(domain, 300, random);
        var index = new NearestNeighbourIndex(reference, distance);

        var nearest = index.Nearest(queries);
        var (first, second) = index.TwoNearest(queries);
        var exact = index.ExactMatchCounts(queries);

        for (var q = 0; q < queries.RowCount; q++)
        {
            var all = new double[reference.RowCount];
            var equal = 0;
            for (var r = 0; r < all.Length; r++)
            {
                all[r] = distance.Distance(queries, q, reference, r);
                equal += Enumerable.Range(0, domain.Count).All(c => queries[q, c] == reference[r, c]) ? 1 : 0;
            }

            Array.Sort(all);
            Assert.Equal(all[0], nearest[q]);
            Assert.Equal(all[0], first[q]);
            Assert.Equal(all.Length > 1 ? all[1] : 1.0, second[q]);
            Assert.Equal(equal, exact[q]);
        }
    }

    [Fact]
    public void AWideTreeStillGivesExactAnswers()
    {
        // Large columns make a wide prefix tree, so the bound-based skipping of subtrees is exercised.
        var random = new Random(7);
        var domain = new Domain(["a", "b", "c", "d"], [40, 30, 60, 9]);
        var spec = DistanceSpec.WithOrdered(domain, ["c"]);
        var distance = new GowerDistance(spec);
        var reference = RandomTable(domain, 3000, random);
        var queries = RandomTable(domain, 200, random);
        var index = new NearestNeighbourIndex(reference, distance);
        Assert.True(index.NodeCount > 3000, $"{index.NodeCount} nodes");

        var (first, second) = index.TwoNearest(queries);

        for (var q = 0; q < queries.RowCount; q++)
        {
            var all = Enumerable.Range(0, reference.RowCount).Select(r => distance.Distance(queries, q, reference, r)).Order().ToArray();
            Assert.Equal(all[0], first[q]);
            Assert.Equal(all[1], second[q]);
        }
    }

    [Fact]
    public void RandomDomainsAndMetricsGiveExactAnswers()
    {
        // 1 to 6 columns of 1 to 12 cells, each ordered (with 0 to 2 special cells) or categorical.
        var random = new Random(8);
        for (var trial = 0; trial < 40; trial++)
        {
            var columns = random.Next(1, 7);
            var sizes = Enumerable.Range(0, columns).Select(_ => random.Next(1, 13)).ToArray();
            var domain = new Domain(sizes.Select((_, i) => $"x{i}"), sizes);
            var metrics = sizes.Select(size => random.Next(2) == 0
                ? ColumnMetric.Categorical(size)
                : ColumnMetric.Ordered(size, random.Next(Math.Min(2, size) + 1)));
            var distance = new GowerDistance(new DistanceSpec(domain, metrics));
            var reference = RandomTable(domain, random.Next(1, 60), random);
            var queries = RandomTable(domain, 40, random);

            var (first, second) = new NearestNeighbourIndex(reference, distance).TwoNearest(queries);

            for (var q = 0; q < queries.RowCount; q++)
            {
                var all = Enumerable.Range(0, reference.RowCount).Select(r => distance.Distance(queries, q, reference, r)).Order().ToArray();
                Assert.Equal(all[0], first[q]);
                Assert.Equal(all.Length > 1 ? all[1] : 1.0, second[q]);
            }
        }
    }

    [Fact]
    public void ASingleReferenceRowHasNoSecondNeighbour()
    {
        var domain = new Domain(["a", "b"], [3, 4]);
        var reference = new EncodedTable(domain, [EncodedColumn.FromCodes(3, [1]), EncodedColumn.FromCodes(4, [2])]);
        var queries = new EncodedTable(domain, [EncodedColumn.FromCodes(3, [1, 0]), EncodedColumn.FromCodes(4, [2, 2])]);
        var index = new NearestNeighbourIndex(reference, new GowerDistance(DistanceSpec.AllCategorical(domain)));

        var (first, second) = index.TwoNearest(queries);

        Assert.Equal([0.0, 0.5], first);
        Assert.Equal([1.0, 1.0], second);
    }

    [Fact]
    public void AnEmptyReferenceIsRefused()
    {
        var domain = new Domain(["a"], [3]);
        var empty = new EncodedTable(domain, [EncodedColumn.FromCodes(3, [])]);
        Assert.Throws<ArgumentException>(() => new NearestNeighbourIndex(empty, new GowerDistance(DistanceSpec.AllCategorical(domain))));
    }

    internal static EncodedTable RandomTable(Domain domain, int rows, Random random)
    {
        var columns = new EncodedColumn[domain.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var codes = new int[rows];
            for (var r = 0; r < rows; r++)
            {
                // Skewed codes, so that duplicates and near ties are common.
                codes[r] = Math.Min(domain.Size(c) - 1, (int)(domain.Size(c) * Math.Pow(random.NextDouble(), 2)));
            }

            columns[c] = EncodedColumn.FromCodes(domain.Size(c), codes);
        }

        return new EncodedTable(domain, columns);
    }
}
