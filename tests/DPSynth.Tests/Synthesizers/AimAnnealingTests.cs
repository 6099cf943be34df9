using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// AIM's annealing rule (privacy-details.md section 4): after a non-final round whose re-fit moved the model's estimate
/// of the measured clique by at most sqrt(2/pi) sigma n_cells in L1, sigma halves and epsilon doubles; otherwise both stay.
/// </summary>
public sealed class AimAnnealingTests
{
    private static readonly EncodedTable Data = ChainTables.Generate(3000, seed: 7);

    private static (SynthesisResult Result, List<AimRefit> Refits) Fit(bool anneal)
    {
        var refits = new List<AimRefit>();
        var options = new AimOptions { Iterations = 100, FinalIterations = 10, Anneal = anneal };
        var aim = new Aim(Workload.AllKWay(Data.Domain, 2), options) { RefitObserver = refits.Add };

        // Deterministic (false-failure probability 0): the seeded insecure stream replaces the CSPRNG bits only, so the
        // same selections, measurements and fits run, and every outcome below is the same on every run.
        var accountant = ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(1, 1e-6), 11);
        return (aim.Fit(Data, accountant), refits);
    }

    [Fact]
    public void SigmaHalvesAndEpsilonDoublesExactlyAfterTheRoundsThatMovedTheEstimateLittle()
    {
        var (result, refits) = Fit(anneal: true);
        var rounds = result.Measurements.Where(m => m.Round > 0).ToArray();
        Assert.Equal(rounds.Length, refits.Count);
        Assert.Equal(rounds.Length, result.Selections.Length);

        // Round i + 1 is compared with round i + 2; the last round spends what is left (its own rule), so it is skipped.
        int annealed = 0, kept = 0;
        for (var i = 0; i + 2 < rounds.Length; i++)
        {
            var refit = refits[i];
            Assert.Equal(i + 1, refit.Round);
            Assert.Equal(rounds[i].Clique, refit.Clique);
            var moved = refit.Before.Zip(refit.After, (b, a) => Math.Abs(a - b)).Sum();
            var threshold = Math.Sqrt(2 / Math.PI) * rounds[i].Sigma * refit.Before.Length;
            var sigmaRatio = rounds[i + 1].Sigma / rounds[i].Sigma;
            var epsilonRatio = result.Selections[i + 1].Epsilon.ToDouble() / result.Selections[i].Epsilon.ToDouble();

            // sigma^2 is rounded up by at most 1e-6 relative, epsilon down by 2^-40: ratios are exact to 1e-5.
            var (sigmaExpected, epsilonExpected) = moved <= threshold ? (0.5, 2.0) : (1.0, 1.0);
            Assert.True(
                Math.Abs(sigmaRatio - sigmaExpected) < 1e-5 && Math.Abs(epsilonRatio - epsilonExpected) < 1e-5,
                $"round {i + 1}: moved {moved} vs {threshold}, sigma x{sigmaRatio}, epsilon x{epsilonRatio}");
            if (moved <= threshold)
            {
                annealed++;
            }
            else
            {
                kept++;
            }
        }

        // Both branches ran: the first pairs move the 1-way model far (the chain is strongly dependent), re-measured
        // pairs move it little.
        Assert.True(annealed > 0 && kept > 0, $"annealed {annealed}, kept {kept}");
    }

    [Fact]
    public void WithoutAnnealingEveryRoundButTheLastKeepsTheFirstSigmaAndEpsilon()
    {
        var (result, refits) = Fit(anneal: false);
        var rounds = result.Measurements.Where(m => m.Round > 0).ToArray();
        Assert.True(rounds.Length > 2);

        // Some round moved its estimate little, so the rule would have fired had it been on.
        Assert.Contains(
            refits.Take(rounds.Length - 1).Select((r, i) =>
                r.Before.Zip(r.After, (b, a) => Math.Abs(a - b)).Sum() <=
                Math.Sqrt(2 / Math.PI) * rounds[i].Sigma * r.Before.Length),
            little => little);
        Assert.All(rounds[..^1], m => Assert.Equal(rounds[0].SigmaSquared, m.SigmaSquared));
        Assert.All(result.Selections[..^1], s => Assert.Equal(result.Selections[0].Epsilon, s.Epsilon));
    }
}
