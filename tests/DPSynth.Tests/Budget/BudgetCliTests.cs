using System.Text.Json;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

public sealed class BudgetCliTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void CapChargeShowVerifyAndReportWorkTogether()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", ledger, "--dataset", "adult", "--epsilon", "1", "--delta", "1e-9").ExitCode);
        var charge = CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "adult", "--rho", "0.005",
            "--mechanism", "aim", "--run-id", "run-1");
        Assert.Equal(0, charge.ExitCode);
        Assert.Equal(string.Empty, charge.Error);

        var verify = CliRunner.Run("budget", "verify", "--ledger", ledger, "--dataset", "adult");
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("ledger OK: 2 entries", verify.Output, StringComparison.Ordinal);
        Assert.Contains("dataset 'adult': spent rho 0.005", verify.Output, StringComparison.Ordinal);

        var show = CliRunner.Run("budget", "show", "--ledger", ledger, "--dataset", "adult", "--json");
        Assert.Equal(2, show.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var report = CliRunner.Run("budget", "report", "--ledger", ledger, "--json");
        using var json = JsonDocument.Parse(report.Output);
        var run = json.RootElement.GetProperty("datasets")[0].GetProperty("runs")[0];
        Assert.Equal("run-1", run.GetProperty("run").GetString());
        Assert.Equal("aim", run.GetProperty("mechanism").GetString());
        Assert.True(run.GetProperty("epsilon").GetDouble() > 0);
        Assert.Contains("| run-1 |", CliRunner.Run("budget", "report", "--ledger", ledger).Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverspendExitsWithTwoAndAnUncappedChargeIsRefusedUnlessAllowed()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var before = File.ReadAllBytes(ledger);
        var refusedUncapped = CliRunner.Run("budget", "charge", "--ledger", ledger, "--dataset", "x", "--rho", "1", "--mechanism", "m");
        Assert.Equal(2, refusedUncapped.ExitCode);
        Assert.Contains("has no cap in the ledger", refusedUncapped.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-uncapped", refusedUncapped.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(ledger));

        var uncapped = CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "x", "--rho", "1", "--mechanism", "m");
        Assert.Equal(0, uncapped.ExitCode);
        Assert.Contains("no cap", uncapped.Error, StringComparison.Ordinal);
        CliRunner.Run("budget", "cap", "--ledger", ledger, "--dataset", "x", "--epsilon", "1", "--delta", "1e-9");
        var refused = CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "x", "--rho", "0.001", "--mechanism", "m");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("would pass its cap", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyExitsWithFourOnATamperedLedgerAndOnARollback()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "x", "--rho", "0.5", "--mechanism", "m");
        var head = JsonDocument.Parse(CliRunner.Run("budget", "verify", "--ledger", ledger, "--json").Output)
            .RootElement.GetProperty("head").GetString()!;
        Assert.Equal(4, CliRunner.Run("budget", "verify", "--ledger", ledger, "--expect-head", new string('a', 64)).ExitCode);
        Assert.Equal(0, CliRunner.Run("budget", "verify", "--ledger", ledger, "--expect-head", head).ExitCode);

        File.WriteAllText(ledger, File.ReadAllText(ledger).Replace("\"rho\":0.5", "\"rho\":0.1", StringComparison.Ordinal));
        var broken = CliRunner.Run("budget", "verify", "--ledger", ledger, "--json");
        Assert.Equal(4, broken.ExitCode);
        Assert.False(JsonDocument.Parse(broken.Output).RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(4, CliRunner.Run("budget", "report", "--ledger", ledger).ExitCode);
    }

    [Fact]
    public void BadArgumentsAreInputErrors()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(1, CliRunner.Run("budget", "cap", "--ledger", ledger, "--dataset", "x", "--epsilon", "one", "--delta", "1e-9").ExitCode);
        Assert.Equal(1, CliRunner.Run("budget", "cap", "--ledger", ledger, "--dataset", "x", "--epsilon", "1", "--delta", "2").ExitCode);
        Assert.Equal(1, CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "x", "--rho", "-1", "--mechanism", "m").ExitCode);
        Assert.Equal(1, CliRunner.Run("budget", "verify", "--ledger", temp.File("missing.jsonl")).ExitCode);
    }
}
