using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Audits;

public sealed class TrainHoldoutSplitTests
{
    private static EncodedTable Numbered(int rows)
    {
        // Row r holds r in two byte columns (low, high), so every row can be traced after the split.
        var domain = new Domain(["low", "high"], [256, 256]);
        var low = Enumerable.Range(0, rows).Select(r => r % 256).ToArray();
        var high = Enumerable.Range(0, rows).Select(r => r / 256).ToArray();
        return new EncodedTable(domain, [EncodedColumn.FromCodes(256, low), EncodedColumn.FromCodes(256, high)]);
    }

    private static List<int> Ids(EncodedTable t) => [.. Enumerable.Range(0, t.RowCount).Select(r => t[r, 0] + (256 * t[r, 1]))];

    [Fact]
    public void EveryRowLandsInExactlyOneSideInItsOriginalOrder()
    {
        var split = TrainHoldoutSplit.Split(Numbered(3000), 0.8, RandomBitsCoins.Seeded(1));

        var train = Ids(split.Train);
        var holdout = Ids(split.Holdout);
        Assert.Equal(3000, train.Count + holdout.Count);
        Assert.Equal(Enumerable.Range(0, 3000), train.Concat(holdout).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(0.8, split.TrainShare);
    }

    [Fact]
    public void AddingARowChangesTrainByAtMostThatRow()
    {
        // Per-row coins: the assignment of the first n rows does not depend on whether row n+1 exists
        // (a fixed-size split or a permutation would reshuffle them).
        var small = TrainHoldoutSplit.Split(Numbered(1000), 0.8, RandomBitsCoins.Seeded(7));
        var large = TrainHoldoutSplit.Split(Numbered(1001), 0.8, RandomBitsCoins.Seeded(7));

        var before = Ids(small.Train);
        var after = Ids(large.Train);
        Assert.Equal(before, after.Where(id => id < 1000));
        Assert.True(after.Count - before.Count is 0 or 1);
    }

    /// <summary>CSPRNG coins: the train count is Binomial(n, p); false-failure probability below 1e-6 (|z| &lt;= 5.5).</summary>
    [Theory]
    [InlineData(0.8)]
    [InlineData(0.5)]
    [InlineData(0.3)]
    public void TheTrainShareIsTheCoinsProbability(double share)
    {
        const int n = 20_000;
        var split = TrainHoldoutSplit.Split(Numbered(n), share);

        var sd = Math.Sqrt(n * share * (1 - share));
        Assert.InRange(split.Train.RowCount, (n * share) - (Statistics.ZBound * sd), (n * share) + (Statistics.ZBound * sd));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ASharesOutsideTheOpenUnitIntervalIsRefused(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainHoldoutSplit.Split(Numbered(10), share));
}
