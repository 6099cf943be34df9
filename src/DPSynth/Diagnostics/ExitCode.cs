namespace DPSynth.Diagnostics;

/// <summary>Process exit codes of the <c>dpsynth</c> command (design.md section 8). A contract: scripts depend on them.</summary>
/// <remarks>
/// A command reporting several outcomes (<c>dpsynth run FOLDER</c>) exits with the highest of their codes. The numbers are
/// fixed for scripts, not a ranking of how much budget an outcome cost: a failed run (1) and an outcome not anchored (2)
/// spent their budget, a refused budget (2) spent nothing.
/// </remarks>
public enum ExitCode
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>
    /// A usage error or an input error (bad schema, bad CSV, missing file); for <c>run</c> also a policy that failed after
    /// its charge, or one whose earlier run is still open.
    /// </summary>
    UsageOrInput = 1,

    /// <summary>
    /// Refused before any charge: the privacy budget (a cap would be passed, or the ledger cannot be verified), or the
    /// preflight estimate of peak memory is above <c>--max-memory</c>. For <c>run</c> also a run whose outcome is in the
    /// ledger but whose anchored head could not be moved onto it.
    /// </summary>
    BudgetRefused = 2,

    /// <summary>The audit gate failed; nothing was released.</summary>
    AuditGateFailed = 3,

    /// <summary>A bundle or ledger verification failed.</summary>
    VerificationFailed = 4,

    /// <summary>
    /// A bug: an error DPSynth did not anticipate (sysexits' EX_SOFTWARE). The user sees one line saying so, never a stack
    /// trace; <c>DPSYNTH_DEBUG=1</c> prints the trace for a bug report.
    /// </summary>
    InternalError = 70,
}
