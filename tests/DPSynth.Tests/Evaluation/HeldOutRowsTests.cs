using DPSynth.Evaluation;

namespace DPSynth.Tests.Evaluation;

/// <summary>The seeded 80/20 split <c>evaluate</c> uses when no test file is given.</summary>
public sealed class HeldOutRowsTests
{
    [Fact]
    public void TheSplitPartitionsTheRowsInOrderAndIsTheSameEveryTime()
    {
        var real = EvaluationTables.Generate(5000, seed: 3);

        var (train, test) = HeldOutRows.Split(real);
        var (train2, test2) = HeldOutRows.Split(real);

        Assert.Equal(real.RowCount, train.RowCount + test.RowCount);
        Assert.Equal(train.RowCount, train2.RowCount);
        Assert.Equal(test.RowCount, test2.RowCount);
        // The share of test rows is Binomial(5000, 0.2) / 5000: mean 0.2, sd 0.00566; 0.2 +- 0.03 is > 5.3 sd, so a false
        // failure has probability < 1e-7 (and, the split being seeded, it either always holds or never).
        Assert.InRange(test.RowCount / 5000.0, 0.17, 0.23);
        // Every row lands in exactly one part, in its original order: the two parts interleave back into the table.
        var rows = Enumerable.Range(0, train.RowCount).Select(r => Row(train, r))
            .Concat(Enumerable.Range(0, test.RowCount).Select(r => Row(test, r)))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, real.RowCount).Select(r => Row(real, r)).Order(StringComparer.Ordinal), rows);
        for (var c = 0; c < real.Domain.Count; c++)
        {
            Assert.Equal(Enumerable.Range(0, test.RowCount).Select(r => test[r, c]), Enumerable.Range(0, test2.RowCount).Select(r => test2[r, c]));
        }
    }

    private static string Row(DPSynth.Data.EncodedTable table, int r) =>
        string.Join(',', Enumerable.Range(0, table.Domain.Count).Select(c => table[r, c]));
}
