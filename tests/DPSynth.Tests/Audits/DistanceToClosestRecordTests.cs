using DPSynth.Audits;

namespace DPSynth.Tests.Audits;

public sealed class DistanceToClosestRecordTests
{
    [Fact]
    public void TheShareCountsTiesHalfAndTheIdealIsTheTrainShare()
    {
        double[] toTrain = [0.0, 0.1, 0.2, 0.3];
        double[] second = [0.0, 0.2, 0.4, 0.3];
        double[] toHoldout = [0.1, 0.1, 0.1, 0.5];

        var dcr = DistanceToClosestRecord.FromDistances(toTrain, second, toHoldout, trainRows: 80, holdoutRows: 20);

        Assert.Equal((1 + 0.5 + 0 + 1) / 4, dcr.CloserToTrainShare);
        Assert.Equal(0.8, dcr.IdealShare);
        Assert.Equal(0.15, dcr.TrainMedian, 12);
        Assert.Equal(0.1, dcr.HoldoutMedian, 12);

        // Ratios: 0/0 -> 1, 0.5, 0.5, 1; median 0.75.
        Assert.Equal(0.75, dcr.NndrMedian, 12);
        Assert.Equal(0.5, dcr.NndrP5, 12);
        Assert.Equal(0.015, dcr.TrainP5, 12);
    }

    [Fact]
    public void MismatchedLengthsAreRefused() =>
        Assert.Throws<ArgumentException>(() => DistanceToClosestRecord.FromDistances([0.1], [0.2], [], 1, 1));

    [Fact]
    public void TheExactMatchRateIsTheShareOfRowsWithACopy()
    {
        Assert.Equal(0.5, ExactMatches.RateOf([0, 2, 1, 0]));
        Assert.Equal(0, ExactMatches.RateOf([]));
    }
}
