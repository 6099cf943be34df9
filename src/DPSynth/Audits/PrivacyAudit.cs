using DPSynth.Data;

namespace DPSynth.Audits;

/// <summary>Runs every similarity and membership-inference audit of a synthetic table against train and holdout.</summary>
public static class PrivacyAudit
{
    /// <summary>
    /// Audits <paramref name="synthetic"/> (made from <paramref name="train"/> only) against train and
    /// <paramref name="holdout"/>. The member sample of the attacks is drawn with <paramref name="random"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A table is empty, or the tables' domains differ from the spec's.</exception>
    public static AuditReport Run(
        EncodedTable train, EncodedTable holdout, EncodedTable synthetic, DistanceSpec spec, Random random)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(random);
        if (train.RowCount == 0 || holdout.RowCount == 0 || synthetic.RowCount == 0)
        {
            throw new ArgumentException("The train, holdout and synthetic tables each need at least one row.");
        }

        var distance = new GowerDistance(spec);
        var trainIndex = new NearestNeighbourIndex(train, distance);
        var holdoutIndex = new NearestNeighbourIndex(holdout, distance);
        var syntheticIndex = new NearestNeighbourIndex(synthetic, distance);

        var (toTrain, secondToTrain) = trainIndex.TwoNearest(synthetic);
        var toHoldout = holdoutIndex.Nearest(synthetic);
        var dcr = DistanceToClosestRecord.FromDistances(toTrain, secondToTrain, toHoldout, train.RowCount, holdout.RowCount);

        var exact = new ExactMatches(
            ExactMatches.RateOf(trainIndex.ExactMatchCounts(synthetic)),
            ExactMatches.RateOf(trainIndex.ExactMatchCounts(holdout)));

        var members = SampleRows(train, Math.Min(train.RowCount, holdout.RowCount), random);
        var distanceAttack = MembershipInference.DistanceAttack(syntheticIndex, members, holdout);
        var densityAttack = MembershipInference.DensityRatioAttack(synthetic, holdout, members, distance);
        return new AuditReport(
            train.RowCount, holdout.RowCount, synthetic.RowCount, dcr, exact, distanceAttack, densityAttack, distance.IsExact);
    }

    /// <summary><paramref name="count"/> distinct rows of <paramref name="table"/>, uniformly at random.</summary>
    internal static EncodedTable SampleRows(EncodedTable table, int count, Random random)
    {
        var rows = new int[table.RowCount];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = i;
        }

        // Partial Fisher-Yates: the first `count` entries are a uniform sample without replacement.
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, rows.Length);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }

        return table.SelectRows(rows.AsSpan(0, count));
    }
}
