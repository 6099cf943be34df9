namespace DPSynth.Budget;

/// <summary>What a ledger entry records.</summary>
public enum LedgerEntryKind
{
    /// <summary>A spend: rho charged to a dataset by one run.</summary>
    Charge,

    /// <summary>A cap for a dataset (the latest cap entry of a dataset is the one in force).</summary>
    Cap,

    /// <summary>
    /// How a policy run that charged ended (released, gate failed, failed): no spend. A policy charge without one is
    /// an orphan: the run was interrupted after charging, and its budget stays spent.
    /// </summary>
    Outcome,
}
