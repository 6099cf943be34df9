using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Inference;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// Candidates are scored streaming (issue 15): true marginals kept dense or sparse, projections into reused buffers.
/// Both must give exactly the scores of the dense, one-array-per-candidate computation they replace.
/// </summary>
public sealed class StreamingScoreTests
{
    [Fact]
    public void SparseAndDenseTrueMarginalsGiveTheSameExactScores()
    {
        var rng = new Random(15);
        var domain = new Domain(["a", "b", "c"], [40, 50, 3]);
        var table = RandomTable(rng, domain, rows: 300);
        Clique[] cliques = [Clique.Of(0), Clique.Of(2), Clique.Of(0, 1), Clique.Of(0, 1, 2), Clique.Of(1, 2)];
        var truths = TrueMarginal.CountMany(table, cliques);
        for (var i = 0; i < cliques.Length; i++)
        {
            var dense = MarginalCounter.Count(table, cliques[i]);
            Assert.Equal(TrueMarginal.StoresDense(dense.Length, table.RowCount), truths[i].IsDense);
            Assert.Equal(dense, truths[i].ToDense());
            Assert.True(truths[i].ByteCount <= 8L * Math.Min(dense.Length, table.RowCount));
            for (var trial = 0; trial < 5; trial++)
            {
                // Model values around the counts, some exactly zero, some negative (rounding must agree either way).
                var model = dense.Select(x => rng.Next(4) == 0 ? 0 : x + ((rng.NextDouble() - 0.4) * 3)).ToArray();
                Assert.Equal(
                    SelectionScore.Compute(dense, model, 7.25, 3 * CandidateSet.WeightUnitsPerOne),
                    SelectionScore.Compute(truths[i], model, 7.25, 3 * CandidateSet.WeightUnitsPerOne));
            }
        }

        Assert.Contains(truths, t => !t.IsDense);
        Assert.Contains(truths, t => t.IsDense);
    }

    [Fact]
    public void ProjectionsIntoReusedScratchEqualFreshOnes()
    {
        var rng = new Random(1515);
        for (var trial = 0; trial < 20; trial++)
        {
            var domain = RandomModels.RandomDomain(rng, 3, 6);
            var tree = new JunctionTree(domain, RandomModels.RandomCliques(rng, domain));
            var model = GraphicalModel.FromPotentials(
                tree, RandomModels.RandomPotentials(rng, domain, tree.MaximalCliques), total: 1000);
            var projector = new ModelProjector(model);
            var scratch = new ModelProjector.Scratch();
            var targets = new[] { 1, 2, 3 }.SelectMany(k => Workload.AllKWay(domain, k).Cliques.Select(w => w.Clique)).ToArray();
            foreach (var target in targets.Concat(targets.Reverse()))
            {
                var reused = new double[target.CellCount(domain)];
                projector.Project(target, reused, scratch);
                Assert.Equal(projector.Project(target), reused);
            }
        }
    }

    [Fact]
    public void StreamedScoresEqualTheScoresOfWholeProjections()
    {
        var rng = new Random(151515);
        var domain = new Domain(["a", "b", "c", "d"], [30, 4, 25, 6]);
        var table = RandomTable(rng, domain, rows: 200);
        var measured = new[] { Clique.Of(0, 1), Clique.Of(1, 2), Clique.Of(3) };
        var tree = new JunctionTree(domain, measured);
        var model = GraphicalModel.FromPotentials(tree, RandomModels.RandomPotentials(rng, domain, tree.MaximalCliques), total: 200);
        var cliques = Workload.AllKWay(domain, 2).Cliques.Select(w => w.Clique).ToArray();
        var weights = cliques.Select((_, i) => (i + 1) * CandidateSet.WeightUnitsPerOne).ToArray();
        var streamed = CandidateScoring.Score(model, cliques, TrueMarginal.CountMany(table, cliques), weights, 0.75);
        var projector = new ModelProjector(model);
        for (var i = 0; i < cliques.Length; i++)
        {
            var estimate = projector.Project(cliques[i]);
            var expected = SelectionScore.Compute(
                MarginalCounter.Count(table, cliques[i]), estimate, 0.75 * estimate.Length, weights[i]);
            Assert.Equal(expected, streamed[i]);
        }
    }

    private static EncodedTable RandomTable(Random rng, Domain domain, int rows) =>
        new(domain, domain.Sizes.Select(size => EncodedColumn.FromCodes(size, [.. Enumerable.Range(0, rows).Select(_ => rng.Next(size))])));
}
