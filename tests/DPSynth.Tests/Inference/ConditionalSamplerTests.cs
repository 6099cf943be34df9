using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Tests.Inference;

/// <remarks>
/// Models are chains (cliques {0,1}, {1,2}, {2,3}), where the "round" sampler draws each attribute given exactly one
/// parent. Then each attribute's sampled 1-way counts are within a deterministic bound of <c>n P(v | evidence)</c>: every
/// parent group's allocation is within 1 per cell, and a stochastic matrix never increases the L1 error of the parent's
/// counts, so the L1 error of any 1-way marginal is below the sum of the family cells, at most the tree's cell count
/// plus the largest attribute. The tests therefore cannot fail by chance.
/// </remarks>
public sealed class ConditionalSamplerTests
{
    private static readonly Domain Domain = new(["a", "b", "c", "d"], [3, 4, 2, 5]);

    private static GraphicalModel ChainModel(int seed, double total = 10_000)
    {
        var random = new Random(seed);
        Clique[] cliques = [Clique.Of(0, 1), Clique.Of(1, 2), Clique.Of(2, 3)];
        var tree = new JunctionTree(Domain, cliques);
        var factors = cliques.Select(c =>
        {
            var values = new double[c.CellCount(Domain)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (random.NextDouble() * 4) - 2;
            }

            return new Factor(Domain, c, values);
        });
        return GraphicalModel.FromPotentials(tree, new CliqueVector(Domain, factors), total);
    }

    private static double Bound(GraphicalModel model) => model.Tree.CellCount + Domain.Sizes.Max();

    private static int[] Counts(EncodedTable table, int attribute)
    {
        var counts = new int[table.Domain.Size(attribute)];
        for (var r = 0; r < table.RowCount; r++)
        {
            counts[table[r, attribute]]++;
        }

        return counts;
    }

    [Fact]
    public void ConditionedRowsAllCarryTheConditionAndTheOtherColumnsFollowTheConditional()
    {
        var model = ChainModel(seed: 1);
        var evidence = new Evidence(Domain, [new(0, 2), new(3, 1)]);
        const int rows = 20_000;
        var sample = ConditionalSampler.SampleConditioned(model, evidence, rows, new Random(7));
        Assert.Equal(rows, sample.RowCount);
        Assert.All(Enumerable.Range(0, rows), r => Assert.True(sample[r, 0] == 2 && sample[r, 3] == 1));

        var conditioned = ConditionalSampler.Condition(model, evidence);
        Assert.Equal(model.Total * ConditionalSampler.Probability(model, evidence), conditioned.Total, 6);
        foreach (var attribute in new[] { 1, 2 })
        {
            var p = conditioned.Project(Clique.Of(attribute));
            var counts = Counts(sample, attribute);
            var l1 = counts.Select((c, v) => Math.Abs(c - (rows * p[v] / conditioned.Total))).Sum();
            Assert.True(l1 < Bound(model), $"attribute {attribute}: L1 {l1} >= {Bound(model)}");
        }
    }

    [Fact]
    public void TheConditionalMatchesBayesRuleOnTheModelsJointMarginal()
    {
        var model = ChainModel(seed: 2);
        var joint = model.Project(Clique.Of(0, 1));
        var conditioned = ConditionalSampler.Condition(model, new Evidence(Domain, [new(0, 1)])).Project(Clique.Of(1));
        var rowSum = Enumerable.Range(0, 4).Sum(b => joint[(1 * 4) + b]);
        for (var b = 0; b < 4; b++)
        {
            Assert.Equal(joint[(1 * 4) + b] / rowSum, conditioned[b] / conditioned.Sum(), 9);
        }
    }

