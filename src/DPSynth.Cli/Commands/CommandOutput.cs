using System.CommandLine;

namespace DPSynth.Cli.Commands;

/// <summary>Helpers shared by the verbs: where to write, so tests can run the CLI in process.</summary>
internal static class CommandOutput
{
    /// <summary>The standard output of this invocation.</summary>
    public static TextWriter Out(this ParseResult result) => result.InvocationConfiguration.Output;

    /// <summary>The standard error of this invocation (operator console: may carry private values, never a release).</summary>
    public static TextWriter Err(this ParseResult result) => result.InvocationConfiguration.Error;
}
