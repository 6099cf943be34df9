namespace DPSynth.Diagnostics;

/// <summary>
/// Base of every failure that is the user's to fix (input, budget, audit, verification).
/// The command line prints <see cref="Exception.Message"/> without a stack trace and exits with <see cref="ExitCode"/>.
/// </summary>
/// <remarks>
/// Messages may name private values (a bad CSV cell, say). They go to the operator's console only and
/// must never be copied into a release artifact (privacy invariant 2).
/// </remarks>
public abstract class DPSynthException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    protected DPSynthException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>The process exit code this failure maps to.</summary>
    public abstract ExitCode ExitCode { get; }
}

/// <summary>A usage or input error: bad arguments, an invalid schema or policy, an unreadable CSV (exit code 1).</summary>
public class InputException : DPSynthException
{
    /// <summary>Creates an input error, optionally at a location in a file.</summary>
    public InputException(string message, SourceLocation? location = null, Exception? inner = null)
        : base(location is { } at ? $"{at}: {message}" : message, inner)
    {
        Location = location;
    }

    /// <summary>Where the problem is, when it is in a file.</summary>
    public SourceLocation? Location { get; }

    /// <inheritdoc />
    public override ExitCode ExitCode => ExitCode.UsageOrInput;
}

/// <summary>The privacy budget refuses the work: it would pass a cap, or the ledger cannot be trusted (exit code 2).</summary>
public class BudgetRefusedException : DPSynthException
{
    /// <summary>Creates a budget refusal.</summary>
    public BudgetRefusedException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <inheritdoc />
    public override ExitCode ExitCode => ExitCode.BudgetRefused;
}

/// <summary>
/// The preflight estimate of peak memory is above the limit: refused before the ledger or the data are touched
/// (exit code 2, like a budget refusal: nothing was charged and the same run can be retried with other settings).
/// </summary>
public class ResourceRefusedException : DPSynthException
{
    /// <summary>Creates a resource refusal.</summary>
    public ResourceRefusedException(string message) : base(message)
    {
    }

    /// <inheritdoc />
    public override ExitCode ExitCode => ExitCode.BudgetRefused;
}

/// <summary>The release gate failed; nothing was released (exit code 3).</summary>
public class AuditGateFailedException : DPSynthException
{
    /// <summary>Creates a gate failure.</summary>
    public AuditGateFailedException(string message) : base(message)
    {
    }

    /// <inheritdoc />
    public override ExitCode ExitCode => ExitCode.AuditGateFailed;
}

/// <summary>A signature, certificate, hash or ledger check failed (exit code 4).</summary>
public class VerificationFailedException : DPSynthException
{
    /// <summary>Creates a verification failure.</summary>
    public VerificationFailedException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <inheritdoc />
    public override ExitCode ExitCode => ExitCode.VerificationFailed;
}
