using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

public sealed class SettingsTests
{
    private static readonly Rho Budget = new(new Rational(1, 100));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void EpsilonMustBePositiveAndFinite(double epsilon)
    {
        var ex = Assert.Throws<SynthesisSettingsException>(() => SynthesisBudget.FromEpsilonDelta(epsilon, 1e-9));
        Assert.Contains("epsilon", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-1e-9)]
    [InlineData(2.0)]
    [InlineData(double.NaN)]
    public void DeltaMustBeStrictlyBetweenZeroAndOne(double delta)
    {
        var ex = Assert.Throws<SynthesisSettingsException>(() => SynthesisBudget.FromEpsilonDelta(1, delta));
        Assert.Contains("delta", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConversionIsTheTightOne() =>
        Assert.Equal(0.0149731, SynthesisBudget.FromEpsilonDelta(1, 1e-9).Value.ToDouble(), 7);

    [Fact]
    public void AModelSizeCapBelowTheOneWayMarginalsIsRefusedBeforeAnyCharge()
    {
        // 4 attributes of 10,000 cells: the 1-way model alone needs 40,000 doubles, about 0.31 MiB.
        var domain = new Domain(["a", "b", "c", "d"], [10_000, 10_000, 10_000, 10_000]);
        var aim = new Aim(Workload.AllKWay(domain, 2), new AimOptions { MaxModelSizeMb = 0.1 });
        var ex = Assert.Throws<SynthesisSettingsException>(() => aim.Plan(Budget));
        Assert.Contains("model-size cap", ex.Message, StringComparison.Ordinal);
        var mwem = new MwemPgm(Workload.AllKWay(domain, 2), new MwemOptions { MaxModelSizeMb = 0.1 });
        Assert.Throws<SynthesisSettingsException>(() => mwem.Plan(Budget));

        var accountant = new ZcdpAccountant(Budget);
        var table = new EncodedTable(domain, domain.Sizes.Select(s => EncodedColumn.FromCodes(s, [0, 1])));
        Assert.Throws<SynthesisSettingsException>(() => aim.Fit(table, accountant));
        Assert.Empty(accountant.Charges);
    }

    [Fact]
    public void AZeroOrNegativeModelSizeCapIsRefused() =>
        Assert.Throws<SynthesisSettingsException>(
            () => new Aim(Workload.AllKWay(ChainTables.Domain, 2), new AimOptions { MaxModelSizeMb = 0 }).Plan(Budget));

    [Fact]
    public void FitRefusesATableOnAnotherDomainBeforeAnyCharge()
    {
        var accountant = new ZcdpAccountant(Budget);
        var other = new Domain(["x", "y"], [2, 2]);
        var table = new EncodedTable(other, [EncodedColumn.FromCodes(2, [0, 1]), EncodedColumn.FromCodes(2, [1, 0])]);
        Assert.Throws<SynthesisSettingsException>(() => new Mst(ChainTables.Domain).Fit(table, accountant));
        Assert.Empty(accountant.Charges);
    }

    [Fact]
    public void AnExhaustedAccountantIsRefused()
    {
        var accountant = new ZcdpAccountant(Budget);
        accountant.Charge(new PrivacyCost(Budget, "everything"), "everything");
        Assert.Throws<SynthesisSettingsException>(
            () => new Mst(ChainTables.Domain).Fit(ChainTables.Generate(10, 1), accountant));
    }

    [Fact]
    public void ImpossibleRoundsAndIterationsAreRefused()
    {
        var workload = Workload.AllKWay(ChainTables.Domain, 2);
        Assert.Throws<SynthesisSettingsException>(() => new Aim(workload, new AimOptions { Rounds = 0 }).Plan(Budget));
        Assert.Throws<SynthesisSettingsException>(() => new Aim(workload, new AimOptions { Rounds = 2 }).Plan(Budget));
        Assert.Throws<SynthesisSettingsException>(() => new Aim(workload, new AimOptions { Iterations = 0 }).Plan(Budget));
        Assert.Throws<SynthesisSettingsException>(() => new Aim(workload, new AimOptions { Alpha = 1 }).Plan(Budget));
        Assert.Throws<SynthesisSettingsException>(() => new Aim(workload, new AimOptions { Tolerance = -0.1 }).Plan(Budget));
        Assert.Throws<SynthesisSettingsException>(
            () => new Aim(workload, new AimOptions { Tolerance = double.NaN }).Plan(Budget));
        Assert.Throws<SynthesisSettingsException>(() => new MwemPgm(workload, new MwemOptions { Rounds = -1 }).Plan(Budget));
        Assert.Throws<SynthesisSettingsException>(() => new Mst(new Domain(["only"], [3])).Plan(Budget));
    }

    [Fact]
    public void APlanStatesTheBudgetAndParametersWithoutData()
    {
        var plan = new Aim(Workload.AllKWay(ChainTables.Domain, 2)).Plan(Budget);
        Assert.Equal("aim", plan.Method);
        Assert.Equal(Budget, plan.Rho);
        Assert.Equal("all 2-way", plan.Workload);
        // T = 4 d by default (AimOptions.DefaultRoundsPerAttribute), d = 4.
        Assert.Equal("16", plan.Parameters["rounds"]);
        Assert.Equal("80", plan.Parameters["max_model_size_mb"]);
        Assert.Equal("0", plan.Parameters["tolerance"]);
        Assert.Equal("0.3", plan.Parameters["loop_loss_tolerance"]);
        Assert.Equal("10", plan.Parameters["loop_window"]);
        Assert.Equal("true", plan.Parameters["proportional_start"]);
    }
}
