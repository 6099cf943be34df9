namespace DPSynth.Diagnostics;

/// <summary>Process exit codes of the <c>dpsynth</c> command (design.md section 8). A contract: scripts depend on them.</summary>
public enum ExitCode
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>A usage error or an input error (bad schema, bad CSV, missing file).</summary>
    UsageOrInput = 1,

    /// <summary>
    /// Refused before any charge: the privacy budget (a cap would be passed, or the ledger cannot be verified), or the
    /// preflight estimate of peak memory is above <c>--max-memory</c>.
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
