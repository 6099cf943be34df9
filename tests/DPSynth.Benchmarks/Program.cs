using BenchmarkDotNet.Running;

namespace DPSynth.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- --figures [filter]</c> runs the fixed workloads of every <see cref="IFigures"/> and prints a
/// Markdown table for docs/benchmarks.md; <c>--write-table COLUMNSxCATEGORIESxROWS FOLDER</c> writes a generated wide
/// table (<see cref="Memory.WideTable"/>) as <c>table.csv</c> and <c>table.schema.yaml</c> for timing the command line;
/// any other arguments go to BenchmarkDotNet's switcher.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--figures")
        {
            return FiguresRunner.Run(args.Length > 1 ? args[1] : null, Console.Out);
        }

        if (args.Length == 3 && args[0] == "--write-table")
        {
            Directory.CreateDirectory(args[2]);
            var schema = Memory.WideTable.Parse(args[1]).WriteCsv(Path.Combine(args[2], "table.csv"));
            File.WriteAllText(Path.Combine(args[2], "table.schema.yaml"), schema);
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
