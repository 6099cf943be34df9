using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Inference;

namespace DPSynth.Tests.Synthesizers;

public sealed class SelectionScoreTests
{
    private const long One = CandidateSet.WeightUnitsPerOne;
    private static readonly Int128 Grid = 1 << SelectionScore.GridBits;

    [Fact]
    public void ScoreIsTheWeightedL1ErrorMinusThePenaltyInFixedPoint()
    {
        // |3 - 2.5| + |1 - 1.25| = 0.75; minus 0.5; weight 2.
        var score = SelectionScore.Compute([3, 1], [2.5, 1.25], 0.5, 2 * One);
        Assert.Equal(2 * One * (Grid * 3 / 4 - (Grid / 2)), score);
    }

    [Fact]
    public void AddingOneRowMovesTheScoreByAtMostTheSensitivity()
    {
        // The model marginal and penalty are fixed (public); one cell of the data moves by one.
        double[] model = [10.3, 0.2, 7.9, 4.4];
        double[] data = [10, 0, 8, 4];
        var before = SelectionScore.Compute(data, model, 3.7, 26 * One);
        var sensitivity = SelectionScore.Sensitivity(26 * One);
        for (var cell = 0; cell < data.Length; cell++)
        {
            var neighbour = (double[])data.Clone();
            neighbour[cell] += 1;
            var after = SelectionScore.Compute(neighbour, model, 3.7, 26 * One);
            Assert.True(Int128.Abs(after - before) <= sensitivity);
        }

        Assert.Equal(26 * One * Grid, sensitivity);
    }

    [Fact]
    public void NonFiniteModelValuesAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectionScore.Compute([1], [double.NaN], 0, One));

    /// <summary>
    /// docs/privacy.md section 12.3, end to end: an AIM round gives the exponential mechanism the sensitivity
    /// <c>max_r w_r</c> of the offered candidates, fine and coarse alike. Scored through the same path as a round
    /// (candidates, their true marginals, coarsened for coarse ones, streamed scores against one public model), no score
    /// may move by more than that when one row is added or removed.
    /// </summary>
    [Fact]
    public void AddingOrRemovingOneRowMovesNoFineOrCoarseScoreByMoreThanTheSensitivity()
    {
        var rng = new Random(123);
        var domain = new Domain(["a", "b", "c", "d"], [30, 4, 25, 6]);
        var options = new AimOptions { CoarseGroups = 3, CoarseAbove = 5 };
        var candidates = CandidateSet.DownwardClosure(Workload.AllKWay(domain, 3));
        var cliques = candidates.Items.Select(c => c.Clique).ToArray();
        var tree = new JunctionTree(domain, [Clique.Of(0, 1), Clique.Of(2, 3)]);
        var model = GraphicalModel.FromPotentials(tree, RandomModels.RandomPotentials(rng, domain, tree.MaximalCliques), total: 200);
        var table = RandomModels.RandomTable(rng, domain, rows: 200);

        Int128[] Scores(EncodedTable data, out long maxWeight)
        {
            var offered = AimCandidate.All(domain, candidates, TrueMarginal.CountMany(data, cliques), options);
            Assert.Contains(offered, c => c.Coarsening is not null);
            maxWeight = offered.Max(c => c.WeightUnits);
            return CandidateScoring.Score(
                model, [.. offered.Select(c => c.Clique)], [.. offered.Select(c => c.Truth)], [.. offered.Select(c => c.WeightUnits)],
                SynthesisSteps.ExpectedAbsNormal * 3.7, [.. offered.Select(c => c.CellMap)]);
        }

        var before = Scores(table, out var weight);
        var sensitivity = SelectionScore.Sensitivity(weight);
        for (var trial = 0; trial < 20; trial++)
        {
            // Remove one row, and add one row with random codes.
            var removed = rng.Next(table.RowCount);
            var kept = Enumerable.Range(0, table.RowCount).Where(r => r != removed).ToArray();
            var added = RandomModels.RandomTable(rng, domain, rows: 1);
            foreach (var neighbour in new[] { table.SelectRows(kept), Append(table, added) })
            {
                Assert.Equal(table.RowCount, neighbour.RowCount + (neighbour.RowCount < table.RowCount ? 1 : -1));
                var after = Scores(neighbour, out _);
                Assert.All(Enumerable.Range(0, before.Length), i => Assert.True(
                    Int128.Abs(after[i] - before[i]) <= sensitivity, $"candidate {i} moved by {after[i] - before[i]}"));
            }
        }
    }

    private static EncodedTable Append(EncodedTable table, EncodedTable row) =>
        new(table.Domain, Enumerable.Range(0, table.Domain.Count).Select(a => EncodedColumn.FromCodes(
            table.Domain.Sizes[a], [.. Enumerable.Range(0, table.RowCount).Select(r => table[r, a]), row[0, a]])));
}
