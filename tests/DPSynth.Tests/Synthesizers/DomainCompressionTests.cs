using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

public sealed class DomainCompressionTests
{
    private static readonly Domain Ab = new(["a", "b"], [4, 3]);

    [Fact]
    public void ValuesBelowTheThresholdMergeIntoOneLastCell()
    {
        // a: values 1 and 3 are rare; b: nothing is dropped.
        var compression = DomainCompression.FromNoisyOneWay(Ab, [[50, 2, 40, -1], [10, 10, 10]], threshold: 5);
        Assert.Equal(3, compression.Compressed.Size(0));
        Assert.Equal(3, compression.Compressed.Size(1));
        Assert.True(compression.MergesAnything);
        Assert.Equal([2, 0], compression.MergedCounts.ToArray());

        var table = new EncodedTable(Ab, [EncodedColumn.FromCodes(4, [0, 1, 2, 3]), EncodedColumn.FromCodes(3, [0, 1, 2, 0])]);
        var compressed = compression.Compress(table);
        Assert.Equal([0, 2, 1, 2], Enumerable.Range(0, 4).Select(r => compressed[r, 0]));
        Assert.Equal([0, 1, 2, 0], Enumerable.Range(0, 4).Select(r => compressed[r, 1]));
    }

    [Fact]
    public void DroppingOneValuePerColumnKeepsTheSizesButStillMerges()
    {
        // a drops value 0 (not the last code), b drops nothing: the sizes are the original ones, the codes are not.
        var compression = DomainCompression.FromNoisyOneWay(Ab, [[-3, 50, 40, 30], [10, 10, 10]], threshold: 5);
        Assert.Equal(Ab.Sizes.ToArray(), compression.Compressed.Sizes.ToArray());
        Assert.True(compression.MergesAnything);
        Assert.Equal([3, 0, 1, 2], Enumerable.Range(0, 4).Select(v => compression.CompressedCode(0, v)));
    }

    [Fact]
    public void TheMergedMeasurementIsTheSumOfTheDroppedCellsWithItsStd()
    {
        var compression = DomainCompression.FromNoisyOneWay(Ab, [[50, 2, 40, -1], [10, 10, 10]], threshold: 5);
        var merged = compression.CompressMeasurement(0, [50, 2, 40, -1], sigma: 2);
        Assert.Equal([50.0, 40.0, 1.0], merged.Values.ToArray());
        Assert.Equal(2, merged.StdOf(0));
        Assert.Equal(2 * Math.Sqrt(2), merged.StdOf(2), 12);
        var untouched = compression.CompressMeasurement(1, [10, 10, 10], sigma: 2);
        Assert.Equal(Clique.Of(1), untouched.Clique);
        Assert.True(untouched.CellStd.IsEmpty);
    }

    [Fact]
    public void ExpandingMapsKeptCellsBackAndTheMergedCellUniformlyToADroppedValue()
    {
        var compression = DomainCompression.FromNoisyOneWay(Ab, [[50, 2, 40, -1], [10, 10, 10]], threshold: 5);
        var rows = 4000;
        var sampled = new EncodedTable(
            compression.Compressed,
            [EncodedColumn.FromCodes(3, Enumerable.Range(0, rows).Select(r => r % 3).ToArray()),
             EncodedColumn.FromCodes(3, new int[rows])]);
        var expanded = compression.Expand(sampled, new Random(9));
        Assert.Equal(Ab, expanded.Domain);
        var counts = MarginalCounter.Count(expanded, Clique.Of(0));
        Assert.Equal(rows / 3 + 1, counts[0]);
        Assert.Equal(rows / 3, counts[2]);

        // The merged third goes to values 1 and 3, about half each (binomial sd about 18 on 1333 draws).
        Assert.InRange(counts[1], 1333 / 2 - 120, 1333 / 2 + 120);
        Assert.Equal(1333, counts[1] + counts[3]);
    }
}
