using DPSynth.Budget;
using DPSynth.Privacy;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary>
/// A run (<c>run</c>, <c>synth</c>) whose outcome entry was appended to the ledger but whose anchored head could not then be moved onto it
/// (docs/ledger.md#anchor): the run says that the outcome IS recorded (it used to warn that it was not, which a reviewer
/// would take at its word) and fails, while what happened stands. Provoked with a real failure of the anchor's rename: the
/// ledger's mid-append pause (every write of the run makes it) lets the test put a folder where the anchor is while the
/// outcome's line is being written, after the anchor announced it. Found by the ledger trust audit.
/// </summary>
public sealed class RunOutcomeAnchorTests : IDisposable
{
    private const string PauseMilliseconds = "3000";

    private readonly RunFixture fixture = new();

    public RunOutcomeAnchorTests()
    {
        // The policy's own cap, recorded first: the run then writes two entries, its charge and its outcome.
        new BudgetLedger(fixture.Ledger).SetCap("table", new ApproxDp(50, 1e-9));
    }

    public void Dispose() => fixture.Dispose();

    private string AnchorFile => new BudgetLedger(fixture.Ledger).AnchorPath;

    [UnixFact]
    public void AReleasedRunWhoseOutcomeCannotBeAnchoredSaysItIsRecordedAndFails()
    {
        var policy = fixture.WritePolicy("p.yaml");

        var (run, announcing) = RunBlockingTheOutcomeAnchor(onCharge: () => { }, "run", policy);

        Assert.True(run.ExitCode == 2, run.Output + run.Error);
        Assert.Matches(@"the outcome 'released' of run [0-9a-f-]+ IS recorded in the ledger .* \(entry 3, which stands\)", run.Error);
        Assert.Contains("could not be moved onto it", run.Error, StringComparison.Ordinal);
        Assert.Contains("dpsynth budget verify --ledger", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be recorded", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("orphaned", run.Error, StringComparison.Ordinal);
        Assert.Contains("outcome recorded, anchored head not moved", run.Output, StringComparison.Ordinal);

        // What the message says is true: the release is in place and verifies, and the ledger holds its outcome, one
        // entry past the anchored head that announced it.
        var bundle = Assert.Single(Directory.GetDirectories(fixture.Releases), d => !d.EndsWith(".internal", StringComparison.Ordinal));
        Assert.Equal(0, CliRunner.Run("verify", bundle, "--certificate", fixture.TestSigningCertificate).ExitCode);
        var outcome = RestoreAnchorAndReadLastEntry(announcing);
        Assert.Equal(RunOutcome.Released, outcome.Outcome);
        Assert.Equal(bundle, outcome.Bundle);

        // So the policy is not charged again, and the ledger's next write anchors the outcome.
        var again = CliRunner.Run("run", policy);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("skipped", again.Output, StringComparison.Ordinal);
        new BudgetLedger(fixture.Ledger).SetCap("table", new ApproxDp(40, 1e-9));
        Assert.Equal(4, LedgerAnchor.Read(AnchorFile, LedgerKey.LoadOrCreate(fixture.Ledger)).Entries);
    }

    [UnixFact]
    public void AFailedRunWhoseOutcomeCannotBeAnchoredSaysItIsRecordedAndStillFails()
    {
        var policy = fixture.WritePolicy("p.yaml");

        // While the charge is being written, the input changes: the run fails after its charge and records 'failed'.
        var (run, announcing) = RunBlockingTheOutcomeAnchor(
            onCharge: () => File.AppendAllText(fixture.Input, "50,F,North,3,no\n"), "run", policy);

        Assert.True(run.ExitCode == 1, run.Output + run.Error);
        Assert.Contains("changed while it was being read", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"the outcome 'failed' of run [0-9a-f-]+ IS recorded in the ledger .* \(entry 3, which stands\)", run.Error);
        Assert.DoesNotContain("could not be recorded", run.Error, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Failed, RestoreAnchorAndReadLastEntry(announcing).Outcome);
    }

    [UnixFact]
    public void SynthWhoseOutcomeCannotBeAnchoredSaysItIsRecordedAndFails()
    {
        var output = Path.Combine(fixture.Folder, "synthetic.csv");

        var (synth, announcing) = RunBlockingTheOutcomeAnchor(
            onCharge: () => { },
            "synth", "--input", fixture.Input, "--schema", Path.Combine(fixture.Folder, "table.schema.yaml"), "--epsilon", "1",
            "--delta", "1e-9", "--method", "mst", "--out", output, "--ledger", fixture.Ledger, "--dataset-id", "table");

        Assert.True(synth.ExitCode == 2, synth.Output + synth.Error);
        Assert.Matches(@"error: the outcome 'released' of run [0-9a-f-]+ IS recorded in the ledger .* \(entry 3, which stands\)", synth.Error);
        Assert.DoesNotContain("could not be recorded", synth.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
        Assert.Equal(RunOutcome.Released, RestoreAnchorAndReadLastEntry(announcing).Outcome);
    }

    /// <summary>
    /// Runs <c>dpsynth <paramref name="args"/></c> in a child process, running <paramref name="onCharge"/> while its charge
    /// is being written and putting a folder in place of the anchor while its outcome is; returns its result and the anchor
    /// that announced the outcome.
    /// </summary>
    private (CliRunner.Result Run, byte[] Announcing) RunBlockingTheOutcomeAnchor(Action onCharge, params string[] args)
    {
        byte[] announcing = [];
        var (run, writes) = CliProcess.ActEachTimeItSays(
            "paused mid-append",
            write =>
            {
                if (write == 1)
                {
                    onCharge();
                    return;
                }

                // Half the outcome's line is on disk and the anchor announces the whole entry, after the cap and the
                // charge. A folder where the anchor is makes the rename onto it fail when the writer wakes.
                announcing = File.ReadAllBytes(AnchorFile);
                Assert.Contains("\"entries\":2,", System.Text.Encoding.UTF8.GetString(announcing), StringComparison.Ordinal);
                File.Delete(AnchorFile);
                Directory.CreateDirectory(Path.Combine(AnchorFile, "blocked"));
            },
            BudgetLedger.TornAppendPauseVariable,
            PauseMilliseconds,
            args);
        Assert.True(writes == 2, run.Error);
        return (run, announcing);
    }

    /// <summary>Puts the announcing anchor back and returns the ledger's last entry, which must verify past it.</summary>
    private LedgerEntry RestoreAnchorAndReadLastEntry(byte[] announcing)
    {
        Directory.Delete(AnchorFile, recursive: true);
        File.WriteAllBytes(AnchorFile, announcing);
        var verification = new BudgetLedger(fixture.Ledger).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.Equal(3, verification.Entries.Count);
        Assert.Equal(2, verification.Anchor!.Entries);
        var last = verification.Entries[^1];
        Assert.Equal(LedgerEntryKind.Outcome, last.Kind);
        return last;
    }
}
