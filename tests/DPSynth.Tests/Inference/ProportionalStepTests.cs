using DPSynth.Inference;
using DPSynth.Marginals;
using FsCheck.Xunit;

namespace DPSynth.Tests.Inference;

public sealed class ProportionalStepTests
{
    private const double Total = 1000;

    /// <summary>
    /// With a negligible pseudo-count the step is exactly iterative proportional fitting on one clique: the model with
    /// the step added has the measured marginal there (scaled to the model's total), whether or not the clique was
    /// already inside one of the model's cliques.
    /// </summary>
    [Property(MaxTest = 40)]
    public void WithoutNoiseTheStepFitsTheNewMarginalExactly(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed, 2, 5);
        var clique = new Clique(Enumerable.Range(0, domain.Count).OrderBy(_ => rng.Next()).Take(rng.Next(1, Math.Min(3, domain.Count) + 1)));
        // The model lives on the tree that will hold the new clique (in AIM the estimator folds the old potentials into
        // the new tree the same way), with potentials on the old cliques only.
        var tree = new JunctionTree(domain, [.. cliques, clique]);
        var model = GraphicalModel.FromPotentials(tree, RandomModels.RandomPotentials(rng, domain, cliques, 1), Total);
        var target = Enumerable.Range(0, (int)clique.CellCount(domain)).Select(_ => 0.1 + rng.NextDouble()).ToArray();
        var scale = Total / target.Sum();
        for (var k = 0; k < target.Length; k++)
        {
            target[k] *= scale;
        }

        var step = ProportionalStep.Toward(new NoisyMarginal(clique, target, 1e-12), model.Project(clique), domain);
        var stepped = GraphicalModel.FromPotentials(tree, model.Potentials.Plus(step), Total);

        Assert.True(RandomModels.MaxAbsDiff(stepped.Project(clique), target) < 1e-6 * Total);
    }

    /// <summary>
    /// Cells whose noisy count is within the noise of zero barely move: with a pseudo-count far above every count the
    /// step is close to zero, and a negative noisy count never yields a non-finite potential.
    /// </summary>
    [Property(MaxTest = 40)]
    public void LargeNoiseDampsTheStepAndNegativeCountsStayFinite(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed, 2, 5);
        var model = GraphicalModel.FromPotentials(new JunctionTree(domain, cliques), RandomModels.RandomPotentials(rng, domain, cliques, 1), Total);
        var clique = cliques[0];
        var noisy = Enumerable.Range(0, (int)clique.CellCount(domain)).Select(_ => (rng.NextDouble() * 400) - 200).ToArray();

        var damped = ProportionalStep.Toward(new NoisyMarginal(clique, noisy, 1e9), model.Project(clique), domain);
        var sharp = ProportionalStep.Toward(new NoisyMarginal(clique, noisy, 1.0), model.Project(clique), domain);

        Assert.All(damped.Values.ToArray(), v => Assert.True(Math.Abs(v) < 1e-6, $"step {v}"));
        Assert.All(sharp.Values.ToArray(), v => Assert.True(double.IsFinite(v), $"step {v}"));
    }

    [Property(MaxTest = 40)]
    public void PlusAddsIntoAContainingFactorOrAppends(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed, 2, 5);
        var vector = RandomModels.RandomPotentials(rng, domain, cliques, 1);
        var clique = new Clique(Enumerable.Range(0, domain.Count).OrderBy(_ => rng.Next()).Take(rng.Next(1, domain.Count + 1)));
        var factor = RandomModels.RandomPotentials(rng, domain, [clique], 1)[0];

        var sum = vector.Plus(factor);

        var container = vector.FirstOrDefault(f => clique.IsSubsetOf(f.Clique));
        if (container is null)
        {
            Assert.Equal(vector.Count + 1, sum.Count);
            Assert.Equal(factor.Values.ToArray(), sum[clique].Values.ToArray());
        }
        else
        {
            Assert.Equal(vector.Count, sum.Count);
            Assert.Equal(container.Add(factor).Values.ToArray(), sum[container.Clique].Values.ToArray());
        }

        Assert.All(vector.Where(f => f != container), f => Assert.Equal(f.Values.ToArray(), sum[f.Clique].Values.ToArray()));
    }
}

/// <summary>The accelerated estimator's warm start keeps the previous model, also when the new tree changed shape.</summary>
public sealed class AcceleratedWarmStartTests
{
    /// <summary>
    /// Started from a previous model on a larger set of measured cliques, the estimator's first iterate has the previous
    /// model's marginal on every previously measured clique, whether the previous potentials fold into the new tree or
    /// (after a re-triangulation) the start is rebuilt from the previous marginals.
    /// </summary>
    [Property(MaxTest = 40)]
    public void TheStartHasThePreviousMarginals(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed, 3, 6);
        var previous = GraphicalModel.FromPotentials(new JunctionTree(domain, cliques), RandomModels.RandomPotentials(rng, domain, cliques, 1), 1000);
        var added = new Clique(Enumerable.Range(0, domain.Count).OrderBy(_ => rng.Next()).Take(rng.Next(2, Math.Min(3, domain.Count) + 1)));
        AssertStartKeeps(previous, cliques, [.. cliques, added]);
    }

    /// <summary>
    /// A 5-cycle triangulated one way, then a chord the triangulation did not have: some previous maximal clique lies in
    /// no new one, so the start must be rebuilt from the previous marginals (the case this checks is asserted first).
    /// </summary>
    [Fact]
    public void ARetriangulatedTreeStartsFromThePreviousMarginals()
    {
        var domain = new DPSynth.Schema.Domain(["a", "b", "c", "d", "e"], [2, 3, 2, 3, 2]);
        var cycle = Enumerable.Range(0, 5).Select(i => Clique.Of(i, (i + 1) % 5)).ToList();
        var previous = GraphicalModel.FromPotentials(
            new JunctionTree(domain, cycle), RandomModels.RandomPotentials(new Random(3), domain, cycle, 1), 1000);
        var rebuilt = 0;
        for (var u = 0; u < 5; u++)
        {
            {
                var cliques = new List<Clique>(cycle) { Clique.Of(u, (u + 2) % 5) };
                var tree = new JunctionTree(domain, cliques);
                if (previous.Tree.MaximalCliques.Any(old => !tree.MaximalCliques.Any(old.IsSubsetOf)))
                {
                    rebuilt++;
                }

                AssertStartKeeps(previous, cycle, cliques);
            }
        }

        Assert.True(rebuilt > 0, "no chord re-triangulated the cycle");
    }

    private static void AssertStartKeeps(GraphicalModel previous, List<Clique> measured, List<Clique> cliques)
    {
        var domain = previous.Domain;
        var measurements = cliques.Select(c => new NoisyMarginal(c, new double[c.CellCount(domain)], 1.0)).ToList();
        var start = new AcceleratedMirrorDescent(new JunctionTree(domain, cliques), measurements);
        start.WarmStart(previous);
        start.Start(previous.Total, null);
        var model = start.TakeModel();
        foreach (var old in measured)
        {
            Assert.True(RandomModels.MaxAbsDiff(model.Project(old), previous.Project(old)) < 1e-9 * previous.Total, $"{old}");
        }
    }
}
