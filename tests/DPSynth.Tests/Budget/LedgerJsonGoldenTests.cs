using System.Text;
using DPSynth.Budget;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

/// <summary>
/// The ledger's bytes are its hash chain: every kind of entry (a cap, a cap with a reason, a charge written before nonces,
/// a charge with a nonce, outcomes with and without a bundle) must keep the exact canonical line and hash it had when it
/// was written, or old ledgers stop verifying. Also the <c>budget report --json</c> and <c>budget verify --json</c> output.
/// </summary>
public sealed class LedgerJsonGoldenTests : IDisposable
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 3, 1, 11, 30, 15, TimeSpan.FromHours(2)).AddTicks(1_234_567);

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>One entry of every shape, chained, with numbers and texts that exercise the canonical form.</summary>
    internal static IReadOnlyList<LedgerEntry> Entries()
    {
        var policy = new string('a', 64);
        var entries = new List<LedgerEntry>();
        string Previous() => entries.Count == 0 ? LedgerEntry.GenesisHash : entries[^1].Hash;
        DateTimeOffset At(int minutes) => Start.AddMinutes(minutes);
        entries.Add(LedgerEntry.Create(1, LedgerEntryKind.Cap, At(0), "visits", null, null, null, 0.052083333333333336, 1, 1e-9, Previous()));
        entries.Add(LedgerEntry.Create(
            2, LedgerEntryKind.Charge, At(1), "visits", "run-1", policy, "aim: 1-way measurements", 0.1 + 0.2, 3.0000000000000004,
            1e-9, Previous()));
        entries.Add(LedgerEntry.Create(
            3, LedgerEntryKind.Charge, At(2), "visits", "run-1", policy, "aim: rounds \"1-48\" <&'+>", 1.25e-7, 0.00123, 1e-9,
            Previous()).WithNonce("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        entries.Add(LedgerEntry.CreateOutcome(
            4, At(3), "visits", "run-1", policy, RunOutcome.Released, new string('f', 64), "release/visits-2026-03-01", 1e-9, Previous()));
        entries.Add(LedgerEntry.CreateOutcome(5, At(4), "visits", "run-2", null, RunOutcome.Failed, null, null, 1e-9, Previous()));
        entries.Add(LedgerEntry.Create(6, LedgerEntryKind.Cap, At(5), "visits", null, null, null, 0.1, 2, 1e-9, Previous())
            .WithReason("board approval \"Q2\" – Zürich\tdesk <&'+>"));
        entries.Add(LedgerEntry.Create(
            7, LedgerEntryKind.Charge, At(6), "patients/zürich", "run-3", policy, "mst", 1, 12.5, 1e-6, Previous()));
        entries.Add(LedgerEntry.Create(
            8, LedgerEntryKind.Charge, At(7), "visits", "run-4", null, "manual export", 1e-300, 5e-150, 1e-9, Previous()));
        return entries;
    }

    [Fact]
    public void EveryEntryShapeKeepsItsCanonicalLineAndHash()
    {
        var text = new StringBuilder();
        foreach (var entry in Entries())
        {
            text.Append(Encoding.UTF8.GetString(entry.ToLine())).Append('\n');
        }

        Golden.AssertSame("ledger.jsonl", text.ToString());
    }

    [Fact]
    public void ParsingEachGoldenLineAndWritingItAgainGivesTheSameBytesAndAValidChain()
    {
        var lines = Encoding.UTF8.GetString(Golden.Bytes("ledger.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var previous = LedgerEntry.GenesisHash;
        foreach (var line in lines)
        {
            var entry = LedgerEntry.Parse(Encoding.UTF8.GetBytes(line));
            Assert.Equal(line, Encoding.UTF8.GetString(entry.ToLine()));
            Assert.Equal(entry.Hash, entry.ComputeHash());
            Assert.Equal(previous, entry.PreviousHash);
            previous = entry.Hash;
        }

        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public void TheReportJsonKeepsItsBytes()
    {
        var report = LedgerReport.From(new LedgerVerification(Entries(), null));

        Golden.AssertSame("ledger-report.json", report.ToJson());
    }

    [Fact]
    public void BudgetVerifyJsonKeepsItsBytesForAValidAndABrokenLedger()
    {
        var ledger = Ledgers.Init(dir.File("ledger.jsonl"));
        var valid = CliRunner.Run("budget", "verify", "--ledger", ledger, "--json");
        Assert.Equal(0, valid.ExitCode);

        // A well-formed first entry whose hash was edited: the chain check, not the parser, refuses it.
        var line = Encoding.UTF8.GetString(Entries()[0].ToLine());
        File.AppendAllText(ledger, line.Replace("\"hash\":\"8", "\"hash\":\"9", StringComparison.Ordinal) + "\n");
        var broken = CliRunner.Run("budget", "verify", "--ledger", ledger, "--json");
        Assert.Equal(4, broken.ExitCode);

        Golden.AssertSame("budget-verify.json", valid.Output + broken.Output);
    }

    [Fact]
    public void TheAnchorKeepsItsBytesAndReadsBack()
    {
        var ledger = dir.File("anchored.jsonl");
        var key = LedgerKey.LoadOrCreate(ledger);
        var anchor = new LedgerAnchor(8, Entries()[^1].Hash);
        var path = LedgerAnchor.PathFor(ledger);

        anchor.Write(path, key);

        // The MAC is under a fresh random key: the golden file names it by placeholder.
        var text = System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(path), "\"mac\":\"[0-9a-f]{64}\"", "\"mac\":\"{mac}\"");
        Golden.AssertSame("ledger-anchor.json", text);
        Assert.Equal(anchor, LedgerAnchor.Read(path, key));
    }
}
