using DPSynth.Budget;
using DPSynth.Privacy;

namespace DPSynth.Release;

/// <summary>
/// The budget table of the release reports: what this run spent, and, when a ledger was used, what the dataset has spent
/// in all (this run included) and its cap. Budget figures depend only on the policy and the ledger, never on the rows.
/// </summary>
/// <param name="RunRho">The rho this run charged.</param>
/// <param name="RunEpsilon">
/// The epsilon this run's rho implies at <paramref name="Delta"/> (or the policy's stated epsilon).
/// </param>
/// <param name="Delta">The run's delta, in (0, 1).</param>
/// <param name="Ledger">
/// The dataset's spend after this run (from the verified ledger, this run's charges included), or null without a ledger.
/// </param>
public sealed record ReportBudget(Rho RunRho, double RunEpsilon, double Delta, DatasetSpend? Ledger)
{
    /// <summary>This run's epsilon (finite, at least 0).</summary>
    public double RunEpsilon { get; } = double.IsFinite(RunEpsilon) && RunEpsilon >= 0
        ? RunEpsilon
        : throw new ArgumentOutOfRangeException(nameof(RunEpsilon), RunEpsilon, "epsilon must be a finite number >= 0.");

    /// <summary>This run's delta.</summary>
    public double Delta { get; } = Delta is > 0 and < 1
        ? Delta
        : throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "delta must be in (0, 1).");

    /// <summary>The budget of a run that spent <paramref name="spend"/> (its charged rho, epsilon and delta, as the ledger states them).</summary>
    public static ReportBudget For(PrivacySpend spend, DatasetSpend? ledger)
    {
        ArgumentNullException.ThrowIfNull(spend);
        return new(spend.Charged, spend.Epsilon, spend.Delta, ledger);
    }

    /// <summary>The epsilon the dataset's total spend implies at the ledger's delta, or null without a ledger.</summary>
    public double? LedgerEpsilon => Ledger is { } spend ? ZcdpConversion.EpsilonFromRho(spend.Spent, spend.Delta) : null;
}
