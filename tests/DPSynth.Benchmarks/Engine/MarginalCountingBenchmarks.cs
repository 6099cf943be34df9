using BenchmarkDotNet.Attributes;
using DPSynth.Benchmarks.Support;
using DPSynth.Marginals;

namespace DPSynth.Benchmarks.Engine;

/// <summary>Counting all k-way marginals of adult: the batch API against counting one clique at a time.</summary>
[MemoryDiagnoser]
public class MarginalCountingBenchmarks
{
    private List<Clique> cliques = [];

    /// <summary>Marginal order.</summary>
    [Params(2, 3)]
    public int Way { get; set; }

    /// <summary>Loads adult and lists the cliques.</summary>
    [GlobalSetup]
    public void Setup() => cliques = EngineFigures.Combinations(AdultData.Table.Domain.Count, Way);

    /// <summary>One clique at a time, one thread.</summary>
    [Benchmark(Baseline = true)]
    public int OneByOne()
    {
        var cells = 0;
        foreach (var c in cliques)
        {
            cells += MarginalCounter.Count(AdultData.Table, c).Length;
        }

        return cells;
    }

    /// <summary>The batch API (one pass per worker over row chunks, both cores).</summary>
    [Benchmark]
    public int Batch() => MarginalCounter.CountMany(AdultData.Table, cliques).Length;
}
