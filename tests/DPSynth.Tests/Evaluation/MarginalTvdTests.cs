using DPSynth.Data;
using DPSynth.Evaluation;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Tests.Evaluation;

public sealed class MarginalTvdTests
{
    private static readonly Domain Ab = new(["a", "b"], [2, 3]);

    private static EncodedTable Table(int[] a, int[] b) =>
        new(Ab, [EncodedColumn.FromCodes(2, a), EncodedColumn.FromCodes(3, b)]);

    [Fact]
    public void ATableHasZeroDistanceToItselfAndToAScaledCopy()
    {
        var t = Table([0, 1, 1], [0, 2, 1]);
        var twice = Table([0, 1, 1, 0, 1, 1], [0, 2, 1, 0, 2, 1]);
        var report = MarginalTvd.Compare(t, twice);
        Assert.Equal(0, report.OneWay, 12);
        Assert.Equal(0, report.TwoWay, 12);
        Assert.True(double.IsNaN(report.ThreeWay));
        Assert.Equal(6, report.Rows);
    }

    [Fact]
    public void DistanceIsHalfTheL1OfTheNormalisedTables()
    {
        var real = Table([0, 0, 1, 1], [0, 0, 0, 0]);
        var synth = Table([0, 0, 0, 0], [0, 0, 0, 0]);
        // a: (0.5, 0.5) vs (1, 0): TVD 0.5; b: identical: 0. Mean 1-way = 0.25. 2-way (a,b): 0.5.
        var report = MarginalTvd.Compare(real, synth);
        Assert.Equal(0.25, report.OneWay, 12);
        Assert.Equal(0.5, report.TwoWay, 12);
        Assert.Equal(0.5, MarginalTvd.Mean(real, synth, [Clique.Of(0)]), 12);
    }

    [Fact]
    public void MarginalsLargerThanTheTablesAreComparedSparselyWithTheDenseResult()
    {
        // 40 x 50 x 3 = 6000 cells against 150 + 90 rows: the sorted-cells path; its TVD must be the dense one exactly.
        var rng = new Random(15);
        var domain = new Domain(["a", "b", "c"], [40, 50, 3]);
        EncodedTable Random(int rows) => new(
            domain, domain.Sizes.Select(size => EncodedColumn.FromCodes(size, [.. Enumerable.Range(0, rows).Select(_ => rng.Next(size))])));
        var real = Random(150);
        var synthetic = Random(90);
        foreach (var clique in new[] { Clique.Of(0, 1), Clique.Of(0, 1, 2), Clique.Of(1, 2) })
        {
            var dense = MarginalTvd.Distance(
                MarginalCounter.Count(real, clique), real.RowCount, MarginalCounter.Count(synthetic, clique), synthetic.RowCount);
            Assert.Equal(dense, MarginalTvd.Mean(real, synthetic, [clique]));
        }
    }

    [Fact]
    public void TablesOnDifferentDomainsOrWithoutRowsAreRejected()
    {
        var other = new EncodedTable(new Domain(["a", "c"], [2, 3]), [EncodedColumn.FromCodes(2, [0]), EncodedColumn.FromCodes(3, [0])]);
        Assert.Throws<ArgumentException>(() => MarginalTvd.Compare(Table([0], [0]), other));
        Assert.Throws<ArgumentException>(() => MarginalTvd.Compare(Table([0], [0]), Table([], [])));
    }
}
