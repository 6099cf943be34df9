using BenchmarkDotNet.Attributes;
using DPSynth.Benchmarks.Support;
using DPSynth.Inference;

namespace DPSynth.Benchmarks.Engine;

/// <summary>One mirror-descent iteration (BP + loss + gradient + line search) on adult's standard models.</summary>
[MemoryDiagnoser]
public class EstimatorIterationBenchmarks
{
    private MirrorDescentEstimator.Run? run;

    /// <summary>"MstLike": 1-way + chain of 2-way (28,281 cells); "ThreeWayChain": 1-way + chain of 3-way (1,560,316 cells).</summary>
    [Params("MstLike", "ThreeWayChain")]
    public string Model { get; set; } = "MstLike";

    /// <summary>Builds the tree, measurements and buffers, and takes a few steps.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var domain = AdultData.Table.Domain;
        run = AdultData.StartedRun(Model == "MstLike" ? AdultData.MstLikeCliques(domain) : AdultData.ThreeWayChainCliques(domain));
        for (var i = 0; i < 10; i++)
        {
            run.Step(null);
        }
    }

    /// <summary>One iteration.</summary>
    [Benchmark]
    public bool Iteration() => run!.Step(null);
}
