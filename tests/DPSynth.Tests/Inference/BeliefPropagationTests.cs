using DPSynth.Inference;
using DPSynth.Marginals;
using FsCheck.Xunit;

namespace DPSynth.Tests.Inference;

public sealed class BeliefPropagationTests
{
    [Property(MaxTest = 100)]
    public void CalibratedMarginalsEqualBruteForceMarginalsOfTheNormalizedProduct(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed);
        var potentials = RandomModels.RandomPotentials(rng, domain, cliques);
        var tree = new JunctionTree(domain, cliques, rng.Next(2) == 0 ? EliminationHeuristic.MinWeight : EliminationHeuristic.MinFill);
        const double total = 1000;
        var marginals = new BeliefPropagation(tree).Calibrate(potentials, total);
        var joint = RandomModels.Joint(domain, potentials);
        foreach (var mu in marginals)
        {
            var expected = RandomModels.Marginal(domain, joint, mu.Clique, total);
            Assert.True(RandomModels.MaxAbsDiff(expected, mu.Values) < 1e-9 * total);
        }
    }

    [Property(MaxTest = 60)]
    public void ProjectionsOfAnySubsetEqualBruteForce(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed);
        var potentials = RandomModels.RandomPotentials(rng, domain, cliques);
        var model = GraphicalModel.FromPotentials(new JunctionTree(domain, cliques), potentials, 1.0);
        var joint = RandomModels.Joint(domain, potentials);
        for (var k = 0; k < 4; k++)
        {
            // Random subsets usually span several cliques: this exercises variable elimination over the tree.
            var subset = new Clique(Enumerable.Range(0, domain.Count).Where(_ => rng.Next(2) == 0));
            Assert.True(RandomModels.MaxAbsDiff(RandomModels.Marginal(domain, joint, subset), model.Project(subset)) < 1e-9);
        }
    }

    [Fact]
    public void ExtremePotentialsGiveFiniteMessagesAndExactMarginals()
    {
        var rng = new Random(7);
        var domain = RandomModels.RandomDomain(rng, 5, 5);
        Clique[] chain = [Clique.Of(0, 1), Clique.Of(1, 2), Clique.Of(2, 3), Clique.Of(3, 4)];
        var potentials = RandomModels.RandomPotentials(rng, domain, chain, scale: 800);
        var model = GraphicalModel.FromPotentials(new JunctionTree(domain, chain), potentials, 1.0);
        var joint = RandomModels.Joint(domain, potentials);
        foreach (var c in chain)
        {
            var projected = model.Project(c);
            Assert.All(projected, v => Assert.True(double.IsFinite(v)));
            Assert.True(RandomModels.MaxAbsDiff(RandomModels.Marginal(domain, joint, c), projected) < 1e-9);
        }
    }
}
