using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

/// <summary>The lock follows the file (symlinks), read-only readers, cap raises and exact --rho parsing.</summary>
public sealed class LedgerHardeningTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void ASymlinkedPathTakesTheSameLockAndTheCapHolds()
    {
        var realFolder = Directory.CreateDirectory(temp.File("real")).FullName;
        var real = Path.Combine(realFolder, "ledger.jsonl");
        var fileLink = temp.File("link.jsonl");
        var folderLink = temp.File("folder-link");
        File.CreateSymbolicLink(fileLink, real); // dangling until the first write: resolved all the same
        Directory.CreateSymbolicLink(folderLink, realFolder);
        var viaFolder = Path.Combine(folderLink, "ledger.jsonl");
        var relativeLink = temp.File("relative.jsonl");
        File.CreateSymbolicLink(relativeLink, Path.Combine("folder-link", "ledger.jsonl")); // relative, through a link

        Assert.Equal(new BudgetLedger(real).LockPath, new BudgetLedger(fileLink).LockPath);
        Assert.Equal(new BudgetLedger(real).LockPath, new BudgetLedger(viaFolder).LockPath);
        Assert.Equal(new BudgetLedger(real).LockPath, new BudgetLedger(relativeLink).LockPath);

        Ledgers.New(fileLink).SetCap("d", new ApproxDp(1, 1e-9)); // created through the dangling link, at its target
        string[] paths = [real, fileLink, viaFolder, relativeLink];
        var accepted = 0;
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
        {
            try
            {
                new BudgetLedger(paths[i % 4]).Charge("d", $"t{i}", Rho.FromDouble(0.002), "m");
                Interlocked.Increment(ref accepted);
            }
            catch (BudgetRefusedException)
            {
            }
        });

        Assert.Equal(7, accepted); // 7 * 0.002 <= 0.0149731 < 8 * 0.002
        var verification = new BudgetLedger(real).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.Equal(8, verification.Entries.Count);
    }

    [Fact]
    public void AReaderThatCannotCreateTheLockReadsWithoutItAndAWriterIsRefused()
    {
        // A directory where the lock file belongs cannot be opened as a file (even by root): the same failure a
        // read-only reviewer gets when the lock file cannot be created.
        var path = temp.File("ledger.jsonl");
        var ledger = Ledgers.New(path);
        ledger.Charge("d", "r1", Rho.FromDouble(0.001), "m");
        File.Delete(ledger.LockPath);
        Directory.CreateDirectory(ledger.LockPath);

        var verification = ledger.Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.True(verification.ReadWithoutLock);
        Assert.Single(verification.Entries);

        foreach (var command in new[] { "verify", "show", "report" })
        {
            var run = CliRunner.Run("budget", command, "--ledger", path);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("without its lock", run.Error, StringComparison.Ordinal);
        }

        Assert.Throws<BudgetRefusedException>(() => ledger.Charge("d", "r2", Rho.FromDouble(0.001), "m"));
        Assert.Equal(2, CliRunner.Run(
            "budget", "charge", "--ledger", path, "--dataset", "d", "--rho", "0.001", "--mechanism", "m", "--allow-uncapped").ExitCode);
        Assert.Single(new BudgetLedger(path).Verify().Entries);
    }

    [Fact]
    public void AReaderWithTheLockReadsUnderIt()
    {
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        ledger.Charge("d", "r1", Rho.FromDouble(0.001), "m");
        Assert.False(ledger.Verify().ReadWithoutLock);
    }

    [Fact]
    public void RaisingACapNeedsAReasonWarnsAndTheReportShowsTheCapHistory()
    {
        var path = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", path, "--dataset", "d", "--epsilon", "1", "--delta", "1e-9").ExitCode);
        var lowered = CliRunner.Run("budget", "cap", "--ledger", path, "--dataset", "d", "--epsilon", "0.5", "--delta", "1e-9");
        Assert.Equal(0, lowered.ExitCode);
        Assert.DoesNotContain("RAISES", lowered.Error, StringComparison.Ordinal);
        var before = File.ReadAllBytes(path);
        var refused = CliRunner.Run("budget", "cap", "--ledger", path, "--dataset", "d", "--epsilon", "100", "--delta", "1e-9");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("would RAISE the cap of dataset 'd'", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1, CliRunner.Run(
            "budget", "cap", "--ledger", path, "--dataset", "d", "--epsilon", "2", "--delta", "1e-9", "--raise-cap").ExitCode);
        Assert.Equal(1, CliRunner.Run(
            "budget", "cap", "--ledger", path, "--dataset", "d", "--epsilon", "2", "--delta", "1e-9", "--reason", "x").ExitCode);
        Assert.Equal(before, File.ReadAllBytes(path));

        var raised = CliRunner.Run(
            "budget", "cap", "--ledger", path, "--dataset", "d", "--epsilon", "2", "--delta", "1e-9", "--raise-cap",
            "--reason", "approved by the data board, ticket 42");
        Assert.Equal(0, raised.ExitCode);
        Assert.Contains("RAISES the cap of dataset 'd'", raised.Error, StringComparison.Ordinal);
        var entries = new BudgetLedger(path).Verify().Entries;
        Assert.Equal("approved by the data board, ticket 42", entries[^1].Reason);
        Assert.Null(entries[0].Reason);

        var report = CliRunner.Run("budget", "report", "--ledger", path);
        Assert.Contains("Cap history", report.Output, StringComparison.Ordinal);
        Assert.Contains("| lowered |", report.Output, StringComparison.Ordinal);
        Assert.Contains("| RAISED |", report.Output, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(CliRunner.Run("budget", "report", "--ledger", path, "--json").Output);
        Assert.Equal(3, json.RootElement.GetProperty("datasets")[0].GetProperty("capHistory").GetArrayLength());
    }

    [Theory]
    [InlineData("0.3", 3, 10)]
    [InlineData("0.1", 1, 10)]
    [InlineData("1e-3", 1, 1000)]
    [InlineData("2.5E-1", 1, 4)]
    public void ChargedRhoIsParsedExactlyAndStoredRoundedUp(string text, long numerator, long denominator)
    {
        var path = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(0, CliRunner.Run(
            "budget", "charge", "--ledger", path, "--dataset", "d", "--rho", text, "--mechanism", "m", "--allow-uncapped").ExitCode);
        var stored = Assert.Single(new BudgetLedger(path).Verify().Entries).Rho;
        var exact = new Rational(numerator, denominator);
        Assert.True(Rational.FromDouble(stored) >= exact, $"{stored:R} is below {exact}");
        Assert.True(Rational.FromDouble(Math.BitDecrement(stored)) < exact, $"{stored:R} is not the least double >= {exact}");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.1")]
    [InlineData("abc")]
    [InlineData("1e99999")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    public void ABadRhoIsAnInputError(string text)
    {
        var path = temp.File("ledger.jsonl");
        Assert.Equal(1, CliRunner.Run("budget", "charge", "--ledger", path, "--dataset", "d", "--rho", text, "--mechanism", "m").ExitCode);
        Assert.False(File.Exists(path));
    }
}
