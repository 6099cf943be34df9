namespace DPSynth.Diagnostics;

/// <summary>Process exit codes of the <c>dpsynth</c> command (design.md section 8). A contract: scripts depend on them.</summary>
/// <remarks>
/// Numbered by severity, so that a command reporting several outcomes (<c>dpsynth run FOLDER</c>) exits with the highest:
/// an internal error (DPSynth itself failed, and nothing it did for that policy can be relied on until the bug is found)
/// over a failed verification (a ledger or bundle that may have been tampered with) over a failed audit gate (budget spent,
/// nothing released) over a refused budget (nothing spent) over a usage or input error (fix and re-run) over success.
/// </remarks>
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
