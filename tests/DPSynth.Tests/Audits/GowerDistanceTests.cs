using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Tests.Audits;

public sealed class GowerDistanceTests
{
    private static EncodedTable Rows(Domain domain, params int[][] rows) =>
        new(domain, Enumerable.Range(0, domain.Count)
            .Select(c => EncodedColumn.FromCodes(domain.Size(c), rows.Select(r => r[c]).ToArray())));

    [Fact]
    public void OrderedColumnsUseTheBinDistanceOverTheRangeAndCategoricalColumnsMismatch()
    {
        var domain = new Domain(["age", "colour"], [11, 4]);
        var distance = new GowerDistance(DistanceSpec.WithOrdered(domain, ["age"]));
        var t = Rows(domain, [2, 1], [7, 1], [7, 3], [10, 0]);

        Assert.Equal(0.25, distance.Distance(t, 0, t, 1), 12);   // (5/10 + 0) / 2
        Assert.Equal(0.75, distance.Distance(t, 0, t, 2), 12);   // (5/10 + 1) / 2
        Assert.Equal(0.0, distance.Distance(t, 3, t, 3));
        Assert.Equal(0.9, distance.Distance(t, 0, t, 3), 12);    // (8/10 + 1) / 2
        Assert.True(distance.IsExact);
    }

    [Fact]
    public void ASpecialCellOfAnOrderedColumnIsACategoricalMismatch()
    {
        var domain = new Domain(["income"], [6]);
        var spec = new DistanceSpec(domain, [ColumnMetric.Ordered(6, specialCells: 1)]);
        var distance = new GowerDistance(spec);
        var t = Rows(domain, [0], [4], [5]);

        Assert.Equal(1.0, distance.Distance(t, 0, t, 1), 12);   // bins 0 and 4 of 5: the full range
        Assert.Equal(1.0, distance.Distance(t, 0, t, 2), 12);   // 5 is the missing cell
        Assert.Equal(1.0, distance.Distance(t, 1, t, 2), 12);
        Assert.Equal(0.0, distance.Distance(t, 2, t, 2));
    }

    [Fact]
    public void DistancesAreExactRationalsWhenTheCommonMultipleFits()
    {
        var domain = new Domain(["a", "b"], [4, 8]);
        var distance = new GowerDistance(DistanceSpec.WithOrdered(domain, ["a", "b"]));
        Assert.Equal(21, distance.UnitsPerColumn); // lcm(3, 7)
        var t = Rows(domain, [0, 0], [1, 1]);
        Assert.Equal(((1 / 3.0) + (1 / 7.0)) / 2, distance.Distance(t, 0, t, 1), 14);
    }

    [Fact]
    public void HugeCommonMultiplesFallBackToRoundedUnits()
    {
        // Prime bin counts minus one: 100 ordered columns whose lcm overflows, so units are rounded.
        int[] primes = [.. Enumerable.Range(3, 2000).Where(IsPrime).Take(100)];
        var domain = new Domain(primes.Select(p => $"x{p}"), primes.Select(p => p + 1));
        var distance = new GowerDistance(DistanceSpec.WithOrdered(domain, domain.Names));
        Assert.False(distance.IsExact);
        var t = Rows(domain, [.. primes.Select(_ => 0)], [.. primes.Select(_ => 1)]);
        var expected = primes.Sum(p => 1.0 / p) / primes.Length;
        Assert.Equal(expected, distance.Distance(t, 0, t, 1), 6);
    }

    [Fact]
    public void ASpecMustMatchTheDomain()
    {
        var domain = new Domain(["a", "b"], [4, 8]);
        Assert.Throws<ArgumentException>(() => new DistanceSpec(domain, [ColumnMetric.Categorical(4)]));
        Assert.Throws<ArgumentException>(() => new DistanceSpec(domain, [ColumnMetric.Categorical(4), ColumnMetric.Categorical(7)]));
        Assert.Throws<ArgumentException>(() => DistanceSpec.WithOrdered(domain, ["c"]));
    }

    private static bool IsPrime(int n) => n > 1 && Enumerable.Range(2, (int)Math.Sqrt(n) - 1).All(d => n % d != 0);
}
