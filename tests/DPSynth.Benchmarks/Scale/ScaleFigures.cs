using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DPSynth.Benchmarks.Synthesizers;
using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Schema;
using Npgsql;

namespace DPSynth.Benchmarks.Scale;

/// <summary>
/// Issue 15 part 4 (<c>--figures Scale</c>): a generated table (<see cref="ScaleTable"/>, 10M x 20 by default) counted
/// by every marginal source (rows per second for all 20 one-way and 190 two-way marginals, peak memory), and MST and
/// AIM end to end through DuckDB as <c>dpsynth synth</c> child processes (wall time, peak resident memory, and the
/// preflight estimate the command printed, which must bound the peak).
/// </summary>
/// <remarks>
/// Environment: <c>DPSYNTH_SCALE_ROWS</c> (default 10,000,000), <c>DPSYNTH_SCALE_DIR</c> (where the generated files are
/// kept and reused; default <c>dpsynth-scale</c> under the temporary folder, never the repository),
/// <c>DPSYNTH_SCALE_SOURCES</c> (comma-separated from <c>memory-csv, memory-parquet, duckdb-csv, duckdb-parquet,
/// postgres</c>; default all, postgres only when <c>DPSYNTH_TEST_POSTGRES</c> holds a connection string),
/// <c>DPSYNTH_SCALE_RUNS</c> (end-to-end runs as <c>METHOD:INPUT</c>, INPUT <c>parquet</c> or <c>csv</c>, through DuckDB;
/// default <c>mst:parquet,mst:csv,aim:parquet</c>; empty for none), <c>DPSYNTH_SCALE_TIMEOUT</c> (seconds before an
/// end-to-end run is stopped and reported as such; default 900), <c>DPSYNTH_SCALE_EPSILON</c> (default 1; delta 1e-9).
/// </remarks>
public sealed partial class ScaleFigures : IFigures
{
    private static long Rows => (long)(Number("DPSYNTH_SCALE_ROWS") ?? 10_000_000);

    private static double Epsilon => Number("DPSYNTH_SCALE_EPSILON") ?? 1;

