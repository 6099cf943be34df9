using System.Diagnostics;
using DPSynth.Budget;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

/// <summary>Real OS processes (the <c>dpsynth</c> CLI) charging one ledger: the lock and the durable append across processes.</summary>
public sealed class LedgerProcessTests : IDisposable
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "DPSynth.Cli.dll");
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void ProcessesChargingAtOnceAddUpAndNeverPassTheCap()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", ledger, "--dataset", "d", "--epsilon", "1", "--delta", "1e-9").ExitCode);
        var children = Enumerable.Range(0, 10)
            .Select(i => Start("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.002",
                "--mechanism", "external", "--run-id", $"p{i}"))
            .ToList();
        var codes = children.Select(Finish).ToList();

        Assert.All(codes, c => Assert.True(c is 0 or 2, $"exit code {c}"));
        Assert.Equal(7, codes.Count(c => c == 0)); // 7 * 0.002 <= 0.0149731 < 8 * 0.002
        var verification = new BudgetLedger(ledger).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        var charges = verification.Entries.Where(e => e.Kind == LedgerEntryKind.Charge).ToList();
        Assert.Equal(codes.Count(c => c == 0), charges.Count);
        Assert.True(DatasetSpend.Of(verification.Entries, "d").Spent.ToDoubleUp() <= verification.Entries[0].Rho);
    }

    [Fact]
    public void AChildKilledMidAppendLeavesEarlierEntriesAndATornLineThatVerifyReports()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.001",
                "--mechanism", "before", "--run-id", $"r{i}").ExitCode);
        }

        var intact = File.ReadAllBytes(ledger);
        var child = Start(
            new Dictionary<string, string> { [BudgetLedger.TornAppendPauseVariable] = "60000" },
            "budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.001", "--mechanism", "killed");
        try
        {
            // Wait until the child has made half of its line durable, then kill it: a real crash mid-append. The
            // child first warns loudly that fault injection is active.
            var warning = child.StandardError.ReadLine();
            Assert.Contains("TEST FAULT INJECTION", warning, StringComparison.Ordinal);
            Assert.Equal("paused mid-append", child.StandardError.ReadLine());
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        var after = File.ReadAllBytes(ledger);
        Assert.True(after.Length > intact.Length);
        Assert.Equal(intact, after[..intact.Length]);

        var verify = CliRunner.Run("budget", "verify", "--ledger", ledger);
        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("line 4 is incomplete", verify.Error, StringComparison.Ordinal);
        Assert.Equal(3, new BudgetLedger(ledger).Verify().Entries.Count);

        var refused = CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.001", "--mechanism", "x");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(after, File.ReadAllBytes(ledger));
    }

    [Fact]
    public void AChildThatSurvivesThePauseCompletesItsLineOnce()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(0, CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.001",
            "--mechanism", "before").ExitCode);
        var (code, error) = RunChild(
            new Dictionary<string, string> { [BudgetLedger.TornAppendPauseVariable] = "50" },
            "budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.001", "--mechanism", "paused");
        Assert.Equal(0, code);
        Assert.Contains("TEST FAULT INJECTION", error, StringComparison.Ordinal);
        Assert.Contains("paused mid-append", error, StringComparison.Ordinal);
        var verification = new BudgetLedger(ledger).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.Equal(2, verification.Entries.Count);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("+10")]
    public void AnInvalidPauseIsIgnored(string value)
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var (code, error) = RunChild(
            new Dictionary<string, string> { [BudgetLedger.TornAppendPauseVariable] = value },
            "budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.001", "--mechanism", "m");
        Assert.Equal(0, code);
        Assert.DoesNotContain("paused", error, StringComparison.Ordinal);
        var verification = new BudgetLedger(ledger).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        Assert.Single(verification.Entries);
    }

    [Fact]
    public void WritesAreRefusedWhenFileLockingIsDisabled()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(0, CliRunner.Run("budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.001",
            "--mechanism", "m").ExitCode);
        var before = File.ReadAllBytes(ledger);
        var disabled = new Dictionary<string, string> { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "true" };
        var (code, error) = RunChild(disabled,
            "budget", "charge", "--allow-uncapped", "--ledger", ledger, "--dataset", "d", "--rho", "0.001", "--mechanism", "m");
        Assert.Equal(2, code);
        Assert.Contains("file locking is disabled", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(ledger));

        var (verifyCode, verifyError) = RunChild(disabled, "budget", "verify", "--ledger", ledger);
        Assert.Equal(0, verifyCode);
        Assert.Contains("without its lock", verifyError, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Error) RunChild(Dictionary<string, string> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("a child did not finish in 120 s");
        }

        Task.WaitAll(output, error);
        return (process.ExitCode, error.Result);
    }

    private static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    private static Process Start(Dictionary<string, string> environment, params string[] args)
    {
        Assert.True(File.Exists(CliDll), $"{CliDll} not found beside the test assembly");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    private static int Finish(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("a charging child did not finish in 120 s");
            }

            Task.WaitAll(output, error);
            return process.ExitCode;
        }
    }
}
