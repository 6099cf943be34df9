using System.Diagnostics;

namespace DPSynth.Tests.Support;

/// <summary>Runs the real <c>dpsynth</c> CLI as a child process, to kill it at a chosen point (a crash, not an exception).</summary>
public static class CliProcess
{
    /// <summary>The CLI assembly built beside the tests.</summary>
    public static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "DPSynth.Cli.dll");

    /// <summary>
    /// Starts <c>dpsynth <paramref name="args"/></c> with <paramref name="variable"/> set to <paramref name="value"/> (a
    /// fault-injection pause), waits until it writes <paramref name="line"/> to standard error, and kills it there.
    /// </summary>
    public static void KillWhenItSays(string line, string variable, string value, params string[] args)
    {
        Assert.True(File.Exists(CliDll), $"{CliDll} not found beside the test assembly");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { CliDll }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment[variable] = value;
        using var child = Process.Start(info)!;
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
}
