using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using DPSynth.Data;

namespace DPSynth.Benchmarks;

/// <summary>
/// Figures for issue 2: CSV parse + encode throughput (one thread) on adult-train.csv and on a generated
/// 1,000,000 x 15 file, and the encoded table's size. Each rate is given twice: by wall time (median of runs) and by
/// the process's CPU time (median of the same runs), which stays meaningful when other work shares the machine.
/// CsvHelper's own parse (reading every field as a string, no encoding) is shown as the floor the encoder sits on.
/// </summary>
public sealed class CsvFigures : IFigures
{
    private const int GeneratedRows = 1_000_000;
    private const string RateGoal = ">= 500,000 rows/s (one core)";

    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        if (BenchmarkData.AdultTrain is { } adult)
        {
            var schema = BenchmarkData.AdultSchema(adult);
            var rows = CsvEncoder.EncodeFile(adult, schema).Table.RowCount;

            // Ten passes per timed run: one pass is too short for the CPU clock's ~10 ms resolution.
            const int passes = 10;
            foreach (var figure in Rates($"adult-train.csv ({rows:N0} rows, {passes} passes per run)", rows * passes, 5, () =>
            {
                for (var i = 0; i < passes; i++)
                {
                    CsvEncoder.EncodeFile(adult, schema);
                }
            }))
            {
                yield return figure;
            }
        }

        using var generated = new GeneratedCsv(GeneratedRows);
        foreach (var figure in Rates("generated 1,000,000 x 15 CSV", GeneratedRows, 3, () => CsvEncoder.EncodeFile(generated.Path, GeneratedCsv.Schema)))
        {
            yield return figure;
        }

        var (_, parseCpu) = Median(3, () => ParseOnly(generated.Path));
        yield return new Figure("data", "CsvHelper parse only (every field as string), generated file, by CPU time",
            GeneratedRows / parseCpu, "rows/s", "context", null);

        var megabytes = CsvEncoder.EncodeFile(generated.Path, GeneratedCsv.Schema).Table.ByteCount / 1e6;
        yield return new Figure("data", "encoded 1,000,000 x 15 table (EncodedTable.ByteCount)", megabytes, "MB", "<= 40 MB", megabytes <= 40);
    }

    private static IEnumerable<Figure> Rates(string work, int rows, int runs, Action encode)
    {
        var (wall, cpu) = Median(runs, encode);
        yield return new Figure("data", $"parse+encode {work}, by wall time", rows / wall, "rows/s", RateGoal, rows / wall >= 500_000);
        yield return new Figure("data", $"parse+encode {work}, by CPU time", rows / cpu, "rows/s", RateGoal, rows / cpu >= 500_000);
    }

    /// <summary>Median wall and CPU seconds of <paramref name="runs"/> runs after one warm-up.</summary>
    private static (double Wall, double Cpu) Median(int runs, Action work)
    {
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

    private static long ParseOnly(string path)
    {
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BufferSize = 1 << 16 });
        long chars = 0;
        while (parser.Read())
        {
            for (var f = 0; f < parser.Count; f++)
            {
                chars += parser[f].Length;
            }
        }

        return chars;
    }
}
