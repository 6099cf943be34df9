namespace DPSynth.Policies;

/// <summary>
/// A policy run that must not charge because of another run of the same policy: already released on this input
/// (<see cref="RunStatus.Skipped"/>), or charged with no outcome yet (<see cref="RunStatus.InProgress"/>).
/// </summary>
public sealed class RunConflictException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public RunConflictException(RunStatus status, string? bundle, string message)
        : base(message)
    {
        Status = status;
        Bundle = bundle;
    }

    /// <summary>Skipped or in progress.</summary>
    public RunStatus Status { get; }

    /// <summary>The earlier release's bundle, when skipped.</summary>
    public string? Bundle { get; }
}
