namespace DPSynth.Budget;

/// <summary>The outcome of an accepted ledger charge.</summary>
/// <param name="Entry">The entry appended (already flushed to disk).</param>
/// <param name="Spend">The dataset's spend after the charge, with its cap.</param>
public sealed record LedgerCharge(LedgerEntry Entry, DatasetSpend Spend)
{
    /// <summary>True when the dataset has no cap entry: the charge is recorded, but nothing limits the spend.</summary>
    public bool IsUncapped => Spend.Cap is null;
}
