namespace DPSynth.Budget;

/// <summary>What a ledger entry records.</summary>
public enum LedgerEntryKind
{
    /// <summary>A spend: rho charged to a dataset by one run.</summary>
    Charge,

    /// <summary>A cap for a dataset (the latest cap entry of a dataset is the one in force).</summary>
    Cap,
}
