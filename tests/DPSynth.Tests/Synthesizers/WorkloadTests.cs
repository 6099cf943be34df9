using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

public sealed class WorkloadTests
{
    private static readonly Domain Abcd = new(["a", "b", "c", "d"], [2, 3, 4, 5]);

    [Fact]
    public void AllTwoWayListsEveryPairOnceWithWeightOne()
    {
        var workload = Workload.AllKWay(Abcd, 2);
        Assert.Equal(6, workload.Cliques.Length);
        Assert.All(workload.Cliques, w => Assert.Equal(1.0, w.Weight));
        Assert.Equal(Clique.Of(0, 1), workload.Cliques[0].Clique);
        Assert.Equal(Clique.Of(2, 3), workload.Cliques[^1].Clique);
        Assert.Equal(4, Workload.AllKWay(Abcd, 3).Cliques.Length);
    }

    [Fact]
    public void AnAllKWayWorkloadWiderThanTheTableIsRefused() =>
        Assert.Throws<SynthesisSettingsException>(() => Workload.AllKWay(Abcd, 5));

    [Fact]
    public void AnEmptyWorkloadIsRefused()
    {
        var ex = Assert.Throws<SynthesisSettingsException>(() => Workload.FromCliques(Abcd, []));
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWorkloadNamingAnUnknownColumnIsRefusedWithTheName()
    {
        var ex = Assert.Throws<SynthesisSettingsException>(
            () => Workload.FromNames(Abcd, [(["a", "zip"], 1.0)]));
        Assert.Contains("'zip'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Diagnostics.ExitCode.UsageOrInput, ex.ExitCode);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e308)] // its grid units overflowed a long in the candidates' sums: an internal error
    [InlineData(1048576.5)]
    public void ANonPositiveNonFiniteOrTooLargeWeightIsRefused(double weight) =>
        Assert.Throws<SynthesisSettingsException>(() => Workload.FromNames(Abcd, [(["a", "b"], weight)]));

    [Fact]
    public void RepeatedCliquesAndIndicesOutsideTheDomainAreRefused()
    {
        Assert.Throws<SynthesisSettingsException>(
            () => Workload.FromCliques(Abcd, [new(Clique.Of(0, 1), 1), new(Clique.Of(1, 0), 2)]));
        Assert.Throws<SynthesisSettingsException>(() => Workload.FromCliques(Abcd, [new(Clique.Of(0, 4), 1)]));
        Assert.Throws<SynthesisSettingsException>(() => Workload.FromCliques(Abcd, [new(Clique.Empty, 1)]));
        Assert.Throws<SynthesisSettingsException>(() => Workload.FromNames(Abcd, [(["a", "a"], 1.0)]));
    }

    [Fact]
    public void DownwardClosureWeightsAreTheWeightedOverlapWithTheWorkload()
    {
        // W = {(a,b) weight 1, (b,c) weight 2}: w_b = 1 + 2, w_(a,b) = 1 * 2 + 2 * 1, w_(b,c) = 1 * 1 + 2 * 2, w_a = 1, w_c = 2.
        var workload = Workload.FromNames(Abcd, [(["a", "b"], 1.0), (["b", "c"], 2.0)]);
        var candidates = CandidateSet.DownwardClosure(workload);
        var weights = candidates.Items.ToDictionary(c => c.Clique, c => c.WeightUnits / (double)CandidateSet.WeightUnitsPerOne);
        Assert.Equal(5, weights.Count);
        Assert.Equal(1, weights[Clique.Of(0)]);
        Assert.Equal(3, weights[Clique.Of(1)]);
        Assert.Equal(2, weights[Clique.Of(2)]);
        Assert.Equal(4, weights[Clique.Of(0, 1)]);
        Assert.Equal(5, weights[Clique.Of(1, 2)]);
        Assert.Equal(Clique.Of(0), candidates.Items[0].Clique);
        Assert.Equal(2, candidates.Items[^1].Clique.Count);
    }

    [Fact]
    public void AllTwoWayCandidateWeightsMatchTheReference()
    {
        // Private-PGM aim.py on d attributes: a pair's weight is 2d - 2 and a single attribute's d - 1.
        var candidates = CandidateSet.DownwardClosure(Workload.AllKWay(Abcd, 2));
        Assert.Equal(4 + 6, candidates.Count);
        foreach (var c in candidates.Items)
        {
            Assert.Equal(c.Clique.Count == 2 ? 6 : 3, c.WeightUnits / CandidateSet.WeightUnitsPerOne);
        }
    }

    [Fact]
    public void MwemCandidatesAreTheWorkloadCliquesWithUnitWeight()
    {
        var candidates = CandidateSet.WorkloadOnly(Workload.FromNames(Abcd, [(["a", "b"], 5.0), (["c"], 1.0)]));
        Assert.Equal(2, candidates.Count);
        Assert.All(candidates.Items, c => Assert.Equal(CandidateSet.WeightUnitsPerOne, c.WeightUnits));
    }
}