    [Fact]
    public void RebalancedSharesEqualTheRequestedOnesWithinOneRow()
    {
        var model = ChainModel(seed: 3);
        double[] shares = [0.1, 0.2, 0.3, 0.4];
        const int rows = 12_345;
        var sample = ConditionalSampler.SampleRebalanced(model, 1, shares, Evidence.None(Domain), rows, new Random(9));
        Assert.Equal(rows, sample.RowCount);
        var counts = Counts(sample, 1);
        for (var v = 0; v < 4; v++)
        {
            Assert.True(Math.Abs(counts[v] - (rows * shares[v])) < 1, $"value {v}: {counts[v]} vs {rows * shares[v]}");
        }

        // Within each rebalanced value, the neighbour c follows the model's conditional P(c | b = v).
        var joint = model.Project(Clique.Of(1, 2));
        for (var v = 0; v < 4; v++)
        {
            var inGroup = Enumerable.Range(0, rows).Where(r => sample[r, 1] == v).ToArray();
            var ones = inGroup.Count(r => sample[r, 2] == 1);
            var expected = inGroup.Length * joint[(v * 2) + 1] / (joint[v * 2] + joint[(v * 2) + 1]);
            Assert.True(Math.Abs(ones - expected) < Bound(model), $"value {v}: {ones} vs {expected}");
        }
    }

    [Fact]
    public void AConditionTheModelRulesOutIsRefusedNotInvented()
    {
        var tree = new JunctionTree(Domain, [Clique.Of(0, 1), Clique.Of(1, 2), Clique.Of(2, 3)]);
        var values = new double[12];
        Array.Fill(values, ConditionalSampler.LogZero);
        values[0] = 0; // only (a=0, b=0) has mass
        var model = GraphicalModel.FromPotentials(tree, new CliqueVector(Domain, [new Factor(Domain, Clique.Of(0, 1), values)]), 100);
        Assert.Equal(0.0, ConditionalSampler.Probability(model, new Evidence(Domain, [new(0, 1)])));
        var error = Assert.Throws<InputException>(() =>
            ConditionalSampler.SampleConditioned(model, new Evidence(Domain, [new(0, 1)]), 10, new Random(1)));
        Assert.Contains("zero probability", error.Message, StringComparison.Ordinal);
        // With cell labels (as a parsed --condition carries them), the message names the value, not its code.
        var labelled = Evidence.None(Domain).WithLabels((a, c) => $"{Domain.Names[a]}{c}x").With(0, 1);
        var named = Assert.Throws<InputException>(() => ConditionalSampler.SampleConditioned(model, labelled, 10, new Random(1)));
        Assert.Contains($"({Domain.Names[0]}={Domain.Names[0]}1x)", named.Message, StringComparison.Ordinal);
        var rebalanced = Assert.Throws<InputException>(() =>
            ConditionalSampler.SampleRebalanced(model, 1, [0.5, 0.5, 0, 0], Evidence.None(Domain), 10, new Random(1)));
        Assert.Contains($"({Domain.Names[1]}=1)", rebalanced.Message, StringComparison.Ordinal);
        // However small the share of an impossible value, it is refused for every seed, not only when the rounding gives
        // it a row.
        Assert.All(Enumerable.Range(0, 30), seed => Assert.Throws<InputException>(() =>
            ConditionalSampler.SampleRebalanced(model, 1, [0.999, 0.001, 0, 0], Evidence.None(Domain), 1, new Random(seed))));
        // A share of zero on the impossible values is fine: those rows are never asked for.
        var ok = ConditionalSampler.SampleRebalanced(model, 1, [1, 0, 0, 0], Evidence.None(Domain), 10, new Random(1));
        Assert.All(Enumerable.Range(0, 10), r => Assert.Equal(0, ok[r, 0]));
    }

    [Fact]
    public void SamplingWithTheSameSeedGivesTheSameRows()
    {
        var model = ChainModel(seed: 4);
        var evidence = new Evidence(Domain, [new(2, 0)]);
        var first = ConditionalSampler.SampleRebalanced(model, 0, [0.2, 0.3, 0.5], evidence, 500, new Random(5));
        var second = ConditionalSampler.SampleRebalanced(model, 0, [0.2, 0.3, 0.5], evidence, 500, new Random(5));
        for (var a = 0; a < Domain.Count; a++)
        {
            Assert.Equal(Enumerable.Range(0, 500).Select(r => first[r, a]), Enumerable.Range(0, 500).Select(r => second[r, a]));
        }
    }
}
