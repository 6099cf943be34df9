namespace DPSynth.Diagnostics;

/// <summary>
/// Every user-facing message, written once (NodaTime's <c>TextErrorMessages</c>): reviewable for private-value leaks
/// and testable. Each area keeps its messages in its own part (<c>Messages.Schema.cs</c>, <c>Messages.Budget.cs</c>, ...).
/// </summary>
public static partial class Messages
{
    /// <summary>A required file does not exist.</summary>
    public static string FileNotFound(string path) => $"file not found: {path}";
}
