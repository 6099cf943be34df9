using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Pipeline;
using DPSynth.Privacy;
using DPSynth.Release;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Policies;
using DPSynth.Tests.Support;
using DPSynth.Tests.Synthesizers;

namespace DPSynth.Tests.Pipeline;

/// <summary>
/// One spend record per run (issue 16): the ledger entry, the manifest and the reports state the same rho, epsilon and
/// delta; a charge pays for one fit; every charged run (policy, synth, audit-canaries) records how it ended.
/// </summary>
public sealed class SpendFlowTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(1.0, 1e-9)]
    [InlineData(0.3, 1e-6)]
    [InlineData(10.0, 1e-12)]
    public void TheSpendRoundsRhoUpOnceAndConvertsEpsilonFromWhatIsCharged(double epsilon, double delta)
    {
        var planned = SynthesisBudget.FromEpsilonDelta(epsilon, delta);
        var spend = PrivacySpend.Of(planned, delta);

        Assert.Equal(planned, spend.Planned);
        Assert.Equal(Rho.FromDouble(planned.ToDoubleUp()), spend.Charged);
        Assert.True(spend.Charged >= spend.Planned);
        Assert.Equal(ZcdpConversion.EpsilonFromRho(spend.Charged, delta), spend.Epsilon);
        // The tight conversions are inverse up to rounding: what is charged implies the epsilon asked for.
        Assert.InRange(spend.Epsilon, epsilon * (1 - 1e-9), epsilon * (1 + 1e-9));
        Assert.Throws<ArgumentOutOfRangeException>(() => PrivacySpend.Of(planned, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PrivacySpend.Of(planned, 1));
    }

    [Fact]
    public void AChargePaysForOneFitAndTheLedgerRecordsTheSpendAndTheOutcome()
    {
        var ledger = new BudgetLedger(Ledgers.Init(dir.File("ledger.jsonl"))) { AllowUncapped = true };
        var run = new SynthesisRun(Mst(), SynthesisBudget.FromEpsilonDelta(1, 1e-7), 1e-7);
        var charged = run.Charge(ledger, "chain", run.Mechanism);
        var entry = charged.Record!.Charge.Entry;
        Assert.Equal((run.Spend.Charged.ToDoubleUp(), run.Spend.Epsilon, run.Spend.Delta), (entry.Rho, entry.Epsilon, entry.Delta));

        var table = ChainTables.Generate(400, seed: 5);
        var result = charged.Execute(c => c.Fit(table), _ => new RunEnd(RunOutcome.Released), "fp", TextWriter.Null);
        Assert.True(result.RhoSpent <= run.Spend.Planned);
        Assert.Throws<InvalidOperationException>(() => { charged.Fit(table); });

        var outcome = Assert.Single(ledger.Verify().Entries, e => e.Kind == LedgerEntryKind.Outcome);
        Assert.Equal((charged.RunId, RunOutcome.Released, "fp", (string?)null), (outcome.RunId, outcome.Outcome, outcome.InputFingerprint, outcome.PolicySha256));
    }

    [Fact]
    public void ARunThatThrowsAfterItsChargeIsRecordedAsFailedAndTheErrorGoesOn()
    {
        var ledger = new BudgetLedger(Ledgers.Init(dir.File("ledger.jsonl"))) { AllowUncapped = true };
        var run = new SynthesisRun(Mst(), SynthesisBudget.FromEpsilonDelta(1, 1e-7), 1e-7);
        var charged = run.Charge(ledger, "chain", run.Mechanism);

        var thrown = Assert.Throws<InputException>(() => charged.Execute<int>(
            _ => throw new InputException("the input changed"), _ => new RunEnd(RunOutcome.Released), null, TextWriter.Null));

        Assert.Equal("the input changed", thrown.Message);
        var outcome = Assert.Single(ledger.Verify().Entries, e => e.Kind == LedgerEntryKind.Outcome);
        Assert.Equal(RunOutcome.Failed, outcome.Outcome);
    }

    /// <summary>
    /// Running out of memory records no outcome (the charge stays open, as for a killed run) and goes on unchanged, whether
    /// it struck on the caller's thread or on the second core, whose failure comes wrapped in an AggregateException.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ARunThatRunsOutOfMemoryLeavesItsChargeOpenOnEitherCore(bool onTheSecondCore)
    {
        var ledger = new BudgetLedger(Ledgers.Init(dir.File("ledger.jsonl"))) { AllowUncapped = true };
        var run = new SynthesisRun(Mst(), SynthesisBudget.FromEpsilonDelta(1, 1e-7), 1e-7);
        var charged = run.Charge(ledger, "chain", run.Mechanism);
        Exception oom = onTheSecondCore
            ? new AggregateException(new InvalidOperationException("the other half"), new OutOfMemoryException())
            : new OutOfMemoryException();

        var thrown = Assert.ThrowsAny<Exception>(() => charged.Execute<int>(
            _ => throw oom, _ => new RunEnd(RunOutcome.Released), null, TextWriter.Null));

        Assert.Same(oom, thrown);
        var entries = ledger.Verify().Entries;
        Assert.Single(entries, e => e.Kind == LedgerEntryKind.Charge);
        Assert.DoesNotContain(entries, e => e.Kind == LedgerEntryKind.Outcome);
    }

    [Fact]
    public void AnUnrecordedRunStillHoldsItsFitToThePlannedSpend()
    {
        var run = new SynthesisRun(Mst(), SynthesisBudget.FromEpsilonDelta(1, 1e-7), 1e-7);
        var unrecorded = run.Unrecorded();
        var result = unrecorded.Execute(c => c.Fit(ChainTables.Generate(300, seed: 6)), _ => new RunEnd(RunOutcome.Released), null, TextWriter.Null);

        Assert.Null(unrecorded.Record);
        Assert.True(result.RhoSpent <= run.Spend.Planned);
    }

    [Fact]
    public void APolicyRunsManifestStatesExactlyWhatItsLedgerEntryRecords()
    {
        using var fixture = new RunFixture();
        var run = CliRunner.Run("run", fixture.WritePolicy("p.yaml"));
        Assert.True(run.ExitCode == 0, run.Error);

        var bundle = Assert.Single(Directory.GetDirectories(fixture.Releases), d => !d.EndsWith(".internal", StringComparison.Ordinal));
        var manifest = ManifestJson.Read(File.ReadAllBytes(Path.Combine(bundle, BundleLayout.ManifestFileName)), "manifest").GetValueOrThrow();
        var charge = Assert.Single(new BudgetLedger(fixture.Ledger).Verify().Entries, e => e.Kind == LedgerEntryKind.Charge);

        Assert.Equal(charge.Hash, manifest.Ledger.ChargeEntryHash);
        Assert.Equal((charge.Rho, charge.Epsilon, charge.Delta), (manifest.Privacy.Rho, manifest.Privacy.Epsilon, manifest.Privacy.Delta));
    }

    [Fact]
    public void AuditCanariesChargesThePlansSpendAndRecordsItsOutcome()
    {
        var input = dir.WriteFile("chain.csv", ChainTables.ToCsv(ChainTables.Generate(600, seed: 8)));
        var schema = dir.WriteFile("chain.yaml", ChainTables.SchemaYaml);
        var ledger = Ledgers.Init(dir.File("ledger.jsonl"));

        var result = CliRunner.Run(
            "audit-canaries", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--method", "mst",
            "--canaries", "40", "--guesses", "10", "--ledger", ledger, "--dataset-id", "chain", "--allow-uncapped");
        Assert.True(result.ExitCode is 0 or 3, result.Error);

        var expected = new SynthesisRun(
            SynthesizerFactory.Create(TableSchema.Load(schema), SynthesizerFactory.FromCommandLine("mst", "2way", null, null)),
            SynthesisBudget.FromEpsilonDelta(1, 1e-9),
            1e-9).Spend;
        var entries = new BudgetLedger(ledger).Verify().Entries;
        var charge = Assert.Single(entries, e => e.Kind == LedgerEntryKind.Charge);
        Assert.Equal((expected.Charged.ToDoubleUp(), expected.Epsilon, 1e-9), (charge.Rho, charge.Epsilon, charge.Delta));
        Assert.Equal(RunOutcome.Released, Assert.Single(entries, e => e.Kind == LedgerEntryKind.Outcome).Outcome);
    }

    private static Mst Mst() => new(ChainTables.Domain, new MstOptions { SelectionIterations = 50, FinalIterations = 50 });
}
