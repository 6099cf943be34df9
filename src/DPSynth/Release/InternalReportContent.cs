using System.Collections.Immutable;
using DPSynth.Audits;
using DPSynth.Evaluation;

namespace DPSynth.Release;

/// <summary>
/// What the internal report (<see cref="InternalReport"/>) shows the operator: the run's header and budget, facts about
/// the real rows, the audits and the release gate, and the utility evaluation. Most of it is computed from the real rows
/// without DP, so it is written beside the bundle, never inside it unless the policy opts in.
/// </summary>
/// <param name="Header">The run's header (as in the public report).</param>
/// <param name="Budget">The run's budget (as in the public report).</param>
/// <param name="InputRows">The true number of input rows the encoder kept (private).</param>
/// <param name="TrainRows">Rows in the train set the synthesizer read (private).</param>
/// <param name="HoldoutRows">Rows in the holdout set (private).</param>
/// <param name="SkippedRows">Rows the encoder skipped or dropped (private), or null when not known.</param>
/// <param name="Audit">Every audit figure of the synthetic table.</param>
/// <param name="Thresholds">The release gate's thresholds the decision applied.</param>
/// <param name="Decision">The gate's decision and its reasons.</param>
/// <param name="Evaluation">The utility evaluation against the real rows, or null when none was run.</param>
public sealed record InternalReportContent(
    ReportHeader Header,
    ReportBudget Budget,
    int InputRows,
    int TrainRows,
    int HoldoutRows,
    int? SkippedRows,
    AuditReport Audit,
    GateThresholds Thresholds,
    GateDecision Decision,
    EvaluationReport? Evaluation)
{
    /// <summary>The run's header.</summary>
    public ReportHeader Header { get; } = Header ?? throw new ArgumentNullException(nameof(Header));

    /// <summary>The run's budget.</summary>
    public ReportBudget Budget { get; } = Budget ?? throw new ArgumentNullException(nameof(Budget));

    /// <summary>The true number of input rows.</summary>
    public int InputRows { get; } = InputRows >= 0 ? InputRows : throw Negative(nameof(InputRows), InputRows);

    /// <summary>Rows in the train set.</summary>
    public int TrainRows { get; } = TrainRows >= 0 ? TrainRows : throw Negative(nameof(TrainRows), TrainRows);

    /// <summary>Rows in the holdout set.</summary>
    public int HoldoutRows { get; } = HoldoutRows >= 0 ? HoldoutRows : throw Negative(nameof(HoldoutRows), HoldoutRows);

    /// <summary>Rows the encoder skipped, or null.</summary>
    public int? SkippedRows { get; } =
        SkippedRows is null or >= 0 ? SkippedRows : throw Negative(nameof(SkippedRows), SkippedRows.Value);

    /// <summary>The audit figures.</summary>
    public AuditReport Audit { get; } = Audit ?? throw new ArgumentNullException(nameof(Audit));

    /// <summary>The gate's thresholds.</summary>
    public GateThresholds Thresholds { get; } = Thresholds ?? throw new ArgumentNullException(nameof(Thresholds));

    /// <summary>The gate's decision; it cannot pass while one of <see cref="Checks"/> fails.</summary>
    public GateDecision Decision { get; } = Consistent(Decision, Audit, Thresholds);

    /// <summary>
    /// Each threshold of the gate against the audit figure it bounds: name, observed value, limit, and whether the figure
    /// stays within it (a NaN figure fails, as in <see cref="ReleaseGate"/>).
    /// </summary>
    public ImmutableArray<ReportThresholdCheck> Checks => ThresholdChecks(Audit, Thresholds);

    private static ImmutableArray<ReportThresholdCheck> ThresholdChecks(AuditReport? audit, GateThresholds? thresholds)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(thresholds);
        var dcrLimit = audit.Dcr.IdealShare + thresholds.MaxDcrShareExcess;
        var exactLimit = audit.ExactMatches.HoldoutBaseline + thresholds.MaxExactMatchExcess;
        return
        [
            Check($"{audit.DistanceAttack.Attack} attack AUC", audit.DistanceAttack.Auc, thresholds.MaxAttackAuc),
            Check($"{audit.DensityAttack.Attack} attack AUC", audit.DensityAttack.Auc, thresholds.MaxAttackAuc),
            Check("DCR share closer to train (ideal + excess)", audit.Dcr.CloserToTrainShare, dcrLimit),
            Check("exact-match rate (holdout baseline + excess)", audit.ExactMatches.SyntheticRate, exactLimit),
        ];
    }

    private static GateDecision Consistent(GateDecision? decision, AuditReport? audit, GateThresholds? thresholds)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Passed && ThresholdChecks(audit, thresholds).Any(c => !c.Passed))
        {
            throw new ArgumentException("The decision passes although a threshold is crossed.", nameof(decision));
        }

        return decision;
    }

    private static ReportThresholdCheck Check(string name, double observed, double limit) =>
        new(name, observed, limit, observed <= limit);

    private static ArgumentOutOfRangeException Negative(string name, int value) =>
        new(name, value, "A row count cannot be negative.");
}
