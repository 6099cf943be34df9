using System.Diagnostics;
using System.Globalization;
using DPSynth.Benchmarks.Support;
using DPSynth.Benchmarks.Synthesizers;
using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Resources;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Benchmarks.Memory;

/// <summary>
/// Issue 15's memory cases (<c>--figures Memory</c>): AIM and MWEM+PGM on generated wide tables (<see cref="WideTable"/>)
/// or adult, each run's peak resident memory next to the preflight estimate (<see cref="ResourceEstimator"/>), which
/// must bound it: the goal "no run above its printed memory estimate".
/// </summary>
/// <remarks>
/// <para><c>DPSYNTH_MEMORY_CASES</c> chooses the runs as comma-separated items (default
/// <c>aim:30x1000x5000,cli:aim:30x1000x5000</c>): <c>METHOD:SHAPE</c> fits in this process (peak: VmHWM, reset before the
/// run; the estimate assumes the table's true rows); <c>cli:METHOD:SHAPE</c> writes the table as a CSV and runs
/// <c>dpsynth synth</c> as a child process under <c>/usr/bin/time</c> (peak: its maximum resident set; the estimate is
/// the one the command prints, from the file's size). SHAPE is <c>COLUMNSxCATEGORIESxROWS</c> or <c>adult</c>.</para>
/// <para><c>DPSYNTH_MEMORY_EPSILON</c> (default 1, delta 1e-9), <c>DPSYNTH_MEMORY_MAX_MB</c> (the model-size cap) and
/// <c>DPSYNTH_MEMORY_ITERATIONS</c> (estimator iterations, to shorten long fits; named in the figure) tune the fits;
/// <c>DPSYNTH_MEMORY_LIMIT</c> is passed to the command line cases as <c>--max-memory</c>;
/// <c>DPSYNTH_MEMORY_NOISE_SEED</c> makes the in-process fits draw seeded, insecure noise, so two builds make the same
/// selections and their peaks compare (a profiling aid; never for a release).
/// Bound memory-hungry runs from outside with <c>DOTNET_GCHeapHardLimit</c>: a run that hits it is reported as such.</para>
/// </remarks>
public sealed class MemoryFigures : IFigures
{
    private const double Delta = 1e-9;

    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        var cases = (Environment.GetEnvironmentVariable("DPSYNTH_MEMORY_CASES") ?? "aim:30x1000x5000,cli:aim:30x1000x5000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var item in cases)
        {
            var parts = item.Split(':');
            var figures = parts[0] == "cli" ? RunCli(parts[1], parts[2]) : RunInProcess(parts[0], parts[1]);
            foreach (var figure in figures)
            {
                yield return figure;
            }
        }
    }

    private static double Epsilon => Number("DPSYNTH_MEMORY_EPSILON") ?? 1;

    private static double? MaxMb => Number("DPSYNTH_MEMORY_MAX_MB");

    private static int? Iterations => Number("DPSYNTH_MEMORY_ITERATIONS") is { } i ? (int)i : null;

    private static double? NoiseSeed => Number("DPSYNTH_MEMORY_NOISE_SEED");

    private static IEnumerable<Figure> RunInProcess(string method, string shape)
    {
        var table = shape == "adult" ? AdultData.Table : WideTable.Parse(shape).Encode();
        var synthesizer = Synthesizer(method, table.Domain);
        var work = Describe(
            method, shape, NoiseSeed is { } seed ? string.Create(CultureInfo.InvariantCulture, $"fit in process, seeded insecure noise {seed}") : "fit in process");
        var estimate = ResourceEstimator.For(
            synthesizer, new RowBound(table.RowCount, "the table's rows"), table.RowCount, PipelineShape.Synth);

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        PeakMemory.Reset();
        var watch = Stopwatch.StartNew();
        string outcome;
        try
        {
            // A seeded, insecure noise stream makes two builds select the same cliques, so their peaks compare.
            var rho = SynthesisBudget.FromEpsilonDelta(Epsilon, Delta);
            var accountant = NoiseSeed is { } noise ? ZcdpAccountant.InsecureDeterministic(rho, (ulong)noise) : new ZcdpAccountant(rho);
            var result = synthesizer.Fit(table, accountant, Progress(watch));
            result.Sample(new Random(1), table.RowCount);
            outcome = string.Create(
                CultureInfo.InvariantCulture,
                $"{result.Selections.Length} selections, model {result.Model.Tree.ByteCount / 1e6:F2} MB");
        }
        catch (Exception ex) when (InternalError.IsOutOfMemory(ex))
        {
            outcome = "OUT OF MEMORY (heap limit)";
        }

        return Report(work, outcome, watch.Elapsed.TotalSeconds, PeakMemory.Megabytes(), estimate);
    }

