using DPSynth.Diagnostics;

namespace DPSynth.Policies;

/// <summary>How one policy of a <c>dpsynth run</c> ended.</summary>
public enum RunStatus
{
    /// <summary>A signed bundle was released.</summary>
    Released,

    /// <summary>Already released with the same policy and input: nothing was run or charged.</summary>
    Skipped,

    /// <summary><c>--dry-run</c>: validated and priced; the data were not touched.</summary>
    Planned,

    /// <summary>Insecure test noise: the output was written outside any bundle, unsigned, NOT PRIVATE.</summary>
    Insecure,

    /// <summary>The policy is invalid or an input is missing: nothing was charged.</summary>
    Invalid,

    /// <summary>The ledger refused the charge (cap, unverifiable ledger): the data were not touched.</summary>
    BudgetRefused,

    /// <summary>The release gate refused the synthetic data: the budget is spent, nothing was released.</summary>
    GateFailed,

    /// <summary>The run failed after its charge: the budget is spent, nothing was released.</summary>
    Failed,

    /// <summary>Another run of this policy charged and recorded no outcome (running, or interrupted): not charged again.</summary>
    InProgress,

    /// <summary>A signature, certificate or ledger check failed before the charge: nothing was charged.</summary>
    VerificationFailed,

    /// <summary>The preflight estimate of peak memory is above the limit: refused before the ledger was read.</summary>
    ResourceRefused,

    /// <summary>
    /// The run ended (released, gate failed or insecure) and its outcome entry is in the ledger, but the ledger's anchored
    /// head could not be moved onto it: the command fails until the operator has seen it (the next write anchors it).
    /// </summary>
    OutcomeNotAnchored,

    /// <summary>
    /// A bug: an exception DPSynth did not anticipate stopped this policy (one line says so; the trace only with
    /// <c>DPSYNTH_DEBUG=1</c>). Before the charge, nothing was charged. Once the run has started after its charge, the
    /// ledger records it as failed (the budget is spent, nothing was released). In between (the charge written, the run
    /// not yet started), the charge stays open, as for a killed run: the budget is spent and the next run is refused as in
    /// progress until <c>--force</c>. Either way after the charge, the summary shows the epsilon charged. The other
    /// policies of a folder still run.
    /// </summary>
    InternalError,
}

/// <summary>Exit codes and labels of <see cref="RunStatus"/>.</summary>
public static class RunStatusExtensions
{
    /// <summary>The process exit code of a run that ended with <paramref name="status"/> (design.md section 8).</summary>
    public static ExitCode ToExitCode(this RunStatus status) => status switch
    {
        RunStatus.Released or RunStatus.Skipped or RunStatus.Planned or RunStatus.Insecure => ExitCode.Ok,
        RunStatus.BudgetRefused or RunStatus.ResourceRefused or RunStatus.OutcomeNotAnchored => ExitCode.BudgetRefused,
        RunStatus.GateFailed => ExitCode.AuditGateFailed,
        RunStatus.VerificationFailed => ExitCode.VerificationFailed,
        RunStatus.InternalError => ExitCode.InternalError,
        _ => ExitCode.UsageOrInput,
    };

    /// <summary>A short label for the summary table.</summary>
    public static string Label(this RunStatus status) => status switch
    {
        RunStatus.Released => "released",
        RunStatus.Skipped => "skipped (already released)",
        RunStatus.Planned => "dry run",
        RunStatus.Insecure => "INSECURE, not released",
        RunStatus.Invalid => "invalid",
        RunStatus.BudgetRefused => "budget refused",
        RunStatus.GateFailed => "gate failed",
        RunStatus.InProgress => "in progress or interrupted",
        RunStatus.VerificationFailed => "verification failed",
        RunStatus.ResourceRefused => "refused: memory estimate",
        RunStatus.OutcomeNotAnchored => "outcome recorded, anchored head not moved",
        RunStatus.InternalError => "internal error",
        _ => "failed",
    };
}
