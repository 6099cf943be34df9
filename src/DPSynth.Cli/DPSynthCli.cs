using System.CommandLine;
using DPSynth.Cli.Commands;
using DPSynth.Diagnostics;

namespace DPSynth.Cli;

/// <summary>Builds the command tree and maps failures to exit codes in one place (design.md section 8).</summary>
public static class DPSynthCli
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "DPSynth: differentially private synthetic data from a sensitive CSV table, under a declared public schema " +
            "and a tracked zCDP privacy budget.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        // The default prints the entry assembly's version, which is the test host's when run in process.
        foreach (var option in root.Options)
        {
            if (option is VersionOption version)
            {
                version.Action = new PrintVersionAction();
            }
        }

        return root;
    }

    /// <summary>The tool's version (the engine assembly's informational version, without build metadata).</summary>
    public static string Version { get; } =
        (typeof(DPSynthException).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot();
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return root.Parse(args).Invoke(config);
        }
        catch (DPSynthException ex)
        {
            // Messages escape the values they quote; this keeps any other control character off the terminal too.
            error.WriteLine($"error: {DisplayText.Lines(ex.Message)}");
            return (int)ex.ExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // File-system problems are the user's to fix; no stack trace.
            error.WriteLine($"error: {DisplayText.Lines(ex.Message)}");
            return (int)ExitCode.UsageOrInput;
        }
        catch (Exception ex) when (!InternalError.IsOutOfMemory(ex))
        {
            // Anything else is a bug. The user still gets one line, never a stack trace (design.md section 8); the
            // trace, which may quote private values, only when the operator asks for it on their own console.
            error.WriteLine($"error: {InternalError.Describe(ex)}");
            if (InternalError.TraceIfAsked(ex, Environment.GetEnvironmentVariable) is { } trace)
            {
                error.WriteLine(trace);
            }

            return (int)ExitCode.InternalError;
        }
    }

    private sealed class PrintVersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
