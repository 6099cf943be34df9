using DPSynth.Cli;

namespace DPSynth.Tests.Support;

/// <summary>Runs the real <c>dpsynth</c> command tree in process and captures its output.</summary>
public static class CliRunner
{
    /// <summary>The outcome of one invocation.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <c>dpsynth</c> with <paramref name="args"/>.</summary>
    public static Result Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = DPSynthCli.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
