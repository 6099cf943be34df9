using System.Text;
using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

/// <summary>
/// The ledger fails closed (issue 14): it exists only once created explicitly, and a ledger that was deleted, cut back,
/// emptied, restored from an older copy or rewritten with recomputed hashes is refused by every writer and fails
/// <c>budget verify</c>, without a head kept elsewhere. Also: dataset ids, uncapped charges and caps that do not match.
/// </summary>
public sealed class LedgerFailClosedTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string LedgerPath => temp.File("ledger.jsonl");

    [Fact]
    public void AChargeNeverCreatesALedger()
    {
        var charge = Charge("d", "0.1");
        Assert.Equal(2, charge.ExitCode);
        Assert.Contains("dpsynth budget init", charge.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", charge.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path)); // no ledger, no lock, no key, no anchor

        var cap = CliRunner.Run("budget", "cap", "--ledger", LedgerPath, "--dataset", "d", "--epsilon", "1", "--delta", "1e-9");
        Assert.Equal(2, cap.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
        Assert.Throws<BudgetRefusedException>(() => new BudgetLedger(LedgerPath).SetCap("d", new ApproxDp(1, 1e-9)));
    }

    [Fact]
    public void InitCreatesAnEmptyAnchoredLedgerOnceAndARepeatChangesNothing()
    {
        var first = CliRunner.Run("budget", "init", "--ledger", LedgerPath);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("created the ledger", first.Output, StringComparison.Ordinal);
        Assert.Empty(File.ReadAllBytes(LedgerPath));
        var anchor = File.ReadAllBytes(LedgerPath + ".head");

        var second = CliRunner.Run("budget", "init", "--ledger", LedgerPath);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("nothing changed", second.Output, StringComparison.Ordinal);
        Assert.Equal(anchor, File.ReadAllBytes(LedgerPath + ".head"));
        Assert.Equal(0, CliRunner.Run("budget", "verify", "--ledger", LedgerPath).ExitCode);
    }

    [Fact]
    public void ThreadsInitialisingAtOnceCreateOneLedger()
    {
        var results = new LedgerInitResult[8];
        Parallel.For(0, results.Length, i => results[i] = new BudgetLedger(LedgerPath).Initialize().Result);
        Assert.Single(results, r => r == LedgerInitResult.Created);
        Assert.All(results, r => Assert.NotEqual(LedgerInitResult.Adopted, r));
        Assert.True(new BudgetLedger(LedgerPath).Verify().IsValid);
    }

    [Theory]
    [InlineData(".lock")]
    [InlineData(".hmac-key")]
    [InlineData(".head")]
    public void ADeletedLedgerIsRefusedWhileAnyFileBesideItRemains(string kept)
    {
        Filled();
        File.Delete(LedgerPath);
        foreach (var other in new[] { ".lock", ".hmac-key", ".head" }.Where(s => s != kept))
        {
            File.Delete(LedgerPath + other);
        }

        var charge = Charge("d", "0.001");
        Assert.Equal(2, charge.ExitCode);
        Assert.Contains("is missing, but a ledger existed there", charge.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(LedgerPath));

        var verify = CliRunner.Run("budget", "verify", "--ledger", LedgerPath);
        Assert.Equal(4, verify.ExitCode);
        Assert.DoesNotContain("ledger OK", verify.Output, StringComparison.Ordinal);

        var init = CliRunner.Run("budget", "init", "--ledger", LedgerPath);
        Assert.Equal(2, init.ExitCode);
        Assert.Contains("will not create", init.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(LedgerPath));
    }

    [Fact]
    public void ALedgerCutBackEmptiedRestoredOrRechainedFailsVerifyAndRefusesCharges()
    {
        var ledger = Filled();
        var older = File.ReadAllBytes(LedgerPath);
        ledger.Charge("d", "later", Rho.FromDouble(0.002), "m");
        var current = File.ReadAllBytes(LedgerPath);
        var lines = File.ReadAllLines(LedgerPath);

        var tampered = new Dictionary<string, byte[]>
        {
            ["cut back"] = Encoding.UTF8.GetBytes(string.Join('\n', lines[..2]) + "\n"),
            ["emptied"] = [],
            ["restored from an older copy"] = older,
            ["rewritten with recomputed hashes, a charge dropped"] = Rechained(lines, target: 2, drop: true),
            ["rewritten with recomputed hashes, a charge lowered"] = Rechained(lines, target: 2, drop: false),
        };
        foreach (var (how, bytes) in tampered)
        {
            File.WriteAllBytes(LedgerPath, bytes);
            Assert.True(LedgerVerifier.Verify(bytes).IsValid, $"{how}: the chain alone must still verify for this test");

            var verify = CliRunner.Run("budget", "verify", "--ledger", LedgerPath);
            Assert.True(verify.ExitCode == 4, $"{how}: verify exit {verify.ExitCode}: {verify.Output}");
            Assert.Contains("anchored head", verify.Error, StringComparison.Ordinal);
            var charge = Charge("d", "0.001");
            Assert.True(charge.ExitCode == 2, $"{how}: charge exit {charge.ExitCode}");
            Assert.Equal(bytes, File.ReadAllBytes(LedgerPath));
        }

        File.WriteAllBytes(LedgerPath, current);
        Assert.Equal(0, CliRunner.Run("budget", "verify", "--ledger", LedgerPath).ExitCode);
    }

    [Fact]
    public void AnEditedOrMissingAnchorOrKeyIsRefused()
    {
        Filled();
        var anchor = File.ReadAllText(LedgerPath + ".head");
        File.WriteAllText(LedgerPath + ".head", anchor.Replace("\"entries\":3", "\"entries\":2", StringComparison.Ordinal));
        Assert.Contains("MAC does not match", new BudgetLedger(LedgerPath).Verify().Problem, StringComparison.Ordinal);
        Assert.Equal(2, Charge("d", "0.001").ExitCode);

        File.WriteAllText(LedgerPath + ".head", anchor);
        var key = File.ReadAllBytes(LedgerPath + ".hmac-key");
        File.Delete(LedgerPath + ".hmac-key");
        Assert.Contains("is missing; restore it", new BudgetLedger(LedgerPath).Verify().Problem, StringComparison.Ordinal);
        Assert.Equal(2, Charge("d", "0.001").ExitCode);

        File.WriteAllBytes(LedgerPath + ".hmac-key", key);
        Assert.True(new BudgetLedger(LedgerPath).Verify().IsValid);
    }

    [Fact]
    public void ALedgerWithoutAnchorIsAdoptedOnlyExplicitly()
    {
        // A ledger made before anchors existed: no anchor, no key, charges without nonces (entries only an anchoring
        // DPSynth writes, and its key, show that an anchor was lost: LedgerAnchorTests).
        var time = DateTimeOffset.UtcNow;
        var cap = LedgerEntry.Create(1, LedgerEntryKind.Cap, time, "d", null, null, null, LedgerCap.StoredRho(new ApproxDp(1, 1e-9)), 1, 1e-9, LedgerEntry.GenesisHash);
        var first = LedgerEntry.Create(2, LedgerEntryKind.Charge, time, "d", "r1", null, "m", 0.001, 0.2, 1e-9, cap.Hash);
        var second = LedgerEntry.Create(3, LedgerEntryKind.Charge, time, "d", "r2", null, "m", 0.001, 0.2, 1e-9, first.Hash);
        File.WriteAllText(LedgerPath, $"{cap}\n{first}\n{second}\n");
        var bytes = File.ReadAllBytes(LedgerPath);
        var recorded = first.Hash; // a head kept elsewhere, since grown

        Assert.Equal(4, CliRunner.Run("budget", "verify", "--ledger", LedgerPath).ExitCode);
        Assert.Equal(2, Charge("d", "0.001").ExitCode);
        var init = CliRunner.Run("budget", "init", "--ledger", LedgerPath);
        Assert.Equal(2, init.ExitCode);
        Assert.Contains("--adopt", init.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(LedgerPath + ".head"));

        Assert.Equal(1, CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt").ExitCode); // needs a head
        var stranger = CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt", "--expect-head", new string('a', 64));
        Assert.Equal(2, stranger.ExitCode);
        Assert.Contains("is not an entry of this ledger", stranger.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(LedgerPath + ".head"));

        var adopt = CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt", "--expect-head", recorded);
        Assert.Equal(0, adopt.ExitCode);
        Assert.Contains("3 entries", adopt.Output, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(LedgerPath));
        Assert.Equal(0, Charge("d", "0.001").ExitCode);
        Assert.Equal(2, CliRunner.Run("budget", "init", "--ledger", LedgerPath, "--adopt", "--expect-head", recorded).ExitCode);
    }

    [Fact]
    public void AnOldAnchorPutBackBesideADeletedLedgerDoesNotMakeAnEmptyOne()
    {
        Ledgers.Init(LedgerPath);
        var emptyAnchor = File.ReadAllBytes(LedgerPath + ".head");
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", LedgerPath, "--dataset", "d", "--epsilon", "1", "--delta", "1e-9").ExitCode);
        File.Delete(LedgerPath);
        File.WriteAllBytes(LedgerPath + ".head", emptyAnchor);

        Assert.Equal(2, Charge("d", "0.001").ExitCode);
        Assert.Equal(4, CliRunner.Run("budget", "verify", "--ledger", LedgerPath).ExitCode);
        Assert.Equal(2, CliRunner.Run("budget", "init", "--ledger", LedgerPath).ExitCode);
        Assert.False(File.Exists(LedgerPath));
    }

    [Fact]
    public void AWriterKilledBetweenItsAppendAndItsAnchorLeavesAValidLedgerThatTheNextWriteAnchors()
    {
        var ledger = Filled();
        var before = ledger.Verify();
        var charge = ledger.Charge("d", "r3", Rho.FromDouble(0.001), "m").Entry;

        // The anchor one entry behind, announcing the entry, as a kill between the append and the anchor leaves it.
        new LedgerAnchor(before.Entries.Count, before.HeadHash, charge.Hash).Write(LedgerPath + ".head", LedgerKey.LoadOrCreate(LedgerPath));

        var verification = ledger.Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.Equal(3, verification.Anchor!.Entries);
        ledger.Charge("d", "r4", Rho.FromDouble(0.001), "m");
        Assert.Equal(5, ledger.Verify().Anchor!.Entries);
    }

    [Fact]
    public void DatasetIdsThatDifferOnlyByCaseOrWhitespaceOrAreEmptyAreRefused()
    {
        Ledgers.Init(LedgerPath);
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", LedgerPath, "--dataset", "adult", "--epsilon", "1", "--delta", "1e-9").ExitCode);
        Assert.Equal(0, Charge("adult", "0.001").ExitCode);
        var before = File.ReadAllBytes(LedgerPath);

        var upper = Charge("Adult", "0.001");
        Assert.Equal(2, upper.ExitCode);
        Assert.Contains("differs from 'adult' in the ledger only by case", upper.Error, StringComparison.Ordinal);
        var upperCap = CliRunner.Run("budget", "cap", "--ledger", LedgerPath, "--dataset", "ADULT", "--epsilon", "1", "--delta", "1e-9");
        Assert.Equal(2, upperCap.ExitCode);
        foreach (var id in new[] { "adult ", " adult", "", " ", "adult\u001b[2J", "ad ult", "adült" })
        {
            var refused = Charge(id, "0.001");
            Assert.True(refused.ExitCode == 1, $"'{id}': exit {refused.ExitCode}");
            Assert.StartsWith("error: the dataset id", refused.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', refused.Error);
        }

        Assert.Equal(before, File.ReadAllBytes(LedgerPath));
    }

    [Fact]
    public void VerifyChecksThatACapsRhoIsTheConversionOfItsEpsilonAndDelta()
    {
        var ledger = Ledgers.New(LedgerPath);
        var honest = ledger.SetCap("d", new ApproxDp(1, 1e-9));

        // A cap that says epsilon 1 but enforces the rho of epsilon 100, with a valid hash and a re-made anchor.
        var forged = LedgerEntry.Create(
            1, LedgerEntryKind.Cap, honest.Time, "d", null, null, null, Rho.FromApproxDp(new ApproxDp(100, 1e-9)).ToDoubleUp(),
            1, 1e-9, LedgerEntry.GenesisHash);
        File.WriteAllText(LedgerPath, forged + "\n");
        new LedgerAnchor(1, forged.Hash).Write(LedgerPath + ".head", LedgerKey.LoadOrCreate(LedgerPath));

        var verify = CliRunner.Run("budget", "verify", "--ledger", LedgerPath);
        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("line 1 is a cap whose rho", verify.Error, StringComparison.Ordinal);
        Assert.Equal(2, Charge("d", "0.5").ExitCode);
    }

    [Fact]
    public void AChargesPublishedHashCannotBeInvertedByTryingTimes()
    {
        // Two ledgers, the same clock, the same charge: every field a bundle reader could guess is equal, yet the hashes
        // differ, because each charge carries 32 random bytes. Without them the hash published in a bundle's manifest
        // could be searched for the charge's time, which comes after the private input was read.
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var hashes = new List<string>();
        foreach (var name in new[] { "a.jsonl", "b.jsonl" })
        {
            var path = temp.File(name);
            Ledgers.New(path);
            var charge = new BudgetLedger(path, clock) { AllowUncapped = true }.Charge("d", "r", Rho.FromDouble(0.01), "m").Entry;
            Assert.Matches("^[0-9a-f]{64}$", charge.Nonce);
            Assert.Contains($"\"nonce\":\"{charge.Nonce}\"", File.ReadAllText(path), StringComparison.Ordinal);
            hashes.Add(charge.Hash);
        }

        Assert.NotEqual(hashes[0], hashes[1]);

        // A charge written before nonces existed still verifies as it is.
        var legacy = LedgerEntry.Create(1, LedgerEntryKind.Charge, clock.GetUtcNow(), "d", "r", null, "m", 0.01, 0.81, 1e-9, LedgerEntry.GenesisHash);
        Assert.True(LedgerVerifier.Verify(Encoding.UTF8.GetBytes(legacy + "\n")).IsValid);
        Assert.DoesNotContain("nonce", legacy.ToString(), StringComparison.Ordinal);
    }

    [UnixFact]
    public void VerifyNeverCallsADeviceFileAGoodLedger()
    {
        var verify = CliRunner.Run("budget", "verify", "--ledger", "/dev/zero");
        Assert.NotEqual(0, verify.ExitCode);
        Assert.DoesNotContain("ledger OK", verify.Output, StringComparison.Ordinal);
    }

    // Three entries: a cap for d and two charges.
    private BudgetLedger Filled()
    {
        var ledger = Ledgers.New(LedgerPath);
        ledger.SetCap("d", new ApproxDp(1, 1e-9));
        ledger.Charge("d", "r1", Rho.FromDouble(0.001), "m");
        ledger.Charge("d", "r2", Rho.FromDouble(0.001), "m");
        return ledger;
    }

    // The ledger with entry target (1-based) dropped or its rho lowered, every entry renumbered and re-hashed: what
    // someone who can write the file produces to hide a charge. The chain verifies; only the anchor can tell.
    private static byte[] Rechained(string[] lines, int target, bool drop)
    {
        var text = new StringBuilder();
        var previous = LedgerEntry.GenesisHash;
        var sequence = 0L;
        foreach (var (line, index) in lines.Select((l, i) => (l, i + 1)))
        {
            if (index == target && drop)
            {
                continue;
            }

            var e = LedgerEntry.Parse(Encoding.UTF8.GetBytes(line));
            var rho = index == target ? e.Rho / 1000 : e.Rho;
            var made = LedgerEntry.Create(
                ++sequence, e.Kind, e.Time, e.DatasetId, e.RunId, e.PolicySha256, e.Mechanism, rho, e.Epsilon, e.Delta, previous);
            text.Append(made).Append('\n');
            previous = made.Hash;
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private CliRunner.Result Charge(string dataset, string rho) =>
        CliRunner.Run("budget", "charge", "--ledger", LedgerPath, "--dataset", dataset, "--rho", rho, "--mechanism", "m", "--allow-uncapped");
}
