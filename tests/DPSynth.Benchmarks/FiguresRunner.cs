using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace DPSynth.Benchmarks;

/// <summary>Runs every <see cref="IFigures"/> (optionally filtered by type name) and prints a Markdown table.</summary>
public static class FiguresRunner
{
    /// <summary>Runs the figures and writes the table; returns 0.</summary>
    public static int Run(string? filter, TextWriter output)
    {
        output.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, " +
                         $"{RuntimeInformation.ProcessArchitecture}; runtime {RuntimeInformation.FrameworkDescription}; " +
                         $"date {DateTime.UtcNow:yyyy-MM-dd}");
        output.WriteLine();
        output.WriteLine("| area | work | value | unit | goal | met |");
        output.WriteLine("|---|---|---|---|---|---|");
        var types = typeof(FiguresRunner).Assembly.GetTypes()
            .Where(t => typeof(IFigures).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Where(t => filter is null || t.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        foreach (var type in types)
        {
            var figures = (IFigures)Activator.CreateInstance(type)!;
            foreach (var f in figures.Measure())
            {
                var met = f.Met switch { true => "yes", false => "NO", null => "" };
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture, $"| {f.Area} | {f.Work} | {f.Value:G4} | {f.Unit} | {f.Goal} | {met} |"));
                output.Flush();
            }
        }

        return 0;
    }

    /// <summary>Median wall time in seconds of <paramref name="runs"/> runs of <paramref name="work"/>, after one warm-up.</summary>
    public static double MedianSeconds(int runs, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        work();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            work();
            times[i] = watch.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return times[runs / 2];
    }

    /// <summary>
    /// Median wall seconds and median process CPU seconds (all threads) of <paramref name="runs"/> runs of
    /// <paramref name="work"/>, after one warm-up. CPU time is the steadier figure on a shared machine.
    /// </summary>
    public static (double Wall, double Cpu) MedianWallAndCpu(int runs, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        work();
        var walls = new double[runs];
        var cpus = new double[runs];
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            work();
            walls[i] = watch.Elapsed.TotalSeconds;
            process.Refresh();
            cpus[i] = (process.TotalProcessorTime - cpu).TotalSeconds;
        }

        Array.Sort(walls);
        Array.Sort(cpus);
        return (walls[runs / 2], cpus[runs / 2]);
    }
}
