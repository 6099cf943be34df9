using System.Text;
using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

public sealed class LedgerTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void ChargesUpToTheCapAreAcceptedAndTheNextIsRefused()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        var cap = ledger.SetCap("adult", new ApproxDp(1, 1e-9));
        Assert.Equal(0.0149731, cap.Rho, 1e-7);
        var rho = Rho.FromDouble(cap.Rho / 4);
        for (var i = 0; i < 4; i++)
        {
            var charge = ledger.Charge("adult", $"run{i}", rho, "aim");
            Assert.False(charge.IsUncapped);
        }

        var before = File.ReadAllBytes(ledger.Path);
        Assert.Throws<BudgetRefusedException>(() => ledger.Charge("adult", "run4", Rho.FromDouble(1e-12), "aim"));
        Assert.Equal(before, File.ReadAllBytes(ledger.Path));
        var verification = ledger.Verify();
        Assert.True(verification.IsValid);
        Assert.Equal(5, verification.Entries.Count);
    }

    [Fact]
    public void AnUncappedDatasetIsChargedAndFlagged()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        var charge = ledger.Charge("public-demo", "r1", Rho.FromDouble(5), "mst");
        Assert.True(charge.IsUncapped);
        Assert.Equal(Rho.FromDouble(5), charge.Spend.Spent);
        Assert.Equal(BudgetLedger.DefaultDelta, charge.Entry.Delta);
    }

    [Fact]
    public void ChargesAreStoredRoundedUpAndCarryTheImpliedEpsilon()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        ledger.SetCap("d", new ApproxDp(2, 1e-6));
        var third = new Rho(new Rational(1, 300));
        var entry = ledger.Charge("d", "r", third, "gaussian").Entry;
        Assert.True(Rational.FromDouble(entry.Rho) >= third.Value);
        Assert.Equal(1e-6, entry.Delta);
        Assert.Equal(ZcdpConversion.EpsilonFromRho(Rho.FromDouble(entry.Rho), 1e-6), entry.Epsilon);
    }

    [Fact]
    public void EveryLineIsHashChainedToTheOneBefore()
    {
        var ledger = Filled(3);
        var entries = ledger.Verify().Entries;
        Assert.Equal(LedgerEntry.GenesisHash, entries[0].PreviousHash);
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);
        Assert.Equal(entries[1].Hash, entries[2].PreviousHash);
        Assert.All(entries, e => Assert.Equal(e.ComputeHash(), e.Hash));
    }

    [Fact]
    public void AnEditedEntryIsDetectedAndBlocksCharges()
    {
        var ledger = Filled(3);
        var lines = File.ReadAllLines(ledger.Path);
        lines[1] = lines[1].Replace("\"rho\":0.002,", "\"rho\":0.001,", StringComparison.Ordinal);
        File.WriteAllText(ledger.Path, string.Join('\n', lines) + "\n");
        var verification = ledger.Verify();
        Assert.False(verification.IsValid);
        Assert.Contains("line 2 was edited", verification.Problem, StringComparison.Ordinal);
        var refused = Assert.Throws<BudgetRefusedException>(() => ledger.Charge("d", "r", Rho.FromDouble(1e-6), "m"));
        Assert.Contains("does not verify", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEditThatKeepsTheHashValidIsStillCaughtByTheChain()
    {
        // Rewrite entry 2 with a smaller rho and a fresh, self-consistent hash: entry 3 no longer links to it.
        var ledger = Filled(3);
        var lines = File.ReadAllLines(ledger.Path);
        var edited = LedgerEntry.Parse(Encoding.UTF8.GetBytes(lines[1]));
        var forged = LedgerEntry.Create(
            edited.Sequence, edited.Kind, edited.Time, edited.DatasetId, edited.RunId, edited.PolicySha256, edited.Mechanism,
            0.0001, edited.Epsilon, edited.Delta, edited.PreviousHash);
        lines[1] = forged.ToString();
        File.WriteAllText(ledger.Path, string.Join('\n', lines) + "\n");
        Assert.Contains("line 3 does not follow", ledger.Verify().Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AWhitespaceEditIsDetected()
    {
        var ledger = Filled(2);
        var text = File.ReadAllText(ledger.Path);
        File.WriteAllText(ledger.Path, text.Replace("\"kind\":", "\"kind\": ", StringComparison.Ordinal));
        Assert.Contains("line 1 was edited", ledger.Verify().Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AForgedEntryWithANegativeRhoIsRejectedEvenWithAValidHash()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        var forged = LedgerEntry.Create(
            1, LedgerEntryKind.Charge, DateTimeOffset.UnixEpoch, "d", "r", null, "m", -1, 0, 1e-9, LedgerEntry.GenesisHash);
        File.WriteAllText(ledger.Path, forged + "\n");
        Assert.Contains("rho must be", ledger.Verify().Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeletedEntryIsDetected()
    {
        var ledger = Filled(4);
        var lines = File.ReadAllLines(ledger.Path).ToList();
        lines.RemoveAt(1);
        File.WriteAllText(ledger.Path, string.Join('\n', lines) + "\n");
        Assert.Contains("line 2 has sequence 3", ledger.Verify().Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AReorderedEntryIsDetected()
    {
        var ledger = Filled(4);
        var lines = File.ReadAllLines(ledger.Path);
        (lines[1], lines[2]) = (lines[2], lines[1]);
        File.WriteAllText(ledger.Path, string.Join('\n', lines) + "\n");
        Assert.False(ledger.Verify().IsValid);
    }

    [Fact]
    public void ATornLastLineIsReportedNotRepaired()
    {
        var ledger = Filled(3);
        var full = File.ReadAllBytes(ledger.Path);
        var torn = full[..(full.Length - 40)];
        File.WriteAllBytes(ledger.Path, torn);
        var verification = ledger.Verify();
        Assert.Equal(2, verification.Entries.Count);
        Assert.Contains("line 3 is incomplete", verification.Problem, StringComparison.Ordinal);
        Assert.Throws<BudgetRefusedException>(() => ledger.Charge("d", "r", Rho.FromDouble(1e-6), "m"));
        Assert.Equal(torn, File.ReadAllBytes(ledger.Path));
    }

    [Fact]
    public void ARollbackIsCaughtWithTheHeadKeptElsewhere()
    {
        var ledger = Filled(3);
        var head = ledger.Verify().HeadHash;
        var lines = File.ReadAllLines(ledger.Path);
        Assert.Null(LedgerVerifier.VerifyHead(ledger.Verify(), head));
        ledger.Charge("d", "later", Rho.FromDouble(1e-6), "m");
        Assert.Null(LedgerVerifier.VerifyHead(ledger.Verify(), head)); // the ledger only grew
        File.WriteAllText(ledger.Path, string.Join('\n', lines[..2]) + "\n"); // an older copy
        var rolledBack = ledger.Verify();
        Assert.NotNull(LedgerVerifier.VerifyHead(rolledBack, head));

        // The anchored head beside the ledger catches it without the head kept elsewhere, and writers refuse.
        Assert.False(rolledBack.IsValid);
        Assert.Contains("has 2 entries but its anchored head records 4", rolledBack.Problem, StringComparison.Ordinal);
        Assert.Throws<BudgetRefusedException>(() => ledger.Charge("d", "again", Rho.FromDouble(1e-6), "m"));
    }

    [Fact]
    public void ThreadsChargingOneLedgerNeverPassTheCap()
    {
        var path = temp.File("ledger.jsonl");
        Ledgers.New(path).SetCap("d", new ApproxDp(1, 1e-9));
        var accepted = 0;
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
        {
            try
            {
                new BudgetLedger(path).Charge("d", $"t{i}", Rho.FromDouble(0.002), "m");
                Interlocked.Increment(ref accepted);
            }
            catch (BudgetRefusedException)
            {
            }
        });
        Assert.Equal(7, accepted); // 7 * 0.002 <= 0.0149731 < 8 * 0.002
        Assert.Equal(8, new BudgetLedger(path).Verify().Entries.Count);
    }

    [Fact]
    public void TheReportGivesPerRunRhoAndEpsilon()
    {
        var ledger = Filled(3);
        var report = LedgerReport.From(ledger.Verify());
        var markdown = report.ToMarkdown();
        Assert.Contains("## Dataset `d`", markdown, StringComparison.Ordinal);
        Assert.Contains("| r1 | 1 | 0.002 |", markdown, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        var dataset = json.RootElement.GetProperty("datasets")[0];
        Assert.Equal(0.006, dataset.GetProperty("rho").GetDouble(), 1e-12);
        Assert.Equal(3, dataset.GetProperty("runs").GetArrayLength());
    }

    private BudgetLedger Filled(int charges)
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        for (var i = 0; i < charges; i++)
        {
            ledger.Charge("d", $"r{i}", Rho.FromDouble(0.002), "gaussian");
        }

        return ledger;
    }
}
