namespace DPSynth.Budget;

/// <summary>
/// The outcome of verifying a ledger: the entries that verified, in order, and the first problem found (in the chain,
/// or against its anchored head).
/// </summary>
/// <param name="Entries">Every entry before the first problem (all entries when the ledger is valid).</param>
/// <param name="Problem">The first problem, or null when the whole ledger verifies.</param>
public sealed record LedgerVerification(IReadOnlyList<LedgerEntry> Entries, string? Problem)
{
    /// <summary>True when every line is a complete, canonical, correctly chained entry.</summary>
    public bool IsValid => Problem is null;

    /// <summary>
    /// The hash of the last verified entry (the genesis hash for an empty ledger): keep it elsewhere to detect a rollback.
    /// </summary>
    public string HeadHash => Entries.Count == 0 ? LedgerEntry.GenesisHash : Entries[^1].Hash;

    /// <summary>
    /// True when the ledger was read without the lock (the reader could not create the lock file, or file locking is
    /// disabled): a charge being appended at that moment may show as a torn last line.
    /// </summary>
    public bool ReadWithoutLock { get; init; }

    /// <summary>
    /// True when there is no ledger and nothing shows there ever was one (no file, anchor, lock or key): valid and empty,
    /// but every write is refused until the ledger is created explicitly (<see cref="BudgetLedger.Initialize"/>).
    /// </summary>
    public bool Uninitialized { get; init; }

    /// <summary>The anchored head the ledger was checked against (null when the chain or the anchor did not verify).</summary>
    public LedgerAnchor? Anchor { get; init; }
}
