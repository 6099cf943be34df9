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
    /// <remarks>
    /// Both assignments keep this bound. The stratified one (the default) also keeps each attribute's joint with the
    /// most significant stratum attribute s (the smallest domain among the drawn attributes outside its clique): every
    /// (group, s-value) block of n_gs rows holds within 2 + |a| of n_gs * P(v | g) rows of each value v
    /// (<see cref="StratifiedRows.Interleave"/>'s run bound plus the rounding bound), where a shuffle is off by about
    /// sqrt(n_gs).
    /// </remarks>
    [Property(MaxTest = 40)]
    public void SampledMarginalsMatchTheModelWithinTheRoundingBound(int seed)
    {
        foreach (var assignment in new[] { RowAssignment.Shuffled, RowAssignment.Stratified })
        {
            CheckRoundingBound(seed, assignment);
        }
    }

    private static void CheckRoundingBound(int seed, RowAssignment assignment)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed);
        var tree = new JunctionTree(domain, cliques);
        var model = GraphicalModel.FromPotentials(tree, RandomModels.RandomPotentials(rng, domain, cliques), 1.0);
        var rows = rng.Next(0, 3000);
        var sample = RowSampler.Sample(model, rows, new Random(seed), assignment);
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

            var outside = drawn.Where(b => !joint.Contains(b)).ToArray();
            if (assignment == RowAssignment.Stratified && outside.Length > 0)
            {
                var s = outside.OrderBy(domain.Size).ThenBy(b => b).First();
                CheckStratumBound(domain, sample, model, parents, s, a);
            }

            drawn.Add(a);
        }
    }

    // |n(g, s, v) - n(g, s) P(v | g)| < 2 + |a| for every parent group g, stratum value s and value v.
    private static void CheckStratumBound(DPSynth.Schema.Domain domain, DPSynth.Data.EncodedTable sample, GraphicalModel model, Clique parents, int s, int a)
    {
        var withStratum = new Clique([.. parents.Attributes.ToArray(), s]);
        var all = new Clique([.. withStratum.Attributes.ToArray(), a]);
        var sampled = MarginalCounter.Count(sample, all);
        var sampledBlocks = MarginalCounter.Count(sample, withStratum);
        var modelJoint = model.Project(new Clique([.. parents.Attributes.ToArray(), a]));
        var modelParents = model.Project(parents);
        var digits = new int[domain.Count];
        for (var x = 0; x < sampled.Length; x++)
        {
            var rest = x;
            for (var p = all.Count - 1; p >= 0; p--)
            {
                digits[all[p]] = rest % domain.Size(all[p]);
                rest /= domain.Size(all[p]);
            }

            var g = RandomModels.CellOf(domain, parents, digits);
            var block = RandomModels.CellOf(domain, withStratum, digits);
            var conditional = modelJoint[RandomModels.CellOf(domain, new Clique([.. parents.Attributes.ToArray(), a]), digits)] / modelParents[g];
            var expected = sampledBlocks[block] * conditional;
            Assert.True(
                Math.Abs(sampled[x] - expected) < 2 + domain.Size(a) + 1e-9,
                $"attribute {a} in stratum attribute {s}: {sampled[x]} vs {expected}");
        }
    }

    /// <summary>
    /// The interleaving writes exactly the allocation, and any run of m consecutive positions holds each value v within
    /// 1 + K c_v / n of m c_v / n (K values in use, n positions): the keys of v are (j + u_v) / c_v.
    /// </summary>
    [Property(MaxTest = 100)]
    public void InterleavingSpreadsEveryValueEvenlyOverEveryRun(int seed)
    {
        var rng = new Random(seed);
        var allocation = Enumerable.Range(0, rng.Next(1, 7)).Select(_ => rng.Next(0, rng.Next(1, 40))).ToArray();
        var n = allocation.Sum();
        var values = new int[n];
        StratifiedRows.Interleave(allocation, rng, values, new double[n]);
        var used = allocation.Count(c => c > 0);
        for (var v = 0; v < allocation.Length; v++)
        {
            Assert.Equal(allocation[v], values.Count(x => x == v));
            for (var start = 0; start < n; start++)
            {
                var count = 0;
                for (var end = start; end < n; end++)
                {
                    count += values[end] == v ? 1 : 0;
                    var m = end - start + 1;
                    var share = (double)m * allocation[v] / n;
                    Assert.True(Math.Abs(count - share) <= 1 + ((double)used * allocation[v] / n) + 1e-9, $"value {v}, run {start}..{end}: {count} vs {share}");
                }
            }
        }
    }

    [Fact]
    public void StratifiedOrderSortsByTheDrawnAttributesOutsideTheCliqueSmallestDomainFirst()
    {
        var domain = new DPSynth.Schema.Domain(["a", "b", "c", "d"], [3, 2, 5, 4]);
        var rng = new Random(3);
        var rows = 500;
        int[]?[] codes = [null, Column(rng, 2, rows), Column(rng, 5, rows), Column(rng, 4, rows)];
        var order = StratifiedRows.Order(domain, codes, Clique.Of(0, 3), rows, rng);
        Assert.Equal(Enumerable.Range(0, rows), order.Order());
        for (var i = 1; i < rows; i++)
        {
            // b (2 values) is most significant, then c (5); a is not drawn and d is in the clique.
            var previous = (codes[1]![order[i - 1]], codes[2]![order[i - 1]]);
            var current = (codes[1]![order[i]], codes[2]![order[i]]);
            Assert.True(previous.CompareTo(current) <= 0, $"rows {order[i - 1]} and {order[i]} out of order");
        }
    }

    private static int[] Column(Random rng, int size, int rows) => [.. Enumerable.Range(0, rows).Select(_ => rng.Next(size))];

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
