using System.Diagnostics;

namespace DPSynth.Tests.Support;

/// <summary>
/// Runs the real <c>dpsynth</c> CLI as a child process: with its own environment, or to kill it at a chosen point (a crash,
/// not an exception).
/// </summary>
public static class CliProcess
{
    /// <summary>The CLI assembly built beside the tests.</summary>
    public static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "DPSynth.Cli.dll");

    /// <summary>Runs <c>dpsynth <paramref name="args"/></c> to its end with extra environment variables (null removes one).</summary>
    public static CliRunner.Result Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var child = Start(environment, args);
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException("dpsynth did not finish within 5 minutes.");
        }

        return new CliRunner.Result(child.ExitCode, output.Result, error.Result);
    }

    /// <summary>
    /// Starts <c>dpsynth <paramref name="args"/></c> with <paramref name="variable"/> set to <paramref name="value"/> (a
    /// fault-injection pause), waits until it writes <paramref name="line"/> to standard error, and kills it there.
    /// </summary>
    public static void KillWhenItSays(string line, string variable, string value, params string[] args)
    {
        using var child = Start(new Dictionary<string, string?> { [variable] = value }, args);
        try
        {
            string? said;
            while ((said = child.StandardError.ReadLine()) is not null && said != line)
            {
            }

            Assert.Equal(line, said);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
    }

    /// <summary>
    /// Starts <c>dpsynth <paramref name="args"/></c> with <paramref name="variable"/> set to <paramref name="value"/> (a
    /// fault-injection pause), waits until it writes <paramref name="line"/> to standard error, runs
    /// <paramref name="meanwhile"/> while it is paused, then lets it run to its end (killing it if <paramref name="meanwhile"/>
    /// throws).
    /// </summary>
    public static CliRunner.Result ActWhenItSays(string line, Action meanwhile, string variable, string value, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(meanwhile);
        using var child = Start(new Dictionary<string, string?> { [variable] = value }, args);
        var said = new List<string>();
        try
        {
            string? next;
            while ((next = child.StandardError.ReadLine()) is not null && next != line)
            {
                said.Add(next);
            }

            Assert.True(next == line, $"dpsynth ended without saying '{line}': {string.Join('\n', said)}");
            meanwhile();
        }
        catch
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            throw;
        }

        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException("dpsynth did not finish within 5 minutes.");
        }

        return new CliRunner.Result(child.ExitCode, output.Result, string.Join('\n', [.. said, line, error.Result]));
    }

    /// <summary>Starts the CLI with redirected output and the given extra environment.</summary>
    private static Process Start(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        Assert.True(File.Exists(CliDll), $"{CliDll} not found beside the test assembly");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { CliDll }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }
}
