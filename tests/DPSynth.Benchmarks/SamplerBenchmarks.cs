using BenchmarkDotNet.Attributes;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Privacy.Sampling;

namespace DPSynth.Benchmarks;

/// <summary>The exact samplers and the exponential mechanism (issue 3 performance goals).</summary>
[MemoryDiagnoser]
public class SamplerBenchmarks
{
    private readonly CsprngBits bits = new();
    private readonly long[] counts = new long[10_000];
    private DiscreteGaussian gaussian = null!;
    private ExponentialMechanism exponential = null!;
    private Int128[] scores = null!;

    /// <summary>sigma of the discrete Gaussian.</summary>
    [Params(100, 10_000)]
    public int Sigma { get; set; }

    /// <summary>Builds the samplers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        gaussian = DiscreteGaussian.WithSigmaSquared(GaussianMechanism.ForSigma(Sigma).SigmaSquared);
        exponential = ExponentialMechanism.ForEpsilonRoundedDown(0.0073);
        scores = PrivacyFigures.AimLikeScores(1000);
    }

    /// <summary>10,000 discrete Gaussian samples added to a count vector.</summary>
    [Benchmark(OperationsPerInvoke = 10_000)]
    public void DiscreteGaussianBatch() => gaussian.AddTo(bits, counts);

    /// <summary>One exponential-mechanism selection over 1,000 candidates.</summary>
    [Benchmark]
    public int ExponentialMechanism1000()
    {
        var accountant = new ZcdpAccountant(exponential.Cost.Rho);
        return exponential.Select(accountant.Charge(exponential.Cost, "bench"), scores, new Rational(26, 1));
    }
}
