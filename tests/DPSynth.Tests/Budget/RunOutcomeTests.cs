using System.Text;
using DPSynth.Budget;
using DPSynth.Privacy;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

public sealed class RunOutcomeTests : IDisposable
{
    private const string Policy = "aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11";
    private const string Input = "bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22";
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void AnOutcomeSpendsNothingVerifiesAndKeepsOlderLinesByteForByte()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        ledger.SetCap("d", new ApproxDp(1, 1e-9));
        ledger.Charge("d", "r1", Rho.FromDouble(0.001), "aim", Policy);
        var before = File.ReadAllText(ledger.Path);
        var outcome = ledger.RecordOutcome("d", "r1", Policy, RunOutcome.Released, Input, "/out/d-r1");

        var text = File.ReadAllText(ledger.Path);
        Assert.StartsWith(before, text, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"outcome\"", text, StringComparison.Ordinal);
        var verification = ledger.Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.Equal(outcome, verification.Entries[^1]);
        Assert.Equal(0.001, DatasetSpend.Of(verification.Entries, "d").Spent.ToDoubleUp(), 12);
        Assert.Equal("/out/d-r1", verification.Entries[^1].Bundle);
    }

    [Fact]
    public void EditingAnOutcomeBreaksTheChain()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        ledger.Charge("d", "r1", Rho.FromDouble(0.001), "aim", Policy);
        ledger.RecordOutcome("d", "r1", Policy, RunOutcome.GateFailed, Input, null);
        File.WriteAllText(ledger.Path, File.ReadAllText(ledger.Path).Replace("gate_failed", "released", StringComparison.Ordinal), Encoding.UTF8);
        Assert.False(ledger.Verify().IsValid);
    }

    [Fact]
    public void HistoryFindsReleasesCountsAttemptsAndReportsOrphans()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        ledger.Charge("d", "r1", Rho.FromDouble(0.001), "aim", Policy);
        ledger.RecordOutcome("d", "r1", Policy, RunOutcome.GateFailed, Input, null);
        ledger.Charge("d", "r2", Rho.FromDouble(0.001), "aim", Policy);
        ledger.RecordOutcome("d", "r2", Policy, RunOutcome.Released, Input, "/out/b2");
        ledger.Charge("d", "r3", Rho.FromDouble(0.001), "aim", Policy); // killed before its outcome
        ledger.Charge("d", "cli", Rho.FromDouble(0.001), "mst");          // a plain `synth` charge expects no outcome

        var history = RunHistory.Of(ledger.Verify().Entries);
        Assert.Equal("/out/b2", history.Released("d", Policy, Input)!.Bundle);
        Assert.Null(history.Released("d", Policy, Input.Replace('b', 'c')));
        Assert.Null(history.Released("other", Policy, Input));
        Assert.Equal(2, history.GateAttempts("d", Input));
        Assert.Equal("r3", Assert.Single(history.Open("d", Policy)).RunId);
        var orphan = Assert.Single(history.Orphans("d"));
        Assert.Equal("r3", orphan.RunId);

        ledger.SetCap("d", new ApproxDp(1, 1e-9));
        var report = LedgerReport.From(ledger.Verify());
        Assert.Contains("Remaining: rho 0.0109731 of the cap's 0.0149731.", report.ToMarkdown(), StringComparison.Ordinal);
        var markdown = report.ToMarkdown();
        Assert.Contains("| released | /out/b2 |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| {LedgerReport.Orphaned} | - |", markdown, StringComparison.Ordinal);
        Assert.Contains("\"outcome\": \"gate_failed\"", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownOutcomeIsRejected()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        var before = File.ReadAllBytes(ledger.Path);
        Assert.Throws<ArgumentException>(() => ledger.RecordOutcome("d", "r1", Policy, "maybe", null, null));
        Assert.Equal(before, File.ReadAllBytes(ledger.Path));
    }
}
