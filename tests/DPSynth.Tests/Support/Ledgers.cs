using DPSynth.Budget;

namespace DPSynth.Tests.Support;

/// <summary>Ledgers for tests: created explicitly, as every real ledger must be (docs/ledger.md).</summary>
public static class Ledgers
{
    /// <summary>
    /// Creates the ledger at <paramref name="path"/> (<see cref="BudgetLedger.Initialize"/>) and returns it; charges to an
    /// uncapped dataset are allowed unless <paramref name="allowUncapped"/> is false.
    /// </summary>
    public static BudgetLedger New(string path, bool allowUncapped = true)
    {
        var ledger = new BudgetLedger(path) { AllowUncapped = allowUncapped };
        Assert.Equal(LedgerInitResult.Created, ledger.Initialize().Result);
        return ledger;
    }

    /// <summary>Runs <c>dpsynth budget init</c> for <paramref name="path"/> and checks it succeeded.</summary>
    public static string Init(string path)
    {
        var result = CliRunner.Run("budget", "init", "--ledger", path);
        Assert.True(result.ExitCode == 0, result.Error);
        return path;
    }
}
