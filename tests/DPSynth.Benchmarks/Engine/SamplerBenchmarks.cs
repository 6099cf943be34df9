using BenchmarkDotNet.Attributes;
using DPSynth.Benchmarks.Support;
using DPSynth.Inference;

namespace DPSynth.Benchmarks.Engine;

/// <summary>Sampling adult-sized tables from the MST-like model with the "round" method.</summary>
[MemoryDiagnoser]
public class SamplerBenchmarks
{
    private GraphicalModel? model;

    /// <summary>Fits the MST-like model (300 iterations) on noisy adult marginals.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var table = AdultData.Table;
        model = new MirrorDescentEstimator(new MirrorDescentOptions { MaxIterations = 300 })
            .Estimate(table.Domain, AdultData.Measure(table, AdultData.MstLikeCliques(table.Domain), 10.0));
    }

    /// <summary>48,842 rows.</summary>
    [Benchmark]
    public int Sample() => model!.Sample(48_842, new Random(1)).RowCount;
}
