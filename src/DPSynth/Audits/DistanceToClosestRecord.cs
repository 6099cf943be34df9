namespace DPSynth.Audits;

/// <summary>
/// Distance to closest record (DCR) figures of a synthetic table against train and holdout (design.md section 7).
/// </summary>
/// <param name="TrainP5">5th percentile of the synthetic rows' distance to their closest train row.</param>
/// <param name="TrainMedian">Median of that distance.</param>
/// <param name="HoldoutP5">5th percentile of the synthetic rows' distance to their closest holdout row.</param>
/// <param name="HoldoutMedian">Median of that distance.</param>
/// <param name="CloserToTrainShare">
/// The share of synthetic rows strictly closer to train than to holdout, ties counting half (SDMetrics "DCR baseline
/// protection").
/// </param>
/// <param name="IdealShare">
/// What that share would be for rows that never saw train: <c>|train| / (|train| + |holdout|)</c>.
/// </param>
/// <param name="NndrP5">
/// 5th percentile of the nearest-neighbour distance ratio: a synthetic row's distance to its closest train row over the
/// distance to its second closest (0/0 counts as 1). Small values mean rows that single out one train record.
/// </param>
/// <param name="NndrMedian">Median of the nearest-neighbour distance ratio.</param>
public sealed record DistanceToClosestRecord(
    double TrainP5,
    double TrainMedian,
    double HoldoutP5,
    double HoldoutMedian,
    double CloserToTrainShare,
    double IdealShare,
    double NndrP5,
    double NndrMedian)
{
    /// <summary>
    /// Computes the figures from each synthetic row's nearest and second-nearest train distances and nearest holdout
    /// distance (all of equal length).
    /// </summary>
    public static DistanceToClosestRecord FromDistances(
        ReadOnlySpan<double> toTrain,
        ReadOnlySpan<double> secondToTrain,
        ReadOnlySpan<double> toHoldout,
        int trainRows,
        int holdoutRows)
    {
        if (toTrain.IsEmpty || toTrain.Length != toHoldout.Length || toTrain.Length != secondToTrain.Length)
        {
            throw new ArgumentException("Need one train, second-train and holdout distance per synthetic row (at least one).");
        }

        var closer = 0.0;
        var ratios = new double[toTrain.Length];
        for (var i = 0; i < toTrain.Length; i++)
        {
            closer += toTrain[i] < toHoldout[i] ? 1 : toTrain[i] == toHoldout[i] ? 0.5 : 0;
            ratios[i] = secondToTrain[i] == 0 ? 1 : toTrain[i] / secondToTrain[i];
        }

        var train = Percentile.Sorted(toTrain);
        var holdout = Percentile.Sorted(toHoldout);
        Array.Sort(ratios);
        return new DistanceToClosestRecord(
            Percentile.OfSorted(train, 5),
            Percentile.OfSorted(train, 50),
            Percentile.OfSorted(holdout, 5),
            Percentile.OfSorted(holdout, 50),
            closer / toTrain.Length,
            (double)trainRows / (trainRows + holdoutRows),
            Percentile.OfSorted(ratios, 5),
            Percentile.OfSorted(ratios, 50));
    }
}
