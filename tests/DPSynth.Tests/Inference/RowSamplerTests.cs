using DPSynth.Inference;
using DPSynth.Marginals;
using FsCheck.Xunit;

namespace DPSynth.Tests.Inference;

public sealed class RowSamplerTests
{
    /// <summary>
    /// The rounding bound: for each attribute a with parents P (its earlier-drawn clique mates), every parent group g
    /// of n_g sampled rows holds, for each value v, n_g * P(v | g) rows up to less than 1; in particular the first
    /// attribute's counts are within 1 of n * P(v).
    /// </summary>
    [Property(MaxTest = 40)]
    public void SampledMarginalsMatchTheModelWithinTheRoundingBound(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed);
        var tree = new JunctionTree(domain, cliques);
        var model = GraphicalModel.FromPotentials(tree, RandomModels.RandomPotentials(rng, domain, cliques), 1.0);
        var rows = rng.Next(0, 3000);
        var sample = model.Sample(rows, new Random(seed));
        Assert.Equal(rows, sample.RowCount);

        var drawn = new List<int>();
        for (var k = tree.EliminationOrder.Length - 1; k >= 0; k--)
        {
            var a = tree.EliminationOrder[k];
            var parents = new Clique(drawn.Where(b => tree.MaximalCliques.Any(c => c.Contains(a) && c.Contains(b))));
            var joint = new Clique([.. parents.Attributes.ToArray(), a]);
            var sampled = MarginalCounter.Count(sample, joint);
            var sampledParents = MarginalCounter.Count(sample, parents);
            var modelJoint = model.Project(joint);
            var modelParents = model.Project(parents);
            var digits = new int[domain.Count];
            for (var x = 0; x < sampled.Length; x++)
            {
                var rest = x;
                for (var p = joint.Count - 1; p >= 0; p--)
                {
                    digits[joint[p]] = rest % domain.Size(joint[p]);
                    rest /= domain.Size(joint[p]);
                }

                var g = RandomModels.CellOf(domain, parents, digits);
                var expected = sampledParents[g] * modelJoint[x] / modelParents[g];
                Assert.True(Math.Abs(sampled[x] - expected) < 1 + 1e-9, $"attribute {a}: {sampled[x]} vs {expected}");
            }

            drawn.Add(a);
        }
    }

    [Fact]
    public void RoundingAllocatesExactlyTheCountAndFallsBackToUniformOnAZeroSlice()
    {
        var rng = new Random(1);
        var allocation = new int[4];
        RowSampler.Round(new double[] { 0.1, 0.2, 0.3, 0.4 }, 13, rng, allocation);
        Assert.Equal(13, allocation.Sum());
        for (var v = 0; v < 4; v++)
        {
            Assert.True(Math.Abs(allocation[v] - (13 * (v + 1) / 10.0)) < 1);
        }

        RowSampler.Round(new double[4], 8, rng, allocation);
        Assert.Equal([2, 2, 2, 2], allocation);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRows()
    {
        var rng = new Random(5);
        var domain = RandomModels.RandomDomain(rng, 4, 4);
        Clique[] cliques = [Clique.Of(0, 1), Clique.Of(1, 2, 3)];
        var model = GraphicalModel.FromPotentials(new JunctionTree(domain, cliques), RandomModels.RandomPotentials(rng, domain, cliques), 200);
        var a = model.Sample(new Random(9));
        var b = model.Sample(new Random(9));
        Assert.Equal(200, a.RowCount);
        for (var c = 0; c < domain.Count; c++)
        {
            Assert.Equal(Enumerable.Range(0, 200).Select(r => a[r, c]), Enumerable.Range(0, 200).Select(r => b[r, c]));
        }
    }
}