    private static IEnumerable<Figure> RunCli(string method, string shape)
    {
        var folder = Directory.CreateTempSubdirectory("dpsynth-memory-").FullName;
        try
        {
            var wide = WideTable.Parse(shape);
            var input = Path.Combine(folder, "table.csv");
            var schema = Path.Combine(folder, "table.schema.yaml");
            File.WriteAllText(schema, wide.WriteCsv(input));
            var estimate = ResourceEstimator.For(
                Synthesizer(method, wide.Domain), RowBound.FromCsvFile(input, wide.Columns), null, PipelineShape.Synth);
            var cli = CliAssembly();
            var peakFile = Path.Combine(folder, "peak.txt");
            var start = new ProcessStartInfo("/usr/bin/time")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            foreach (var arg in new[]
            {
                "-f", "%M", "-o", peakFile, "dotnet", cli, "synth", "--input", input, "--schema", schema, "--method", method,
                "--epsilon", Epsilon.ToString(CultureInfo.InvariantCulture), "--delta", "1e-9", "--out", Path.Combine(folder, "out.csv"),
            })
            {
                start.ArgumentList.Add(arg);
            }

            if (Environment.GetEnvironmentVariable("DPSYNTH_MEMORY_LIMIT") is { } limit)
            {
                start.ArgumentList.Add("--max-memory");
                start.ArgumentList.Add(limit);
            }

            if (MaxMb is { } mb)
            {
                start.ArgumentList.Add("--max-model-size");
                start.ArgumentList.Add(mb.ToString(CultureInfo.InvariantCulture));
            }

            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            // time(1) puts "Command exited with non-zero status N" before the figure when the command fails.
            var peakMb = long.Parse(File.ReadAllLines(peakFile)[^1].Trim(), CultureInfo.InvariantCulture) * 1024 / 1e6;
            var outcome = process.ExitCode == 0
                ? stdout.Result.Trim().Replace(folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
                : $"exit {process.ExitCode}: {stderr.Trim().Split('\n')[^1].Split(';')[0]}";
            return Report(Describe(method, shape, "dpsynth synth as a process"), outcome, watch.Elapsed.TotalSeconds, peakMb, estimate);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<Figure> Report(string work, string outcome, double seconds, double peakMb, ResourceEstimate estimate)
    {
        var estimateMb = estimate.PeakBytes / 1e6;
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{work}: {outcome}, {seconds:F1} s, peak {peakMb:F0} MB, estimate {estimateMb:F0} MB ({string.Join(", ", estimate.Parts.Select(p => $"{p.Name} {p.Bytes / 1e6:F0}"))})"));
        yield return new Figure("memory", $"{work}: peak memory (resident); {outcome}", peakMb, "MB", "<= preflight estimate", peakMb <= estimateMb);
        yield return new Figure("memory", $"{work}: preflight estimate of peak memory", estimateMb, "MB", "", null);
        yield return new Figure("memory", $"{work}: wall time", seconds, "s", "", null);
    }

    private static ISynthesizer Synthesizer(string method, Domain domain) => method switch
    {
        "aim" => new Aim(Workload.AllKWay(domain, 2), new AimOptions
        {
            MaxModelSizeMb = MaxMb ?? 80, Iterations = Iterations ?? 1000, FinalIterations = Iterations ?? 1000,
        }),
        "mwem" => new MwemPgm(Workload.AllKWay(domain, 2), new MwemOptions { MaxModelSizeMb = MaxMb ?? 25, Iterations = Iterations ?? 1000 }),
        "mst" => new Mst(domain),
        _ => throw new ArgumentException($"unknown method {method}"),
    };

    private static string Describe(string method, string shape, string how)
    {
        var settings = string.Create(
            CultureInfo.InvariantCulture,
            $"{(MaxMb is { } m ? $", max_model_size {m} MB" : "")}{(Iterations is { } i ? $", {i} iterations per estimate" : "")}");
        return string.Create(CultureInfo.InvariantCulture, $"{method.ToUpperInvariant()} eps={Epsilon}, {shape}, all 2-way{settings}, {how}");
    }

    /// <summary>The Release build of the command line, found from this assembly's folder upwards.</summary>
    internal static string CliAssembly()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "DPSynth.Cli", "bin", "Release", "net10.0", "DPSynth.Cli.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("Build src/DPSynth.Cli in Release first: its DPSynth.Cli.dll was not found.");
    }

    private static double? Number(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;

    private static IProgress<SynthesisProgress>? Progress(Stopwatch watch) =>
        Environment.GetEnvironmentVariable("DPSYNTH_SYNTH_PROGRESS") == "1"
            ? new SynchronousProgress(p => Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {watch.Elapsed.TotalSeconds:F0} s: {p.Phase} {p.Round}, rho used {p.RhoUsed / p.Rho:P0}, model {p.ModelMegabytes:F2} MiB, peak {PeakMemory.Megabytes():F0} MB, managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1e6:F0} MB")))
            : null;
}
