using DPSynth.Marginals;

namespace DPSynth.Tests.Marginals;

public sealed class CliqueTests
{
    [Fact]
    public void CliquesAreSortedAndCompareByValue()
    {
        var a = Clique.Of(3, 1, 2);
        Assert.Equal([1, 2, 3], a.Attributes.ToArray());
        Assert.Equal(Clique.Of(1, 2, 3), a);
        Assert.Equal(Clique.Of(1, 2, 3).GetHashCode(), a.GetHashCode());
        Assert.NotEqual(Clique.Of(1, 2), a);
    }

    [Fact]
    public void DuplicateOrNegativeAttributesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Clique.Of(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Clique.Of(-1));
    }

    [Fact]
    public void SetOperationsFollowTheirDefinitions()
    {
        var a = Clique.Of(0, 2, 4);
        var b = Clique.Of(2, 3);
        Assert.Equal(Clique.Of(0, 2, 3, 4), a.Union(b));
        Assert.Equal(Clique.Of(2), a.Intersect(b));
        Assert.Equal(Clique.Of(0, 4), a.Except(b));
        Assert.True(Clique.Of(0, 4).IsSubsetOf(a));
        Assert.False(b.IsSubsetOf(a));
        Assert.True(Clique.Empty.IsSubsetOf(b));
        Assert.Equal(2, a.IndexOf(4));
        Assert.Equal(-1, a.IndexOf(3));
    }
}
