using DPSynth.Data;
using DPSynth.Evaluation;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

public sealed class SynthesizerTests
{
    private static readonly EncodedTable Data = ChainTables.Generate(3000, seed: 7);

    public static TheoryData<string> Methods => new() { "aim", "aim-coarse", "mst", "mwem" };

    private static ISynthesizer Create(string method, Domain domain, int? mwemRounds = null) => method switch
    {
        "aim" => new Aim(Workload.AllKWay(domain, 2), new AimOptions { Iterations = 300, FinalIterations = 1000 }),
        // Coarse candidates for the 4- and 5-value attributes (2 groups each): their measurements cost the same rho.
        "aim-coarse" => new Aim(
            Workload.AllKWay(domain, 2), new AimOptions { Iterations = 300, FinalIterations = 1000, CoarseGroups = 2, CoarseAbove = 3 }),
        "mst" => new Mst(domain, new MstOptions { SelectionIterations = 300, FinalIterations = 1000 }),
        _ => new MwemPgm(Workload.AllKWay(domain, 2), new MwemOptions { Iterations = 300, Rounds = mwemRounds }),
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void EachSynthesizerSpendsItsWholeBudgetAndNeverMore(string method)
    {
        var rho = SynthesisBudget.FromEpsilonDelta(1, 1e-6);
        var accountant = new ZcdpAccountant(rho);
        var result = Create(method, Data.Domain).Fit(Data, accountant);

        // Spent is the exact sum of the receipts; only sigma^2 (up, <= 1e-6 relative) and epsilon (down) are rounded.
        Assert.True(accountant.Spent <= rho);
        Assert.True(accountant.Spent.Value.ToDouble() >= rho.Value.ToDouble() * (1 - 1e-5));
        Assert.Equal(accountant.Spent, result.RhoSpent);
        Assert.False(result.UsedInsecureNoise);
        var receipts = accountant.Charges.Aggregate(Rational.Zero, (sum, c) => sum + c.Cost.Rho.Value);
        Assert.Equal(accountant.Spent.Value, receipts);
        Assert.All(accountant.Charges, c => Assert.True(c.IsRedeemed));

        // The record lists every charge: one per selection and one per measurement, with the same costs.
        Assert.Equal(accountant.Charges.Count, result.Selections.Length + result.Measurements.Length);
        var recorded = result.Selections.Select(s => s.Rho.Value).Concat(result.Measurements.Select(m => m.Rho.Value))
            .Aggregate(Rational.Zero, (sum, r) => sum + r);
        Assert.Equal(accountant.Spent.Value, recorded);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ASynthesizerSpendsOnlyWhatIsLeftInAPartlySpentAccountant(string method)
    {
        var rho = new Rho(new Rational(1, 50));
        var accountant = new ZcdpAccountant(rho);
        accountant.Charge(new PrivacyCost(new Rho(new Rational(1, 100)), "earlier release"), "earlier release");
        var result = Create(method, Data.Domain).Fit(Data, accountant);
        Assert.True(accountant.Spent <= rho);
        Assert.True(result.RhoSpent.Value.ToDouble() >= 0.01 * (1 - 1e-5));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void WithAHugeEpsilonTheTwoWayMarginalsAreReproduced(string method)
    {
        // Deterministic (false-failure probability 0): the insecure accountant hands every mechanism a seeded stream in
        // place of the CSPRNG, so the same samplers, selections and fits run on reproducible bits, and sampling is
        // seeded too. The assertions hold for this seed; any change that breaks them fails on every run, not sometimes.
        var rho = SynthesisBudget.FromEpsilonDelta(PrivacyBounds.MaxEpsilon, 1e-9);
        var result = Create(method, Data.Domain, mwemRounds: 6).Fit(Data, ZcdpAccountant.InsecureDeterministic(rho, 1));
        var synthetic = result.Sample(new Random(1));
        Assert.True(result.UsedInsecureNoise, method); // every method's result says it is NOT PRIVATE

        // The noisy total is within a few rows of the truth at this budget; rows default to it.
        Assert.InRange(synthetic.RowCount, Data.RowCount - 5, Data.RowCount + 5);
        Assert.Equal(Data.Domain, synthetic.Domain);
        var twoWay = MarginalTvd.MeanKWay(Data, synthetic, 2);
        Assert.True(twoWay < 0.02, $"{method}: mean 2-way TVD {twoWay}");
    }

    [Fact]
    public void MstAtEpsilonTwoKeepsTheChainsMarginalsClose()
    {
        // The quality SynthCliTests used to check through the CLI (whose noise is always the CSPRNG), here on the same
        // 1500-row table with the CLI's MST settings. Deterministic (false-failure probability 0): seeded insecure noise
        // and seeded sampling run the same mechanisms and fit on reproducible bits.
        var data = ChainTables.Generate(1500, seed: 11);
        var accountant = ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(2, 1e-6), 5);
        var result = new Mst(data.Domain).Fit(data, accountant);
        var synthetic = result.Sample(new Random(5));

        Assert.InRange(MarginalTvd.MeanKWay(data, synthetic, 1), 0, 0.1);
        Assert.InRange(MarginalTvd.MeanKWay(data, synthetic, 2), 0, 0.2);
        Assert.InRange(MarginalTvd.MeanKWay(data, synthetic, 3), 0, 0.3);
    }

    [Fact]
    public void AimsCoarseMeasurementsAreRecordedWithTheirCoarseningAndCostWhatAFineOneCosts()
    {
        // Deterministic (false-failure probability 0): seeded insecure noise, so the same selections run every time; at
        // this seed AIM picks coarse candidates (the test fails, rather than passing vacuously, if it picks none).
        var accountant = ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(0.3, 1e-6), 3);
        var result = Create("aim-coarse", Data.Domain).Fit(Data, accountant);

        var coarse = result.Measurements.Where(m => m.Coarsening is not null).ToArray();
        Assert.NotEmpty(coarse);
        Assert.Equal(result.Measurements.Length, result.NoisyMeasurements.Length);
        for (var i = 0; i < result.Measurements.Length; i++)
        {
            var (record, noisy) = (result.Measurements[i], result.NoisyMeasurements[i]);
            Assert.Equal(record.Coarsening, noisy.Coarsening);
            Assert.Equal(record.Coarsening?.CellCount ?? record.Clique.CellCount(Data.Domain), noisy.Values.Length);
            // The same charge as a fine measurement with this sigma: sensitivity 1 either way.
            Assert.Equal(Rational.One / (2 * record.SigmaSquared), record.Rho.Value);
        }

        Assert.All(coarse, m => Assert.All(m.Coarsening!.Groups, g => Assert.True(g <= 3)));
    }

    [Fact]
    public void AimRecordsTheOneWayMeasurementsThenOneSelectionAndMeasurementPerRound()
    {
        var result = Create("aim", Data.Domain).Fit(Data, new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(1, 1e-6)));
        var oneWay = result.Measurements.TakeWhile(m => m.Round == 0).ToArray();
        Assert.Equal(Data.Domain.Count, oneWay.Length);
        Assert.All(oneWay, m => Assert.Equal(1, m.Clique.Count));
        Assert.Equal(result.Selections.Length, result.Measurements.Length - oneWay.Length);
        for (var i = 0; i < result.Selections.Length; i++)
        {
            var selection = result.Selections[i];
            Assert.Equal(selection.Selected, result.Measurements[oneWay.Length + i].Clique);
            Assert.InRange(selection.Candidates, 1, 10);
            Assert.Equal(selection.Epsilon * selection.Epsilon / 8, selection.Rho.Value);
        }

        // The same first-round sigma measures the 1-way marginals; annealing only ever lowers sigma.
        var sigmas = result.Measurements.Select(m => m.Sigma).ToArray();
        Assert.All(oneWay, m => Assert.Equal(sigmas[0], m.Sigma));
        Assert.True(sigmas[^1] <= sigmas[0]);
    }