    private static string Shape => string.Create(CultureInfo.InvariantCulture, $"{Rows:N0} x {ScaleTable.ColumnCount}");

    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        var folder = Environment.GetEnvironmentVariable("DPSYNTH_SCALE_DIR") ?? Path.Combine(Path.GetTempPath(), "dpsynth-scale");
        var watch = Stopwatch.StartNew();
        var (csv, parquet, schemaPath) = new ScaleTable(Rows).WriteInto(folder);
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"scale table {Shape}: {new FileInfo(csv).Length / 1e6:F0} MB CSV, {new FileInfo(parquet).Length / 1e6:F0} MB Parquet, ready in {watch.Elapsed.TotalSeconds:F0} s (in {folder})"));
        var schema = ScaleTable.Schema();

        var postgres = Environment.GetEnvironmentVariable("DPSYNTH_TEST_POSTGRES");
        var sources = (Environment.GetEnvironmentVariable("DPSYNTH_SCALE_SOURCES")
                       ?? "memory-csv,memory-parquet,duckdb-csv,duckdb-parquet" + (string.IsNullOrEmpty(postgres) ? "" : ",postgres"))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var source in sources)
        {
            foreach (var figure in CountWith(source, csv, parquet, schema, postgres))
            {
                yield return figure;
            }
        }

        var runs = (Environment.GetEnvironmentVariable("DPSYNTH_SCALE_RUNS") ?? "mst:parquet,mst:csv,aim:parquet")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var run in runs)
        {
            var parts = run.Split(':');
            foreach (var figure in EndToEnd(parts[0], parts[1] == "csv" ? csv : parquet, schemaPath, folder))
            {
                yield return figure;
            }
        }
    }

    /// <summary>Opens one source and counts every 1- and 2-way marginal, timing each step, in this process.</summary>
    private static IEnumerable<Figure> CountWith(string source, string csv, string parquet, TableSchema schema, string? postgres)
    {
        var d = schema.Domain.Count;
        var cliques = Enumerable.Range(0, d).Select(a => Clique.Of(a))
            .Concat(Enumerable.Range(0, d).SelectMany(a => Enumerable.Range(a + 1, d - a - 1).Select(b => Clique.Of(a, b))))
            .ToArray();
        var table = source == "postgres" ? LoadPostgres(postgres!, csv) : null;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        PeakMemory.Reset();
        var watch = Stopwatch.StartNew();
        using var opened = source switch
        {
            "memory-csv" => new InMemoryMarginalSource(CsvEncoder.EncodeFile(csv, schema).Table),
            "memory-parquet" => new InMemoryMarginalSource(ParquetEncoder.EncodeFile(parquet, schema).Table),
            "duckdb-csv" => DuckDbSource.OpenCsv(csv, schema),
            "duckdb-parquet" => DuckDbSource.OpenParquet(parquet, schema),
            "postgres" => (IMarginalSource)PostgresSource.Open(postgres!, table!, schema),
            _ => throw new ArgumentException($"unknown source {source}"),
        };
        var open = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var counts = opened.Count(cliques);
        var count = watch.Elapsed.TotalSeconds;
        var peak = PeakMemory.Megabytes();
        var total = counts[0].Sum();
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{source}: open {open:F1} s, count {cliques.Length} marginals {count:F1} s, peak {peak:F0} MB, {total:N0} rows counted"));
        var work = string.Create(CultureInfo.InvariantCulture, $"{Shape}, {source}");
        yield return new Figure("scale", $"{work}: open (read, encode, check rows)", Rows / open, "rows/s", "", null);
        yield return new Figure("scale", $"{work}: count all {cliques.Length} 1- and 2-way marginals", Rows / count, "rows/s", "", null);
        yield return new Figure("scale", $"{work}: open + count, wall time", open + count, "s", "", null);
        yield return new Figure("scale", $"{work}: peak memory (resident, this process)", peak, "MB", "", null);
    }

    /// <summary>
    /// Loads the CSV into a PostgreSQL table <c>scale_ROWS</c> (typed columns), unless a table of that name with that many
    /// rows is there already; returns its name.
    /// </summary>
    private static string LoadPostgres(string connectionString, string csv)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"scale_{Rows}");
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using (var exists = new NpgsqlCommand($"SELECT to_regclass('{name}') IS NOT NULL", connection))
        {
            if ((bool)exists.ExecuteScalar()!)
            {
                using var rows = new NpgsqlCommand($"SELECT count(*) FROM {name}", connection);
                if ((long)rows.ExecuteScalar()! == Rows)
                {
                    return name;
                }
            }
        }

        var watch = Stopwatch.StartNew();
        using (var create = new NpgsqlCommand($"DROP TABLE IF EXISTS {name}; CREATE TABLE {name} ({string.Join(", ", ScaleTable.SqlColumns())})", connection))
        {
            create.ExecuteNonQuery();
        }

        using (var writer = connection.BeginTextImport($"COPY {name} FROM STDIN (FORMAT csv, HEADER true)"))
        using (var reader = new StreamReader(csv))
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                writer.Write(buffer, 0, read);
            }
        }

        using (var analyze = new NpgsqlCommand($"ANALYZE {name}", connection))
        {
            analyze.ExecuteNonQuery();
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgres: loaded {name} in {watch.Elapsed.TotalSeconds:F0} s"));
        return name;
    }

    /// <summary>
    /// Runs <c>dpsynth synth --source duckdb</c> as a child process under <c>/usr/bin/time</c>: wall time, peak resident
    /// memory, the preflight estimate it printed, and its progress lines with their times (stderr of this process).
    /// </summary>
    private static IEnumerable<Figure> EndToEnd(string method, string input, string schema, string folder)
    {
        var output = Path.Combine(folder, $"out-{method}.parquet");
        var peakFile = Path.Combine(folder, $"peak-{method}.txt");
        File.Delete(peakFile);
        // The last run's output, in this figure's own folder: the CLI refuses to replace a file without --force.
        File.Delete(output);
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
        {
            "-f", "%M", "-o", peakFile, "dotnet", Memory.MemoryFigures.CliAssembly(), "synth", "--source", "duckdb", "--input", input,
            "--schema", schema, "--method", method, "--epsilon", Epsilon.ToString(CultureInfo.InvariantCulture), "--delta", "1e-9",
            "--out", output,
        })
        {
            start.ArgumentList.Add(arg);
        }

        var timeout = TimeSpan.FromSeconds(Number("DPSYNTH_SCALE_TIMEOUT") ?? 900);
        var work = string.Create(
            CultureInfo.InvariantCulture, $"{method.ToUpperInvariant()} eps={Epsilon}, {Shape}, duckdb over {Path.GetExtension(input).TrimStart('.')}, dpsynth synth as a process");
        var lines = new List<string>();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                var stamped = string.Create(CultureInfo.InvariantCulture, $"  {watch.Elapsed.TotalSeconds,6:F1} s: {line}");
                lock (lines)
                {
                    lines.Add(line);
                }

                Console.Error.WriteLine(stamped);
            }
        };
        process.BeginErrorReadLine();
        var finished = process.WaitForExit(timeout);
        if (!finished)
        {
            // Only the process this figure started (time(1), which takes its child down with it).
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var seconds = watch.Elapsed.TotalSeconds;
        process.WaitForExit();
        string[] seen;
        lock (lines)
        {
            seen = [.. lines];
        }

        var estimateMb = seen.Select(l => EstimatePattern().Match(l)).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * (m.Groups[2].Value == "GB" ? 1000 : 1))
            .DefaultIfEmpty(double.NaN).First();
        var peakLines = File.Exists(peakFile) ? File.ReadAllLines(peakFile) : [];
        var peakMb = peakLines.Length > 0 && long.TryParse(peakLines[^1].Trim(), CultureInfo.InvariantCulture, out var kb) ? kb * 1024 / 1e6 : double.NaN;
        var outcome = !finished
            ? string.Create(CultureInfo.InvariantCulture, $"stopped after {timeout.TotalSeconds:F0} s at \"{seen.LastOrDefault(l => l.StartsWith(method, StringComparison.OrdinalIgnoreCase)) ?? seen.LastOrDefault()}\"")
            : process.ExitCode == 0
                ? stdout.Result.Trim().Replace(folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
                : $"exit {process.ExitCode}: {seen.LastOrDefault()}";
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"{work}: {outcome}; {seconds:F1} s, peak {peakMb:F0} MB, estimate {estimateMb:F0} MB"));
        // A run that failed or was stopped meets no goal: its time and memory are those of a run that did not finish.
        var succeeded = finished && process.ExitCode == 0;
        var goals = method == "mst" && Rows >= 10_000_000;
        yield return new Figure("scale", $"{work}: wall time; {outcome}", seconds, "s", goals ? "< 120 s" : "", goals ? succeeded && seconds < 120 : null);
        yield return new Figure("scale", $"{work}: peak memory (resident)", peakMb, "MB", goals ? "< 1000 MB" : "", goals ? succeeded && peakMb < 1000 : null);
        yield return new Figure("scale", $"{work}: peak memory against the printed preflight estimate", peakMb, "MB",
            string.Create(CultureInfo.InvariantCulture, $"<= {estimateMb:F0} MB"), !succeeded ? false : double.IsNaN(estimateMb) ? null : peakMb <= estimateMb);
    }

    private static double? Number(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"preflight: peak memory at most ([0-9.]+) (MB|GB)")]
    private static partial Regex EstimatePattern();
}
