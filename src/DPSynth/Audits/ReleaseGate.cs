using DPSynth.Diagnostics;

namespace DPSynth.Audits;

/// <summary>Decides from an <see cref="AuditReport"/> whether a synthetic table may be released.</summary>
/// <param name="Thresholds">The thresholds to apply.</param>
public sealed record ReleaseGate(GateThresholds Thresholds)
{
    /// <summary>A gate with the default thresholds.</summary>
    public ReleaseGate()
        : this(GateThresholds.Default)
    {
    }

    /// <summary>Passes or fails <paramref name="report"/>, with a reason for every threshold crossed.</summary>
    public GateDecision Decide(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reasons = new List<string>();
        foreach (var attack in new[] { report.DistanceAttack, report.DensityAttack })
        {
            if (!(attack.Auc <= Thresholds.MaxAttackAuc))
            {
                reasons.Add(Messages.AuditAttackAucTooHigh(attack.Attack, attack.Auc, Thresholds.MaxAttackAuc));
            }
        }

        var dcrLimit = report.Dcr.IdealShare + Thresholds.MaxDcrShareExcess;
        if (!(report.Dcr.CloserToTrainShare <= dcrLimit))
        {
            reasons.Add(Messages.AuditDcrShareTooHigh(report.Dcr.CloserToTrainShare, report.Dcr.IdealShare, dcrLimit));
        }

        var exactLimit = report.ExactMatches.HoldoutBaseline + Thresholds.MaxExactMatchExcess;
        if (!(report.ExactMatches.SyntheticRate <= exactLimit))
        {
            reasons.Add(Messages.AuditExactMatchesTooHigh(
                report.ExactMatches.SyntheticRate, report.ExactMatches.HoldoutBaseline, exactLimit));
        }

        return new GateDecision(reasons.Count == 0, [.. reasons]);
    }
}
