using System.Text;
using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

/// <summary>
/// What may sit past the anchored head (docs/ledger.md#anchor): at most one entry, the one a writer announced in the
/// anchor before appending it; an anchor that cannot be written fails the write loudly; a ledger that had an anchor is
/// adopted only with --anchor-lost; a ledger too large to read is refused. Found by the ledger trust audit.
/// </summary>
public sealed class LedgerAnchorTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string LedgerPath => temp.File("ledger.jsonl");

    private string AnchorFile => LedgerPath + ".head";

    public static TheoryData<string> Forgeries => ["cap raise with a reason", "cap lowered", "charge", "outcome", "first cap of another dataset"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void AnEntryAppendedWithoutTheKeyIsRefusedAndNeverAnchored(string forgery)
    {
        Filled();
        Append(Forged(forgery, new BudgetLedger(LedgerPath).Verify().Entries));
        var ledger = File.ReadAllBytes(LedgerPath);
        var anchor = File.ReadAllBytes(AnchorFile);
        Assert.True(LedgerVerifier.Verify(ledger).IsValid, "the forged chain itself must verify for this test");

        var verify = CliRunner.Run("budget", "verify", "--ledger", LedgerPath);
        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("its entry 4 is past its anchored head but is not the entry the last writer announced", verify.Error, StringComparison.Ordinal);
        Assert.Contains("head -n 3", verify.Error, StringComparison.Ordinal);
        var charge = Charge("0.001");
        Assert.Equal(2, charge.ExitCode);
        Assert.Contains("docs/ledger.md#recovery", charge.Error, StringComparison.Ordinal);
        Assert.Equal(ledger, File.ReadAllBytes(LedgerPath));
        Assert.Equal(anchor, File.ReadAllBytes(AnchorFile));
    }

    [Fact]
    public void TheAuditsForgedCapRaiseNeverLetsAChargePass()
    {
        // The audit's repro: a cap of epsilon 10 appended by hand (forge.py append-cap), then a charge of rho 0.5 that
        // only the forged cap would allow. Before the fix the charge was accepted and the anchor moved over the forgery.
        Filled();
        var entries = new BudgetLedger(LedgerPath).Verify().Entries;
        Append(LedgerEntry.Create(
            4, LedgerEntryKind.Cap, DateTimeOffset.UtcNow, "d", null, null, null, LedgerCap.StoredRho(new ApproxDp(10, 1e-9)), 10, 1e-9,
            entries[^1].Hash));

        var verify = CliRunner.Run("budget", "verify", "--ledger", LedgerPath);
        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("line 4 is a cap that raises dataset 'd'", verify.Error, StringComparison.Ordinal);
        Assert.Equal(2, Charge("0.5").ExitCode);
        Assert.Equal(4, File.ReadAllLines(LedgerPath).Length);
        Assert.Equal(3, ReadAnchor().Entries);
    }

    [Fact]
    public void EveryWriteAnnouncesItsEntryBeforeAppendingIt()
    {
        // What a writer killed between its append and its anchor leaves: the anchor that announced the entry. It is
        // accepted, `budget verify` notes it, and the next write moves the anchor over it.
        var ledger = Filled();
        var before = ledger.Verify();
        var charge = ledger.Charge("d", "r3", Rho.FromDouble(0.001), "m").Entry;
        new LedgerAnchor(before.Entries.Count, before.HeadHash, charge.Hash).Write(AnchorFile, LedgerKey.LoadOrCreate(LedgerPath));

        var verification = ledger.Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.Equal(3, verification.Anchor!.Entries);
        var verify = CliRunner.Run("budget", "verify", "--ledger", LedgerPath);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("records 3 of 4 entries", verify.Error, StringComparison.Ordinal);

        ledger.Charge("d", "r4", Rho.FromDouble(0.001), "m");
        var after = ReadAnchor();
        Assert.Equal(5, after.Entries);
        Assert.Null(after.Next);

        // The same genuine entry past an anchor that did not announce it (the anchor put back from before the write) is
        // indistinguishable from a forgery, and refused.
        var announced = File.ReadAllBytes(AnchorFile);
        LedgerAnchor.Of(LedgerVerifier.Verify(File.ReadAllBytes(LedgerPath)[..LengthOfLines(4)])).Write(AnchorFile, LedgerKey.LoadOrCreate(LedgerPath));
        Assert.Contains("not the entry the last writer announced", ledger.Verify().Problem, StringComparison.Ordinal);
        File.WriteAllBytes(AnchorFile, announced);
        Assert.True(ledger.Verify().IsValid);
    }

    [Fact]
    public void MoreThanOneEntryPastTheAnchorIsRefusedAndTheRecoveryWorks()
    {
        var ledger = Filled();
        var anchorAtThree = File.ReadAllBytes(AnchorFile);
        ledger.Charge("d", "r3", Rho.FromDouble(0.001), "m");
        ledger.Charge("d", "r4", Rho.FromDouble(0.001), "m");
        var full = File.ReadAllBytes(LedgerPath);
        File.WriteAllBytes(AnchorFile, anchorAtThree);

        var verify = CliRunner.Run("budget", "verify", "--ledger", LedgerPath);
        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("it has 5 entries but its anchored head records 3", verify.Error, StringComparison.Ordinal);
        Assert.Contains("entries 4 to 5 were appended without the ledger's key", verify.Error, StringComparison.Ordinal);
        Assert.Equal(2, Charge("0.001").ExitCode);
        Assert.Equal(full, File.ReadAllBytes(LedgerPath));

        // Recovery, entries judged forged: cut them off.
        File.WriteAllBytes(LedgerPath, full[..LengthOfLines(3)]);
        Assert.True(ledger.Verify().IsValid);

        // Recovery, entries judged genuine: move the anchor aside and adopt, which needs --anchor-lost (the key is there).
        File.WriteAllBytes(LedgerPath, full);
        File.Move(AnchorFile, AnchorFile + ".refused");
        var head = LedgerVerifier.Verify(full).HeadHash;
        Assert.Equal(2, CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt", "--expect-head", head).ExitCode);
        Assert.Equal(0, CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt", "--expect-head", head, "--anchor-lost").ExitCode);
        Assert.Equal(0, Charge("0.001").ExitCode);
        Assert.Equal(6, ReadAnchor().Entries);
    }

    [Fact]
    public void ALegacyAnchorStillVerifies()
    {
        // Files written by the build before anchors announced entries (format 1): a cap and two charges.
        CopyLegacy();
        var verification = new BudgetLedger(LedgerPath).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.True(verification.Anchor!.IsLegacy);
        Assert.Equal(3, verification.Anchor.Entries);

        // The next write replaces it by a format-2 anchor.
        Assert.Equal(0, Charge("0.001", dataset: "ds").ExitCode);
        Assert.Contains($"\"format\":\"{LedgerAnchor.Format}\"", File.ReadAllText(AnchorFile), StringComparison.Ordinal);
        Assert.False(ReadAnchor().IsLegacy);
        Assert.Equal(4, ReadAnchor().Entries);
    }

    [Theory]
    [InlineData("charge", null)]
    [InlineData("outcome", null)]
    [InlineData("cap lowered", null)]
    [InlineData("cap raise with a reason", "raises the cap of dataset 'ds'")]
    [InlineData("first cap of another dataset", "sets the first cap of dataset 'other'")]
    [InlineData("charge to a bad id", "names a dataset id that a writer would refuse")]
    public void PastALegacyAnchorOnlyAnEntryThatCannotLetMoreBeSpentIsAccepted(string entry, string? refusedBecause)
    {
        // A legacy anchor announces nothing, so an entry past it (an earlier build killed before its anchor, or a
        // forgery) is unauthenticated: accepted only when it cannot let more be spent.
        CopyLegacy();
        Append(Forged(entry, new BudgetLedger(LedgerPath).Verify().Entries, dataset: "ds"));
        var verification = new BudgetLedger(LedgerPath).Verify();
        if (refusedBecause is null)
        {
            Assert.True(verification.IsValid, verification.Problem);
            Assert.Equal(0, Charge("0.0001", dataset: "ds").ExitCode);
            Assert.Equal(5, ReadAnchor().Entries);
        }
        else
        {
            Assert.Contains(refusedBecause, verification.Problem, StringComparison.Ordinal);
            Assert.Contains("which an earlier DPSynth wrote without announcing", verification.Problem, StringComparison.Ordinal);
            Assert.Equal(2, Charge("0.0001", dataset: "ds").ExitCode);
            Assert.Equal(4, File.ReadAllLines(LedgerPath).Length);
        }
    }

    [Fact]
    public void TheVerifierRefusesACapRaisedWithoutAReason()
    {
        var time = DateTimeOffset.UtcNow;
        var lines = new List<LedgerEntry>();
        void Add(string dataset, double epsilon, string? reason)
        {
            var made = LedgerEntry.Create(
                lines.Count + 1, LedgerEntryKind.Cap, time, dataset, null, null, null, LedgerCap.StoredRho(new ApproxDp(epsilon, 1e-9)),
                epsilon, 1e-9, lines.Count == 0 ? LedgerEntry.GenesisHash : lines[^1].Hash);
            lines.Add(reason is null ? made : made.WithReason(reason));
        }

        byte[] Bytes() => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

        Add("a", 1, null);         // a first cap
        Add("b", 5, null);         // another dataset's first cap
        Add("a", 0.5, null);       // lowered
        Add("a", 0.5, null);       // the same again
        Add("a", 2, "approved");   // raised, with a reason
        Assert.True(LedgerVerifier.Verify(Bytes()).IsValid, LedgerVerifier.Verify(Bytes()).Problem);

        Add("a", 3, null);         // raised without one
        var verification = LedgerVerifier.Verify(Bytes());
        Assert.Contains("line 6 is a cap that raises dataset 'a'", verification.Problem, StringComparison.Ordinal);
        Assert.Equal(5, verification.Entries.Count);
    }

    [UnixFact]
    public void AnAnchorThatCannotBeWrittenBeforeTheAppendRecordsNothing()
    {
        // A real OS failure of the anchor write, as root too: the anchor's temporary file name (".<name>.head.<32 hex>.tmp")
        // is longer than a file name may be (255 bytes) while the ledger, its key, lock and anchor names still fit.
        Filled();
        var longPath = temp.File(new string('l', 214) + ".jsonl");
        foreach (var suffix in new[] { string.Empty, ".head", ".hmac-key", ".lock" })
        {
            File.Move(LedgerPath + suffix, longPath + suffix);
        }

        var bytes = File.ReadAllBytes(longPath);
        var anchor = File.ReadAllBytes(longPath + ".head");
        Assert.True(new BudgetLedger(longPath).Verify().IsValid);

        var charge = CliRunner.Run("budget", "charge", "--ledger", longPath, "--dataset", "d", "--rho", "0.001", "--mechanism", "m");
        Assert.Equal(2, charge.ExitCode);
        Assert.Contains("cannot write the anchored head", charge.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was recorded", charge.Error, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(longPath));
        Assert.Equal(anchor, File.ReadAllBytes(longPath + ".head"));
        Assert.Throws<BudgetRefusedException>(() => new BudgetLedger(longPath).SetCap("d", new ApproxDp(0.5, 1e-9)));
        Assert.Equal(bytes, File.ReadAllBytes(longPath));
    }

    [UnixFact]
    public void AnAnchorThatCannotBeMovedAfterTheAppendFailsTheWriteAndTheEntryStands()
    {
        Filled();
        byte[] announcing = [];
        var (code, _, error) = CliProcess.ActWhenItSays(
            "paused mid-append",
            () =>
            {
                // Half the line is on disk, and the anchor already announces the whole entry. Put a folder where the
                // anchor is, so the writer's rename onto it fails when it wakes.
                announcing = File.ReadAllBytes(AnchorFile);
                Assert.Matches("\"entries\":3,\"head\":\"[0-9a-f]{64}\",\"next\":\"[0-9a-f]{64}\"", Encoding.UTF8.GetString(announcing));
                File.Delete(AnchorFile);
                Directory.CreateDirectory(Path.Combine(AnchorFile, "blocked"));
            },
            BudgetLedger.TornAppendPauseVariable,
            "8000",
            "budget", "charge", "--ledger", LedgerPath, "--dataset", "d", "--rho", "0.001", "--mechanism", "stuck");

        Assert.Equal(2, code);
        Assert.Contains("TEST FAULT INJECTION", error, StringComparison.Ordinal);
        Assert.Contains("entry 4 was appended", error, StringComparison.Ordinal);
        Assert.Contains("STANDS", error, StringComparison.Ordinal);
        Assert.Contains("could not be moved", error, StringComparison.Ordinal);

        // The entry is complete and counts; with the announcing anchor back, the ledger verifies one entry past it and
        // the next write anchors it.
        Directory.Delete(AnchorFile, recursive: true);
        File.WriteAllBytes(AnchorFile, announcing);
        var verification = new BudgetLedger(LedgerPath).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.Equal(4, verification.Entries.Count);
        Assert.Equal("stuck", verification.Entries[^1].Mechanism);
        Assert.Equal(0.003, DatasetSpend.Of(verification.Entries, "d").Spent.ToDoubleUp(), 15);
        Assert.Equal(0, Charge("0.001").ExitCode);
        Assert.Equal(5, ReadAnchor().Entries);
    }

    [Fact]
    public void AdoptRefusesALedgerThatHadAnAnchorUnlessTheOperatorSaysItWasLost()
    {
        // The audit's rollback: delete the last charge and the anchor, then adopt at entry 2's hash.
        var ledger = Filled();
        var lines = File.ReadAllLines(LedgerPath);
        var second = ledger.Verify().Entries[1].Hash;
        File.WriteAllText(LedgerPath, string.Concat(lines[..2].Select(l => l + "\n")));
        File.Delete(AnchorFile);
        var cut = File.ReadAllBytes(LedgerPath);

        var adopt = CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt", "--expect-head", second);
        Assert.Equal(2, adopt.ExitCode);
        Assert.Contains("shows it was made by 'dpsynth budget init'", adopt.Error, StringComparison.Ordinal);
        Assert.Contains("--anchor-lost", adopt.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(AnchorFile));

        // Without the key, the entries still show it: a charge's nonce is written only by a DPSynth that anchors.
        var key = File.ReadAllBytes(LedgerPath + ".hmac-key");
        File.Delete(LedgerPath + ".hmac-key");
        var keyless = Assert.Throws<BudgetRefusedException>(() => new BudgetLedger(LedgerPath).Adopt(second));
        Assert.Contains("its entry 2 (a charge's nonce or a cap's reason)", keyless.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(AnchorFile));
        File.WriteAllBytes(LedgerPath + ".hmac-key", key);

        Assert.Equal(1, CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--anchor-lost").ExitCode);
        var lost = CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt", "--expect-head", second, "--anchor-lost");
        Assert.Equal(0, lost.ExitCode);
        Assert.Contains("note: adopted with --anchor-lost", lost.Error, StringComparison.Ordinal);
        Assert.Equal(cut, File.ReadAllBytes(LedgerPath));
        Assert.Equal(2, ReadAnchor().Entries);
    }

    [Theory]
    [InlineData(BudgetLedger.MaxBytes + 1)]
    [InlineData(3L << 30)]
    public void ALedgerLargerThanTheLimitIsRefusedWithoutBeingRead(long size)
    {
        Filled();
        using (var file = new FileStream(LedgerPath, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(size); // sparse: nothing is written
        }

        Assert.Contains("the ledger is larger than", new BudgetLedger(LedgerPath).Verify().Problem, StringComparison.Ordinal);
        var verify = CliRunner.Run("budget", "verify", "--ledger", LedgerPath);
        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("refusing to read it", verify.Error, StringComparison.Ordinal);
        var charge = Charge("0.001");
        Assert.Equal(2, charge.ExitCode);
        Assert.Contains("the ledger is larger than", charge.Error, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run("budget", "init", "--ledger", LedgerPath).ExitCode);
        File.Move(AnchorFile, AnchorFile + ".aside");
        Assert.Equal(2, CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt", "--expect-head", new string('0', 64), "--anchor-lost").ExitCode);
        Assert.Equal(size, new FileInfo(LedgerPath).Length);
    }

    // Three entries: a cap for d (epsilon 1) and two charges.
    private BudgetLedger Filled()
    {
        var ledger = Ledgers.New(LedgerPath, allowUncapped: false);
        ledger.SetCap("d", new ApproxDp(1, 1e-9));
        ledger.Charge("d", "r1", Rho.FromDouble(0.001), "m");
        ledger.Charge("d", "r2", Rho.FromDouble(0.001), "m");
        return ledger;
    }

    // The ledger, key and format-1 anchor a build before announcing anchors wrote (committed beside the golden files).
    private void CopyLegacy()
    {
        foreach (var suffix in new[] { string.Empty, ".head", ".hmac-key" })
        {
            File.Copy(Golden.PathOf(Path.Combine("legacy-anchor", "ledger.jsonl" + suffix)), LedgerPath + suffix);
        }
    }

    // An entry that verifies in the chain after `entries`, written without the key (what forge.py does).
    private static LedgerEntry Forged(string what, IReadOnlyList<LedgerEntry> entries, string dataset = "d")
    {
        var sequence = entries.Count + 1;
        var previous = entries[^1].Hash;
        var time = DateTimeOffset.UtcNow;
        LedgerEntry Cap(string id, double epsilon) => LedgerEntry.Create(
            sequence, LedgerEntryKind.Cap, time, id, null, null, null, LedgerCap.StoredRho(new ApproxDp(epsilon, 1e-9)), epsilon, 1e-9, previous);
        LedgerEntry Charge(string id) => LedgerEntry.Create(
            sequence, LedgerEntryKind.Charge, time, id, "forged", null, "m", 0.0001, 0.1, 1e-9, previous);
        return what switch
        {
            "cap raise with a reason" => Cap(dataset, 10).WithReason("approved, honestly"),
            "cap lowered" => Cap(dataset, 0.9),
            "charge" => Charge(dataset),
            "charge to a bad id" => Charge("d s"),
            "outcome" => LedgerEntry.CreateOutcome(sequence, time, dataset, "r1", null, RunOutcome.Failed, null, null, 1e-9, previous),
            "first cap of another dataset" => Cap("other", 10),
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };
    }

    private void Append(LedgerEntry entry) => File.AppendAllText(LedgerPath, entry + "\n");

    private int LengthOfLines(int count) =>
        File.ReadAllLines(LedgerPath).Take(count).Sum(l => Encoding.UTF8.GetByteCount(l) + 1);

    private LedgerAnchor ReadAnchor() => LedgerAnchor.Read(AnchorFile, LedgerKey.TryLoad(LedgerPath)!);

    private CliRunner.Result Charge(string rho, string dataset = "d") =>
        CliRunner.Run("budget", "charge", "--ledger", LedgerPath, "--dataset", dataset, "--rho", rho, "--mechanism", "m");
}
