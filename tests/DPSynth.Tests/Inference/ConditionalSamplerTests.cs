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

    [Fact]
    public void EvidenceAcrossCliquesIsPropagatedAndMatchesTheProjection()
    {
        // {a, d} lies in no clique of the chain: Probability propagates the evidence instead of projecting it.
        var model = ChainModel(seed: 5);
        var joint = model.Project(Clique.Of(0, 3));
        for (var a = 0; a < 3; a++)
        {
            for (var d = 0; d < 5; d++)
            {
                var expected = joint[(a * 5) + d] / model.Total;
                var evidence = new Evidence(Domain, [new(0, a), new(3, d)]);
                Assert.Equal(expected, ConditionalSampler.Probability(model, evidence), expected * 1e-11);
                Assert.Equal(expected, ConditionalSampler.ProbabilityByPropagation(model, evidence), expected * 1e-11);
            }
        }

        // Inside a clique the two paths agree too.
        var inside = new Evidence(Domain, [new(1, 2), new(2, 1)]);
        var pair = model.Project(Clique.Of(1, 2));
        Assert.Equal(pair[(2 * 2) + 1] / model.Total, ConditionalSampler.ProbabilityByPropagation(model, inside), 1e-12);
    }

    [Fact]
    public void EvidenceOnEveryAttributeOfAWideModelNeedsOnlyModelSizedMemory()
    {
        // Sixteen attributes of 100 values in a chain: the evidence's marginal would have 100^16 cells, the model
        // 15 x 10^4. The junction-tree factorisation P(x) = prod mu_C(x_C) / prod mu_S(x_S) / total^(C - S) gives the
        // answer independently.
        const int n = 16;
        var domain = new Domain([.. Enumerable.Range(0, n).Select(i => $"x{i}")], [.. Enumerable.Repeat(100, n)]);
        var random = new Random(11);
        var cliques = Enumerable.Range(0, n - 1).Select(i => Clique.Of(i, i + 1)).ToArray();
        var factors = cliques.Select(c => new Factor(domain, c, [.. Enumerable.Range(0, 10_000).Select(_ => random.NextDouble() * 3)]));
        var model = GraphicalModel.FromPotentials(new JunctionTree(domain, cliques), new CliqueVector(domain, factors), 1000);
        var codes = Enumerable.Range(0, n).Select(_ => random.Next(100)).ToArray();
        var logExpected = Math.Log(model.Project(cliques[0])[(codes[0] * 100) + codes[1]] / model.Total);
        for (var i = 1; i < n - 1; i++)
        {
            var pair = model.Project(cliques[i])[(codes[i] * 100) + codes[i + 1]];
            var single = model.Project(Clique.Of(i))[codes[i]];
            logExpected += Math.Log(pair / single);
        }

        var evidence = new Evidence(domain, Enumerable.Range(0, n).Select(i => new KeyValuePair<int, int>(i, codes[i])));
        var p = ConditionalSampler.Probability(model, evidence);
        Assert.True(p > 0);
        Assert.Equal(logExpected, Math.Log(p), 1e-9);

        // Conditioning on all but one attribute and rebalancing that one works the same way.
        var allButLast = new Evidence(domain, Enumerable.Range(0, n - 1).Select(i => new KeyValuePair<int, int>(i, codes[i])));
        var shares = new double[100];
        shares[3] = 0.5;
        shares[97] = 0.5;
        var sample = ConditionalSampler.SampleRebalanced(model, n - 1, shares, allButLast, 10, new Random(2));
        Assert.Equal(5, Enumerable.Range(0, 10).Count(r => sample[r, n - 1] == 3));
        Assert.All(Enumerable.Range(0, 10), r => Assert.Equal(codes[0], sample[r, 0]));
    }

    [Fact]
    public void ARebalancedValueTheEvidenceRulesOutAcrossCliquesIsRefused()
    {
        // d = 4 has no mass, so with a = 0 as evidence ({a, d} in no clique) a share for it is refused, naming both.
        var tree = new JunctionTree(Domain, [Clique.Of(0, 1), Clique.Of(1, 2), Clique.Of(2, 3)]);
        var values = new double[10];
        for (var c = 0; c < 2; c++)
        {
            values[(c * 5) + 4] = ConditionalSampler.LogZero;
        }

        var model = GraphicalModel.FromPotentials(tree, new CliqueVector(Domain, [new Factor(Domain, Clique.Of(2, 3), values)]), 100);
        var evidence = new Evidence(Domain, [new(0, 0)]);
        var error = Assert.Throws<InputException>(() =>
            ConditionalSampler.SampleRebalanced(model, 3, [0.5, 0, 0, 0, 0.5], evidence, 10, new Random(1)));
        Assert.Contains($"({Domain.Names[0]}=0, {Domain.Names[3]}=4)", error.Message, StringComparison.Ordinal);
        var ok = ConditionalSampler.SampleRebalanced(model, 3, [0.5, 0, 0, 0.5, 0], evidence, 10, new Random(1));
        Assert.Equal(5, Enumerable.Range(0, 10).Count(r => ok[r, 3] == 3));
    }
}