    [Fact]
    public void AimWithAThreeWayWorkloadOffersTheWholeDownwardClosure()
    {
        var aim = new Aim(Workload.AllKWay(Data.Domain, 3), new AimOptions { Iterations = 200, FinalIterations = 200 });
        var accountant = new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(1, 1e-6));
        var result = aim.Fit(Data, accountant);

        // 4 singles + 6 pairs + 4 triples; the small model fits every candidate in the first round.
        Assert.Equal(14, result.Selections[0].Candidates);
        Assert.True(accountant.Spent.Value.ToDouble() >= accountant.Total.Value.ToDouble() * (1 - 1e-5));

        // The sensitivity is the largest offered weight: a triple overlaps the 4 workload triples in 3+2+2+2 = 9 attributes.
        Assert.Equal(9.0, result.Selections[0].Sensitivity);
    }

    [Fact]
    public void MstMeasuresOneWayThenASpanningTreeOfPairs()
    {
        var result = Create("mst", Data.Domain).Fit(Data, new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(1, 1e-6)));
        var d = Data.Domain.Count;
        Assert.Equal(d - 1, result.Selections.Length);
        Assert.Equal(2 * d - 1, result.Measurements.Length);
        var edges = result.Measurements.Where(m => m.Round == 3).Select(m => m.Clique).ToArray();
        Assert.Equal(result.Selections.Select(s => s.Selected), edges);

        // d - 1 edges joining d attributes without a cycle form a spanning tree: every attribute is reached.
        var reached = new HashSet<int> { edges[0][0] };
        for (var pass = 0; pass < d; pass++)
        {
            foreach (var e in edges)
            {
                if (reached.Contains(e[0]) || reached.Contains(e[1]))
                {
                    reached.Add(e[0]);
                    reached.Add(e[1]);
                }
            }
        }

        Assert.Equal(d, reached.Count);
        Assert.Equal(new[] { 6, 5, 4 }, result.Selections.Select(s => s.Candidates));
    }

    [Fact]
    public void MstMergesRareValuesAndDecodesThemBackToOriginalValues()
    {
        // Attribute "wide" has 40 values but the data use only 0..2: at epsilon 1 the 37 empty ones fall below 3 sigma_1.
        var domain = new Domain(["a", "wide"], [3, 40]);
        var random = new Random(3);
        var a = new int[2000];
        var wide = new int[2000];
        for (var r = 0; r < a.Length; r++)
        {
            a[r] = random.Next(3);
            wide[r] = random.NextDouble() < 0.8 ? a[r] : random.Next(3);
        }

        // Deterministic (false-failure probability 0): seeded insecure noise and seeded sampling, the same MST code.
        var data = new EncodedTable(domain, [EncodedColumn.FromCodes(3, a), EncodedColumn.FromCodes(40, wide)]);
        var accountant = ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(1, 1e-6), 3);
        var result = new Mst(domain).Fit(data, accountant);
        Assert.True(result.Model.Domain.Size(1) < 40, "the model lives on the compressed domain");
        Assert.Equal(domain, result.Domain);
        var synthetic = result.Sample(new Random(5), 5000);
        Assert.Equal(domain, synthetic.Domain);
        Assert.Equal(5000, synthetic.RowCount);
        var counts = MarginalCounter.Count(synthetic, Clique.Of(1));
        Assert.True(counts[0] + counts[1] + counts[2] > 4500, "kept values carry almost all rows");
    }

    [Fact]
    public void SamplingIsReproducibleWithTheSameSeedAndDefaultsToTheNoisyTotal()
    {
        var result = Create("mst", Data.Domain).Fit(Data, new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(1, 1e-6)));
        var first = result.Sample(new Random(42));
        var second = result.Sample(new Random(42));
        Assert.Equal((int)Math.Floor(result.EstimatedRows), first.RowCount);
        for (var c = 0; c < first.Domain.Count; c++)
        {
            for (var r = 0; r < first.RowCount; r++)
            {
                Assert.Equal(first[r, c], second[r, c]);
            }
        }

        Assert.Equal(17, result.Sample(new Random(1), 17).RowCount);
    }
}
