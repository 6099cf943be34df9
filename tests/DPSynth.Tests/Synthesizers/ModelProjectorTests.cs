using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Synthesizers;
using DPSynth.Tests.Inference;

namespace DPSynth.Tests.Synthesizers;

public sealed class ModelProjectorTests
{
    [Fact]
    public void TreeMessagesGiveTheSameMarginalsAsBruteForceOnRandomModels()
    {
        var rng = new Random(2024);
        var checkedOutside = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var domain = RandomModels.RandomDomain(rng, 3, 6);
            var cliques = RandomModels.RandomCliques(rng, domain);
            var tree = new JunctionTree(domain, cliques);
            var potentials = RandomModels.RandomPotentials(rng, domain, tree.MaximalCliques);
            var model = GraphicalModel.FromPotentials(tree, potentials, total: 1000);
            var joint = RandomModels.Joint(domain, potentials);
            var projector = new ModelProjector(model);
            foreach (var target in new[] { 1, 2, 3 }.SelectMany(k => Workload.AllKWay(domain, k).Cliques.Select(w => w.Clique)))
            {
                var expected = RandomModels.Marginal(domain, joint, target, 1000);
                Assert.True(RandomModels.MaxAbsDiff(expected, projector.Project(target)) < 1e-7, $"{target} in {tree.MaximalCliques.Length} cliques");
                if (tree.IndexOfSmallestContaining(target) < 0)
                {
                    checkedOutside++;
                }
            }
        }

        Assert.True(checkedOutside > 100, $"only {checkedOutside} cliques spanned several maximal cliques");
    }

    [Fact]
    public void ACandidateWhoseSubtreeBranchesGetsTheProductOfTheBranchMessages()
    {
        // The tree is a star: (0,1,2) joined to (0,3) by {0} and to (1,4) by {1}. The candidate (2,3,4) is rooted at
        // (0,1,2), whose two children each carry one attribute, so the root multiplies their rows.
        var rng = new Random(7);
        var domain = new Domain(["a", "b", "c", "d", "e"], [2, 3, 4, 3, 2]);
        var tree = new JunctionTree(domain, [Clique.Of(0, 1, 2), Clique.Of(0, 3), Clique.Of(1, 4)]);
        Assert.Equal(3, tree.MaximalCliques.Length);
        var potentials = RandomModels.RandomPotentials(rng, domain, tree.MaximalCliques);
        var model = GraphicalModel.FromPotentials(tree, potentials, total: 500);
        var joint = RandomModels.Joint(domain, potentials);
        var projector = new ModelProjector(model);
        foreach (var target in new[] { Clique.Of(2, 3, 4), Clique.Of(3, 4), Clique.Of(0, 3, 4), Clique.Of(2, 4) })
        {
            Assert.True(tree.IndexOfSmallestContaining(target) < 0);
            var expected = RandomModels.Marginal(domain, joint, target, 500);
            Assert.True(RandomModels.MaxAbsDiff(expected, projector.Project(target)) < 1e-9, $"{target}");
        }
    }

    [Fact]
    public void AnEmptyCliqueProjectsToTheTotal()
    {
        var domain = ChainTables.Domain;
        var tree = new JunctionTree(domain, [Clique.Of(0, 1), Clique.Of(2, 3)]);
        var model = GraphicalModel.FromPotentials(tree, CliqueVector.Zeros(domain, tree.MaximalCliques), 50);
        Assert.Equal(50, new ModelProjector(model).Project(Clique.Empty)[0], 9);
        Assert.Equal(50, new ModelProjector(model).Project(Clique.Of(1, 2)).Sum(), 9);
    }
}
