namespace DPSynth.Diagnostics;

/// <summary>
/// Exceptions DPSynth did not anticipate (bugs), told apart from failures that are the user's to fix, and how one is shown:
/// one line (exit code <see cref="ExitCode.InternalError"/>), and the stack trace only when the operator sets
/// <see cref="DebugVariable"/> to 1 on their own console (a trace may quote private values).
/// </summary>
public static class InternalError
{
    /// <summary>The environment variable that, set to <c>1</c>, prints an internal error's stack trace.</summary>
    public const string DebugVariable = "DPSYNTH_DEBUG";

    /// <summary>
    /// Whether <paramref name="ex"/> is a bug rather than a failure the user can fix: not a <see cref="DPSynthException"/>
    /// (which carries its own exit code), and not a file-system error (<see cref="IOException"/>,
    /// <see cref="UnauthorizedAccessException"/>: the user's to fix, exit 1).
    /// </summary>
    public static bool IsBug(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex is not (DPSynthException or IOException or UnauthorizedAccessException);
    }

    /// <summary>
    /// Whether <paramref name="ex"/> is running out of memory: an <see cref="OutOfMemoryException"/>, bare or among the
    /// inner exceptions of an <see cref="AggregateException"/> (at any depth), which is how <c>Parallel.Invoke</c> and
    /// the second core's worker hand back a failure on the other thread. Every handler that lets running out of memory
    /// stop the command filters with this, so that where the allocation failed does not change what happens.
    /// </summary>
    public static bool IsOutOfMemory(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex is OutOfMemoryException
            || (ex is AggregateException aggregate && aggregate.Flatten().InnerExceptions.Any(e => e is OutOfMemoryException));
    }

    /// <summary>The one line that reports <paramref name="ex"/> (no stack trace; line breaks in its message escaped).</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return Messages.InternalErrorLine(ex.GetType().Name, DisplayText.Of(ex.Message, DisplayText.MaxTextLength));
    }

    /// <summary>
    /// The stack trace of <paramref name="ex"/> for a bug report when <paramref name="environment"/> sets
    /// <see cref="DebugVariable"/> to 1, else null.
    /// </summary>
    /// <param name="ex">The internal error.</param>
    /// <param name="environment">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    public static string? TraceIfAsked(Exception ex, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(environment);
        return environment(DebugVariable) == "1" ? DisplayText.Lines(ex.ToString()) : null;
    }
}
