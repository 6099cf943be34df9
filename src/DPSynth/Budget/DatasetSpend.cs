using DPSynth.Privacy;

namespace DPSynth.Budget;

/// <summary>What a verified ledger says about one dataset: the exact sum of its charges and the cap in force.</summary>
/// <param name="DatasetId">The dataset.</param>
/// <param name="Spent">The exact sum of the rho values recorded in its charge entries.</param>
/// <param name="Cap">Its latest cap entry, or null when it is uncapped.</param>
public sealed record DatasetSpend(string DatasetId, Rho Spent, LedgerEntry? Cap)
{
    /// <summary>The spend of <paramref name="datasetId"/> according to <paramref name="entries"/> (in ledger order).</summary>
    public static DatasetSpend Of(IEnumerable<LedgerEntry> entries, string datasetId)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var spent = Rho.Zero;
        LedgerEntry? cap = null;
        foreach (var entry in entries.Where(e => e.DatasetId == datasetId))
        {
            if (entry.Kind == LedgerEntryKind.Charge)
            {
                spent += Rho.FromDouble(entry.Rho); // exact: the stored double is already rounded up
            }
            else if (entry.Kind == LedgerEntryKind.Cap)
            {
                cap = entry;
            }
        }

        return new DatasetSpend(datasetId, spent, cap);
    }

    /// <summary>The delta at which implied epsilons are reported: the cap's, or <see cref="BudgetLedger.DefaultDelta"/>.</summary>
    public double Delta => Cap?.Delta ?? BudgetLedger.DefaultDelta;
}
