namespace DPSynth.Diagnostics;

/// <summary>
/// Every user-facing message, written once (NodaTime's <c>TextErrorMessages</c>): reviewable for private-value leaks
/// and testable. Each area keeps its messages in its own part (<c>Messages.Schema.cs</c>, <c>Messages.Budget.cs</c>, ...).
/// </summary>
public static partial class Messages
{
    /// <summary>A required file does not exist.</summary>
    public static string FileNotFound(string path) => $"file not found: {path}";

    /// <summary>
    /// An error DPSynth did not anticipate (a bug): one line, never a stack trace. The detail's own final periods are
    /// dropped (.NET's messages end with one) so that the sentence ends once.
    /// </summary>
    public static string InternalErrorLine(string exceptionType, string detail) =>
        $"internal error ({exceptionType}): {detail.TrimEnd('.')}. This is a bug in DPSynth; please report it " +
        $"({InternalError.DebugVariable}=1 prints the details).";
}
