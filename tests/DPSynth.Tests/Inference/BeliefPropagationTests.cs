using DPSynth.Inference;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using DPSynth.Schema;
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

    /// <summary>
    /// Steps handed to belief propagation (each clique's potentials written piece by piece by the kernel that first reads
    /// them, or all at once before the upward pass where a child's message reads them first) give the same potentials,
    /// marginals and <c>log Z</c>, bit for bit, as stepping every clique first; both estimators' steps. Random trees,
    /// and a tree whose root (300,000 cells) and blocked child (270,000) take theirs on two cores, with a clique whose
    /// first reader is its child's message.
    /// </summary>
    [Property(MaxTest = 40)]
    public void StepsTakenOnTheWayGiveTheBitsOfSteppingFirst(int seed, bool large, bool mix)
    {
        var (rng, domain, cliques) = large
            ? (new Random(seed), new Domain(["a", "b", "c", "d", "e"], [3, 500, 600, 4, 450]),
               new List<Clique> { Clique.Of(1, 2), Clique.Of(0, 1), Clique.Of(0, 3), Clique.Of(2, 4) })
            : RandomModels.RandomCliqueSet(seed);
        var tree = new JunctionTree(domain, cliques);
        var bp = new BeliefPropagation(tree);
        if (large)
        {
            // The shapes the case is for: the blocked two-core child, and (0,1), whose child (0,3) reads it first.
            var blockedChild = tree.MaximalCliques.IndexOf(Clique.Of(2, 4));
            Assert.True(FactorKernels.AddsMessagesInLogSumExp(tree.ChildToSeparator(blockedChild)));
            Assert.False(FactorKernels.AddsMessagesInLogSumExp(tree.ChildToSeparator(tree.MaximalCliques.IndexOf(Clique.Of(0, 1)))));
            Assert.True(tree.MaximalCliques[tree.Root].CellCount(domain) >= FactorKernels.ParallelCells);
            Assert.True(tree.MaximalCliques[blockedChild].CellCount(domain) >= FactorKernels.ParallelCells);
        }

        double[][] Random(double scale)
        {
            var arrays = BeliefPropagation.NewCliqueArrays(tree);
            foreach (var a in arrays)
            {
                for (var k = 0; k < a.Length; k++)
                {
                    a[k] = (rng.NextDouble() - 0.5) * scale;
                }
            }

            return arrays;
        }

        double[][] x = Random(50), z = Random(50), origin = Random(4), c = Random(20);
        var (w2, t, s) = (0.1 + rng.NextDouble(), 0.1 + (0.9 * rng.NextDouble()), rng.NextDouble() * 0.05);
        var stepped = BeliefPropagation.NewCliqueArrays(tree);
        var taken = BeliefPropagation.NewCliqueArrays(tree);
        var steps = new PotentialStep?[stepped.Length];
        for (var k = 0; k < stepped.Length; k++)
        {
            // NaN where the step has not written yet: a cell read before it is written would show.
            Array.Fill(taken[k], double.NaN);
            if (mix)
            {
                FactorKernels.MixGradientStep(x[k], z[k], t, w2, c[k], origin[k], s, stepped[k]);
                steps[k] = new MixGradientStepPotentials(w2, c[k]).For(x[k], z[k], t, origin[k], s, taken[k]);
            }
            else
            {
                FactorKernels.GradientStep(x[k], w2, c[k], origin[k], s, stepped[k]);
                steps[k] = new GradientStepPotentials(w2, c[k]).For(x[k], origin[k], s, taken[k]);
            }
        }

        const double total = 1000;
        var expected = BeliefPropagation.NewCliqueArrays(tree);
        var actual = BeliefPropagation.NewCliqueArrays(tree);
        var expectedLogZ = bp.Run(stepped, total, BeliefPropagation.NewCliqueArrays(tree), expected);
        var actualLogZ = bp.Run(taken, total, BeliefPropagation.NewCliqueArrays(tree), actual, steps);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLogZ), BitConverter.DoubleToInt64Bits(actualLogZ));
        for (var k = 0; k < stepped.Length; k++)
        {
            Assert.Equal(stepped[k].Select(BitConverter.DoubleToInt64Bits), taken[k].Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(expected[k].Select(BitConverter.DoubleToInt64Bits), actual[k].Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>
    /// A step must write the array belief propagation reads for its clique: a mismatch is refused before anything is
    /// written, rather than stale potentials read, for every clique of a tree (the root, a leaf, and a clique whose step is
    /// written before the upward pass because its child's message reads it first).
    /// </summary>
    [Fact]
    public void AStepForAnotherArrayIsRefused()
    {
        var domain = new Domain(["a", "b", "c", "d"], [3, 5, 6, 4]);
        var tree = new JunctionTree(domain, [Clique.Of(1, 2), Clique.Of(0, 1), Clique.Of(0, 3)]);
        var bp = new BeliefPropagation(tree);
        var first = tree.MaximalCliques.IndexOf(Clique.Of(0, 1));
        Assert.NotEqual(tree.Root, first);
        Assert.False(FactorKernels.AddsMessagesInLogSumExp(tree.ChildToSeparator(first)));
        for (var c = 0; c < tree.MaximalCliques.Length; c++)
        {
            var theta = BeliefPropagation.NewCliqueArrays(tree);
            var cells = theta[c].Length;
            var other = new double[cells];
            var steps = new PotentialStep?[theta.Length];
            steps[c] = new GradientStepPotentials(1, new double[cells]).For(new double[cells], Enumerable.Repeat(1.0, cells).ToArray(), 0.1, other);
            Assert.Throws<ArgumentException>(() => bp.Run(theta, 1, BeliefPropagation.NewCliqueArrays(tree), BeliefPropagation.NewCliqueArrays(tree), steps));
            Assert.All(other, v => Assert.Equal(0, v));
        }
    }
}
