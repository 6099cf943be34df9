using DPSynth.Inference;
using DPSynth.Marginals;
using FsCheck.Xunit;
using DPSynth.Schema;

namespace DPSynth.Tests.Inference;

public sealed class JunctionTreeTests
{
    private static void AssertIsAJunctionTree(JunctionTree tree, IEnumerable<Clique> measured)
    {
        var domain = tree.Domain;
        var m = tree.MaximalCliques.Length;
        Assert.Equal(domain.Count, tree.EliminationOrder.Distinct().Count());
        foreach (var c in measured)
        {
            Assert.True(tree.IndexOfSmallestContaining(c) >= 0, $"{c} is in no maximal clique");
        }

        // No maximal clique inside another.
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                Assert.True(i == j || !tree.MaximalCliques[i].IsSubsetOf(tree.MaximalCliques[j]));
            }
        }

        // A tree: one root, every clique reaches it, separators are intersections.
        Assert.Single(tree.Parents, p => p < 0);
        Assert.Equal(m, tree.Preorder.Distinct().Count());
        for (var i = 0; i < m; i++)
        {
            if (tree.Parents[i] >= 0)
            {
                Assert.Equal(tree.MaximalCliques[i].Intersect(tree.MaximalCliques[tree.Parents[i]]), tree.Separators[i]);
                Assert.True(tree.Preorder.IndexOf(tree.Parents[i]) < tree.Preorder.IndexOf(i));
            }
        }

        // Running intersection: the cliques holding each attribute form a connected subtree, i.e. exactly one of
        // them has its parent outside the set (or no parent). Every attribute is covered.
        for (var a = 0; a < domain.Count; a++)
        {
            var holding = Enumerable.Range(0, m).Where(i => tree.MaximalCliques[i].Contains(a)).ToList();
            Assert.NotEmpty(holding);
            var tops = holding.Count(i => tree.Parents[i] < 0 || !tree.MaximalCliques[tree.Parents[i]].Contains(a));
            Assert.Equal(1, tops);
        }

        Assert.Equal(tree.MaximalCliques.Sum(c => c.CellCount(domain)), tree.CellCount);
        Assert.Equal(8 * tree.CellCount, tree.ByteCount);
    }

    [Property(MaxTest = 100)]
    public void TreesOfRandomCliqueSetsHaveTheRunningIntersectionProperty(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed);
        foreach (var heuristic in new[] { EliminationHeuristic.MinWeight, EliminationHeuristic.MinFill })
        {
            AssertIsAJunctionTree(new JunctionTree(domain, cliques, heuristic), cliques);
        }
    }

    [Property(MaxTest = 100)]
    public void TheSizeQueryEqualsTheSizeOfTheTreeWithTheCliqueAdded(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed);
        var tree = new JunctionTree(domain, cliques);
        var extra = RandomModels.RandomCliques(rng, domain)[0];
        Assert.Equal(new JunctionTree(domain, [.. cliques, extra]).CellCount, tree.CellCountWith(extra));
        Assert.Equal(tree.CellCount, EliminationOrder.CellCountOf(domain, cliques));
    }

    [Fact]
    public void ACycleIsTriangulatedAndUnmeasuredAttributesAreSingletons()
    {
        var domain = new Domain(["a", "b", "c", "d", "e"], [2, 3, 4, 5, 6]);
        Clique[] cycle = [Clique.Of(0, 1), Clique.Of(1, 2), Clique.Of(2, 3), Clique.Of(0, 3)];
        var tree = new JunctionTree(domain, cycle);
        Assert.Contains(Clique.Of(4), tree.MaximalCliques);
        Assert.Equal(3, tree.MaximalCliques.Length);
        Assert.All(tree.MaximalCliques.Where(c => !c.Contains(4)), c => Assert.Equal(3, c.Count));
        AssertIsAJunctionTree(tree, cycle);
    }

    [Fact]
    public void MinWeightEliminatesUnmeasuredAttributesFirstAsTheReferenceDoes()
    {
        var domain = new Domain(["a", "b", "c"], [9, 2, 9]);
        var tree = new JunctionTree(domain, [Clique.Of(0, 2)]);
        Assert.Equal(1, tree.EliminationOrder[0]);
    }
}
