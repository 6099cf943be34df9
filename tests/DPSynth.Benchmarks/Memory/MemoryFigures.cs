using System.Diagnostics;
using System.Globalization;
using DPSynth.Benchmarks.Support;
using DPSynth.Benchmarks.Synthesizers;
using DPSynth.Budget;
using DPSynth.Synthesizers;

namespace DPSynth.Benchmarks.Memory;

/// <summary>
/// Issue 15's memory cases (<c>--figures Memory</c>): AIM and MWEM+PGM fitted on generated wide tables
/// (<see cref="WideTable"/>), each run's peak resident memory (VmHWM, reset before the run) and wall time.
/// </summary>
/// <remarks>
/// <c>DPSYNTH_MEMORY_CASES</c> chooses the runs as <c>method:COLUMNSxCATEGORIESxROWS</c> items (default
/// <c>aim:30x1000x5000,mwem:30x1000x5000</c>); <c>DPSYNTH_MEMORY_EPSILON</c> sets epsilon (default 1, delta 1e-9).
/// Bound memory-hungry runs from outside with <c>DOTNET_GCHeapHardLimit</c>: a run that hits it is reported as such.
/// </remarks>
public sealed class MemoryFigures : IFigures
{
    private const double Delta = 1e-9;

    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        var epsilon = double.Parse(
            Environment.GetEnvironmentVariable("DPSYNTH_MEMORY_EPSILON") ?? "1", CultureInfo.InvariantCulture);
        var cases = (Environment.GetEnvironmentVariable("DPSYNTH_MEMORY_CASES") ?? "aim:30x1000x5000,mwem:30x1000x5000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var item in cases)
        {
            var (method, shape) = (item.Split(':')[0], item.Split(':')[1]);
            foreach (var figure in RunCase(method, shape, epsilon))
            {
                yield return figure;
            }
        }
    }

    private static IEnumerable<Figure> RunCase(string method, string shape, double epsilon)
    {
        var table = shape == "adult" ? AdultData.Table : WideTable.Parse(shape).Encode();
        var label = shape == "adult" ? "adult" : WideTable.Parse(shape).Label;
        var maxMb = Environment.GetEnvironmentVariable("DPSYNTH_MEMORY_MAX_MB") is { } mb
            ? double.Parse(mb, CultureInfo.InvariantCulture)
            : (double?)null;
        var iterations = Environment.GetEnvironmentVariable("DPSYNTH_MEMORY_ITERATIONS") is { } it
            ? int.Parse(it, CultureInfo.InvariantCulture)
            : (int?)null;
        var settings = string.Create(
            CultureInfo.InvariantCulture,
            $"{(maxMb is { } m ? $", max_model_size {m} MB" : "")}{(iterations is { } i ? $", {i} iterations per estimate" : "")}");
        var work = string.Create(CultureInfo.InvariantCulture, $"{method.ToUpperInvariant()} eps={epsilon}, {label}, all 2-way{settings}");
        ISynthesizer synthesizer = method switch
        {
            "aim" => new Aim(Workload.AllKWay(table.Domain, 2), new AimOptions
            {
                MaxModelSizeMb = maxMb ?? 80, Iterations = iterations ?? 1000, FinalIterations = iterations ?? 1000,
            }),
            "mwem" => new MwemPgm(Workload.AllKWay(table.Domain, 2), new MwemOptions
            {
                MaxModelSizeMb = maxMb ?? 25, Iterations = iterations ?? 1000,
            }),
            _ => throw new ArgumentException($"unknown method {method}"),
        };

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        PeakMemory.Reset();
        var watch = Stopwatch.StartNew();
        string outcome;
        double modelMb = double.NaN;
        try
        {
            var accountant = new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(epsilon, Delta));
            var result = synthesizer.Fit(table, accountant, Progress(watch));
            modelMb = result.Model.Tree.ByteCount / 1e6;
            outcome = string.Create(CultureInfo.InvariantCulture, $"finished, {result.Selections.Length} selections");
        }
        catch (Exception ex) when (ex is OutOfMemoryException || ex.InnerException is OutOfMemoryException)
        {
            outcome = "OUT OF MEMORY (heap limit)";
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var peak = PeakMemory.Megabytes();
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"{work}: {outcome}, {seconds:F1} s, peak {peak:F0} MB, model {modelMb:F2} MB"));
        yield return new Figure("memory", $"{work}: peak memory (resident), {outcome}", peak, "MB", "", null);
        yield return new Figure("memory", $"{work}: wall time, fit", seconds, "s", "", null);
        yield return new Figure("memory", $"{work}: model size", modelMb, "MB", "", null);
    }

    private static IProgress<SynthesisProgress>? Progress(Stopwatch watch) =>
        Environment.GetEnvironmentVariable("DPSYNTH_SYNTH_PROGRESS") == "1"
            ? new SynchronousProgress(p => Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {watch.Elapsed.TotalSeconds:F0} s: {p.Phase} {p.Round}, rho used {p.RhoUsed / p.Rho:P0}, model {p.ModelMegabytes:F2} MiB, peak {PeakMemory.Megabytes():F0} MB, managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1e6:F0} MB (committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1e6:F0} MB), allocated {GC.GetTotalAllocatedBytes() / 1e9:F1} GB")))
            : null;

    private sealed class SynchronousProgress(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }
}
