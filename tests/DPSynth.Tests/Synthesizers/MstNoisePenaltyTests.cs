using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

/// <summary>MST's noise penalty (<see cref="MstOptions.NoisePenalty"/>) changes the scores by public offsets only.</summary>
public sealed class MstNoisePenaltyTests
{
    private static readonly DPSynth.Data.EncodedTable Data = ChainTables.Generate(2000, seed: 11);

    [Fact]
    public void APenaltyLowersEachScoreByItsRoundedPublicOffsetExactly()
    {
        var domain = Data.Domain;
        var singles = Enumerable.Range(0, domain.Count).Select(a => Clique.Of(a)).ToArray();
        var measurements = singles
            .Select(c => new NoisyMarginal(c, MarginalCounter.Count(Data, c), 5.0))
            .ToList();
        var model = new MirrorDescentEstimator(new MirrorDescentOptions { MaxIterations = 200 }).Estimate(domain, measurements);
        var pairs = Workload.AllKWay(domain, 2).Cliques.Select(w => w.Clique).ToArray();
        var truths = TrueMarginal.CountMany(Data, pairs);
        var weights = pairs.Select(_ => CandidateSet.WeightUnitsPerOne).ToArray();
        var plain = CandidateScoring.Score(model, pairs, truths, weights, 0);
        const double penalty = 3.37;
        var penalised = CandidateScoring.Score(model, pairs, truths, weights, penalty);
        for (var i = 0; i < pairs.Length; i++)
        {
            // The offset depends only on the penalty and the public cell count: adding or removing a row moves the
            // penalised score exactly as it moves the plain one, so the sensitivity stays one weight unit.
            var offset = CandidateSet.WeightUnitsPerOne * (Int128)SelectionScore.RoundToGrid(penalty * pairs[i].CellCount(domain));
            Assert.Equal(plain[i] - offset, penalised[i]);
        }
    }

    [Theory]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void ThePenaltyChargesExactlyWhatThePlainScoresCharge(ulong seed)
    {
        // Seeded noise, so both runs see the same draws up to the first selection that differs; deterministic.
        var rho = SynthesisBudget.FromEpsilonDelta(1, 1e-6);
        var charges = new[] { false, true }.Select(penalty =>
        {
            var accountant = ZcdpAccountant.InsecureDeterministic(rho, seed);
            var result = new Mst(Data.Domain, new MstOptions { SelectionIterations = 200, FinalIterations = 300, NoisePenalty = penalty })
                .Fit(Data, accountant);
            Assert.All(result.Selections, s => Assert.Equal(1.0, s.Sensitivity));
            return (accountant.Charges.Select(c => c.Cost.Rho).ToArray(), result.Selections.Select(s => s.Epsilon).ToArray());
        }).ToArray();
        Assert.Equal(charges[0].Item1, charges[1].Item1);
        Assert.Equal(charges[0].Item2, charges[1].Item2);
    }
}
