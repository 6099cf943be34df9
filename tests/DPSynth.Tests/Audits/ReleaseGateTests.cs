using DPSynth.Audits;
using DPSynth.Data;

namespace DPSynth.Tests.Audits;

/// <summary>
/// The audits must catch a leaky synthesizer: copies and jittered copies of train fail the gate, fresh rows from the
/// same population pass. The data, split and member sample are seeded, so these tests are deterministic (no false
/// failures); the margins below are many standard errors wide, so other seeds pass too.
/// </summary>
public sealed class ReleaseGateTests
{
    private static readonly TrainHoldoutSplit Split =
        TrainHoldoutSplit.Split(AuditTables.Population(5000, seed: 1), 0.8, RandomBitsCoins.Seeded(2));

    private static AuditReport Audit(EncodedTable synthetic) =>
        PrivacyAudit.Run(Split.Train, Split.Holdout, synthetic, AuditTables.Spec, new Random(3));

    [Fact]
    public void ACopyOfTrainFailsTheGateOnEveryCriterion()
    {
        var report = Audit(AuditTables.Copy(Split.Train));

        Assert.True(report.DistanceAttack.Auc > 0.95, $"distance AUC {report.DistanceAttack.Auc}");
        Assert.True(report.DensityAttack.Auc > 0.95, $"density AUC {report.DensityAttack.Auc}");
        Assert.True(report.DistanceAttack.TprAtFpr1Percent > 0.9, $"TPR@1% {report.DistanceAttack.TprAtFpr1Percent}");
        Assert.True(report.Dcr.CloserToTrainShare > 0.95, $"DCR share {report.Dcr.CloserToTrainShare}");
        Assert.Equal(0, report.Dcr.TrainMedian);
        Assert.Equal(1.0, report.ExactMatches.SyntheticRate);
        Assert.True(report.ExactMatches.HoldoutBaseline < 0.01, $"baseline {report.ExactMatches.HoldoutBaseline}");
        Assert.True(report.Dcr.NndrMedian < 0.01, $"NNDR median {report.Dcr.NndrMedian}");

        var decision = new ReleaseGate().Decide(report);
        Assert.False(decision.Passed);
        Assert.Equal(4, decision.Reasons.Length);
    }

    [Fact]
    public void AJitteredCopyOfTrainFailsTheGate()
    {
        var report = Audit(AuditTables.Jitter(Split.Train, seed: 4));

        Assert.True(report.DistanceAttack.Auc > 0.95, $"distance AUC {report.DistanceAttack.Auc}");
        Assert.True(report.Dcr.CloserToTrainShare > 0.95, $"DCR share {report.Dcr.CloserToTrainShare}");
        Assert.True(report.Dcr.TrainMedian < report.Dcr.HoldoutMedian / 5, $"{report.Dcr}");

        var decision = new ReleaseGate().Decide(report);
        Assert.False(decision.Passed);
        Assert.Contains(decision.Reasons, r => r.Contains("distance membership-inference", StringComparison.Ordinal));
        Assert.Contains(decision.Reasons, r => r.Contains("closer to train", StringComparison.Ordinal));
    }

    [Fact]
    public void FreshRowsFromThePopulationPassTheGate()
    {
        var fresh = AuditTables.Population(Split.Train.RowCount, seed: 5);
        var report = Audit(fresh);

        Assert.InRange(report.DistanceAttack.Auc, 0.45, 0.55);
        Assert.InRange(report.DensityAttack.Auc, 0.45, 0.55);
        Assert.InRange(report.Dcr.CloserToTrainShare, report.Dcr.IdealShare - 0.03, report.Dcr.IdealShare + 0.03);
        Assert.True(report.ExactMatches.SyntheticRate < 0.01, $"exact {report.ExactMatches.SyntheticRate}");

        var decision = new ReleaseGate().Decide(report);
        Assert.True(decision.Passed, string.Join("; ", decision.Reasons));
        Assert.Empty(decision.Reasons);
    }

    [Fact]
    public void ThresholdsAreConfigurable()
    {
        var report = Audit(AuditTables.Population(Split.Train.RowCount, seed: 6));
        var strict = new ReleaseGate(new GateThresholds(MaxAttackAuc: 0.0, MaxDcrShareExcess: -1, MaxExactMatchExcess: -1));

        var decision = strict.Decide(report);

        Assert.False(decision.Passed);
        Assert.Equal(4, decision.Reasons.Length);
    }
}
