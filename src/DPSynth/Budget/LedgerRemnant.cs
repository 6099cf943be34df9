using DPSynth.Diagnostics;

namespace DPSynth.Budget;

/// <summary>
/// The one entry a ledger may hold past a legacy anchored head (<see cref="LedgerAnchor.IsLegacy"/>), which announces
/// no entry and so cannot authenticate it: what a writer of an earlier DPSynth leaves when it is killed between its
/// append and its anchor, or what someone who can write the file but not read the key appended by hand. It is accepted
/// only when it cannot let more be spent: a charge (it only spends more), an outcome (no spend), or a cap at or below
/// the dataset's cap in force. A cap that raises the cap in force or sets a dataset's first one, a cap after a discovery
/// charge (a writer refuses it, docs/privacy.md#discovery-charge), and an entry naming a dataset id a writer would refuse
/// are refused: only the ledger's key (an announcing anchor) can vouch for those.
/// </summary>
internal static class LedgerRemnant
{
    /// <summary>Null when the last of <paramref name="entries"/> is safe to accept unauthenticated; otherwise why not.</summary>
    public static string? Problem(IReadOnlyList<LedgerEntry> entries)
    {
        var remnant = entries[^1];
        var before = entries.Take(entries.Count - 1).ToList();
        var id = remnant.DatasetId;
        if (!before.Any(e => e.DatasetId == id)
            && (DatasetIds.Problem(id) is not null || DatasetIds.CaseVariant(before, id) is not null))
        {
            return Messages.LedgerRemnantRefused(remnant.Sequence, Messages.LedgerRemnantBadId);
        }

        if (remnant.Kind != LedgerEntryKind.Cap)
        {
            return null;
        }

        var inForce = DatasetSpend.Of(before, id).Cap;
        var why = inForce is null ? Messages.LedgerRemnantFirstCap(id)
            : remnant.Rho > inForce.Rho ? Messages.LedgerRemnantCapRaise(id, inForce.Rho, remnant.Rho)
            : DiscoveryCharge.Exists(before, id) ? Messages.LedgerRemnantCapAfterDiscovery(id)
            : null;
        return why is null ? null : Messages.LedgerRemnantRefused(remnant.Sequence, why);
    }
}
