using DPSynth.Marginals;
using DPSynth.Schema;
using FsCheck;
using FsCheck.Xunit;

namespace DPSynth.Tests.Marginals;

/// <summary>
/// The public coarsening of AIM's coarse candidates (docs/privacy.md section 12.3): contiguous groups of near-equal
/// size, and one record moves exactly one coarse count by one (L2 sensitivity 1).
/// </summary>
public sealed class CoarseningTests
{
    [Property(MaxTest = 200)]
    public void GroupsAreContiguousAndDifferInSizeByAtMostOne(PositiveInt sizeSeed, PositiveInt groupSeed)
    {
        var size = 1 + (sizeSeed.Get % 300);
        var groups = 1 + (groupSeed.Get % size);
        var counts = new int[groups];
        var previous = 0;
        for (var code = 0; code < size; code++)
        {
            var g = Coarsening.GroupOf(code, size, groups);
            Assert.InRange(g, previous, previous + 1);
            previous = g;
            counts[g]++;
        }

        Assert.Equal(groups - 1, previous);
        Assert.True(counts.Max() - counts.Min() <= 1);
    }

    [Property(MaxTest = 100)]
    public void OneRecordMovesExactlyOneCoarseCountByOne(PositiveInt a, PositiveInt b, PositiveInt g, int seed)
    {
        var domain = new Domain(["x", "y", "z"], [2 + (a.Get % 40), 3, 2 + (b.Get % 40)]);
        var clique = Clique.Of(0, 2);
        var groups = 1 + (g.Get % 6);
        var coarse = Coarsening.For(domain, clique, groups, groups);
        if (coarse is null)
        {
            // No attribute above the group count: nothing is coarsened.
            Assert.True(domain.Size(0) <= groups && domain.Size(2) <= groups);
            return;
        }

        // The coarse marginal of a random table, with and without one more record (add/remove-one neighbours).
        var rng = new Random(seed);
        var fine = new double[clique.CellCount(domain)];
        for (var r = 0; r < 200; r++)
        {
            fine[rng.Next(fine.Length)]++;
        }

        var map = coarse.CellMap();
        var before = new double[coarse.CellCount];
        Coarsening.Aggregate(fine, map, before);
        var added = rng.Next(fine.Length);
        fine[added]++;
        var after = new double[coarse.CellCount];
        Coarsening.Aggregate(fine, map, after);

        var changes = before.Zip(after, (x, y) => y - x).ToArray();
        Assert.Equal(1, changes.Count(d => d != 0));
        Assert.Equal(1.0, changes.Sum(d => d * d));
        Assert.Equal(1.0, changes[map[added]]);
    }

    [Fact]
    public void OnlyAttributesAboveTheSizeAreCoarsened()
    {
        var domain = new Domain(["age", "sex", "hours"], [85, 2, 99]);
        Assert.Null(Coarsening.For(domain, Clique.Of(1), 20, 10));
        var coarse = Coarsening.For(domain, Clique.Of(0, 1, 2), 20, 10)!;
        Assert.Equal([85, 2, 99], coarse.Sizes.ToArray());
        Assert.Equal([10, 2, 10], coarse.Groups.ToArray());
        Assert.Equal(200, coarse.CellCount);
        Assert.Equal("85/10 x 2 x 99/10", coarse.ToString());
        Assert.Equal(coarse, new Coarsening([85, 2, 99], [10, 2, 10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Coarsening([5], [6]));
        Assert.Throws<ArgumentException>(() => new Coarsening([5, 4], [2]));
    }

    [Fact]
    public void TheCellMapIsTheProductOfTheAttributeGroups()
    {
        var coarse = new Coarsening([5, 3], [2, 3]);
        var map = coarse.CellMap();
        for (var i = 0; i < 5; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal((Coarsening.GroupOf(i, 5, 2) * 3) + j, map[(i * 3) + j]);
            }
        }
    }
}
