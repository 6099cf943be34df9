using System.Diagnostics;

namespace DPSynth.Tests.Support;

/// <summary>Files that are not regular files, for the refusal tests (Unix only: run them under <see cref="UnixFactAttribute"/>).</summary>
public static class SpecialFiles
{
    /// <summary>A device that never ends.</summary>
    public const string Device = "/dev/zero";

    /// <summary>Makes a FIFO (named pipe) in <paramref name="dir"/> with mkfifo(1) and returns its path.</summary>
    public static string MakeFifo(TempDirectory dir, string name)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var path = dir.File(name);
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return path;
    }

    /// <summary>
    /// Runs <paramref name="action"/>, which must refuse <paramref name="fifo"/> without opening it. Opened for reading,
    /// a FIFO blocks until a writer comes, so a broken refusal would hang the test host: after a grace period (reached
    /// only when the code under test is broken) a writer opens the FIFO, the reader gets end of file, and the test fails.
    /// </summary>
    public static T WithoutBlockingOn<T>(string fifo, Func<T> action)
    {
        var task = Task.Run(action);
        if (!task.Wait(TimeSpan.FromSeconds(30)))
        {
            _ = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose());
            Assert.Fail($"still blocked on the FIFO {fifo} after 30 s: it was opened for reading instead of refused");
        }

        return task.Result;
    }
}
