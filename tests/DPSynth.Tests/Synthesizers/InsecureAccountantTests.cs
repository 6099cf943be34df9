using DPSynth.Data;
using DPSynth.Privacy;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

public sealed class InsecureAccountantTests
{
    private static readonly EncodedTable Data = ChainTables.Generate(2000, seed: 3);

    private static SynthesisResult Fit(ZcdpAccountant accountant) =>
        new Mst(Data.Domain, new MstOptions { SelectionIterations = 50, FinalIterations = 50 }).Fit(Data, accountant);

    private static long[][] Noisy(SynthesisResult result) =>
        [.. result.NoisyMeasurements.Select(m => m.Values.ToArray().Select(v => (long)Math.Round(v)).ToArray())];

    [Fact]
    public void AnInsecureAccountantMakesEveryMechanismReproducibleAndMarksTheRunNotPrivate()
    {
        var rho = SynthesisBudget.FromEpsilonDelta(1, 1e-6);
        var first = ZcdpAccountant.InsecureDeterministic(rho, 42);
        var second = ZcdpAccountant.InsecureDeterministic(rho, 42);
        var a = Fit(first);
        var b = Fit(second);

        Assert.True(first.IsInsecure);
        Assert.True(first.UsedInsecureNoise);
        Assert.True(a.UsedInsecureNoise); // the result carries it, so no release step depends on the caller's memory
        Assert.True(b.UsedInsecureNoise);
        Assert.Equal(a.Selections.Select(s => s.Selected), b.Selections.Select(s => s.Selected));
        Assert.Equal(Noisy(a), Noisy(b));
    }

    [Fact]
    public void AnOrdinaryAccountantUsesTheCsprngAndIsNotMarked()
    {
        // Two CSPRNG fits agree on every noisy count with probability below 1e-9 (false failure): every measurement's
        // sigma is above 1, where a discrete Gaussian's largest point mass is < 0.41, so one coordinate collides with
        // probability < 0.41; MST measures the 14 one-way cells and 3 two-way marginals (>= 6 cells each): >= 32
        // independent coordinates, and 0.41^32 < 1e-12.
        var rho = SynthesisBudget.FromEpsilonDelta(1, 1e-6);
        var first = new ZcdpAccountant(rho);
        var a = Fit(first);
        var b = Fit(new ZcdpAccountant(rho));

        Assert.False(first.IsInsecure);
        Assert.False(first.UsedInsecureNoise);
        Assert.False(a.UsedInsecureNoise);
        Assert.NotEqual(Noisy(a), Noisy(b));
    }
}
