namespace DPSynth.Diagnostics;

/// <summary>One problem found while reading an input (schema, domain, CSV): where it is and what is wrong.</summary>
/// <param name="Location">File, line, column and key of the problem.</param>
/// <param name="Message">The user-facing text, from <see cref="Messages"/>.</param>
public sealed record Diagnostic(SourceLocation Location, string Message)
{
    /// <summary>Formats as <c>file:line:column (key): message</c>.</summary>
    public override string ToString() => $"{Location}: {Message}";
}
