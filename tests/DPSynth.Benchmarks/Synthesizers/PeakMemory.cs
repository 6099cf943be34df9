using System.Diagnostics;
using System.Globalization;

namespace DPSynth.Benchmarks.Synthesizers;

/// <summary>
/// Peak resident memory of one run. On Linux the kernel's high-water mark (VmHWM) can be reset by writing 5 to
/// <c>/proc/self/clear_refs</c>, so each run gets its own peak; elsewhere the process-wide
/// <see cref="Process.PeakWorkingSet64"/> is used (monotone across runs).
/// </summary>
internal static class PeakMemory
{
    /// <summary>Resets the high-water mark where the OS allows it.</summary>
    public static void Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not permitted: the process-wide peak is reported instead.
        }
    }

    /// <summary>The peak resident set since the last reset, in MB (10^6 bytes).</summary>
    public static double Megabytes()
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb * 1024 / 1e6;
                }
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1e6;
    }
}
