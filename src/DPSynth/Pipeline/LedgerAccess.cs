using DPSynth.Budget;
using DPSynth.Diagnostics;

namespace DPSynth.Pipeline;

/// <summary>
/// A ledger as a charging command names it, with the two switches every charging command shares:
/// <c>--init-ledger</c> (create it first if it does not exist and nothing shows one existed) and
/// <c>--allow-uncapped</c>. Both are off by default, so a missing ledger and an uncapped dataset are refused
/// (docs/ledger.md).
/// </summary>
/// <param name="Path">The ledger file.</param>
/// <param name="Initialize">Create it first when it does not exist (never re-creates a deleted one).</param>
/// <param name="AllowUncapped">Charge a dataset that has no cap.</param>
public sealed record LedgerAccess(string Path, bool Initialize = false, bool AllowUncapped = false)
{
    /// <summary>Opens the ledger with these switches applied, saying on <paramref name="log"/> when it was created.</summary>
    public BudgetLedger Open(TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var ledger = new BudgetLedger(Path) { AllowUncapped = AllowUncapped };
        if (Initialize && ledger.Initialize().Result == LedgerInitResult.Created)
        {
            log.WriteLine(Messages.LedgerCreated(ledger.Path, ledger.AnchorPath));
        }

        return ledger;
    }
}
