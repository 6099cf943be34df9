using BenchmarkDotNet.Running;

namespace DPSynth.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- --figures [filter]</c> runs the fixed workloads of every <see cref="IFigures"/> and prints a
/// Markdown table for docs/benchmarks.md; any other arguments go to BenchmarkDotNet's switcher.
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
