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
        var (result, times) = ActEachTimeItSays(line, n => { if (n == 1) { meanwhile(); } }, variable, value, args);
        Assert.True(times > 0, $"dpsynth ended without saying '{line}': {result.Error}");
        return result;
    }

    /// <summary>
    /// Starts <c>dpsynth <paramref name="args"/></c> with <paramref name="variable"/> set to <paramref name="value"/> (a
    /// fault-injection pause that every write of the command makes), and each time it writes <paramref name="line"/> to
    /// standard error runs <paramref name="meanwhile"/> with how many times it has (1, 2, ...) while it is paused; lets it
    /// run to its end (killing it if <paramref name="meanwhile"/> throws). Returns its result and that count.
    /// </summary>
    public static (CliRunner.Result Result, int Times) ActEachTimeItSays(
        string line, Action<int> meanwhile, string variable, string value, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(meanwhile);
        using var child = Start(new Dictionary<string, string?> { [variable] = value }, args);
        var output = child.StandardOutput.ReadToEndAsync();
        var said = new List<string>();
        var times = 0;
        try
        {
            string? next;
            while ((next = child.StandardError.ReadLine()) is not null)
            {
                said.Add(next);
                if (next == line)
                {
                    meanwhile(++times);
                }
            }
        }
        catch
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            throw;
        }

        if (!child.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException("dpsynth did not finish within 5 minutes.");
        }

        return (new CliRunner.Result(child.ExitCode, output.Result, string.Join('\n', said)), times);
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
