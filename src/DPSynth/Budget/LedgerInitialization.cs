namespace DPSynth.Budget;

/// <summary>What <see cref="BudgetLedger.Initialize"/> did.</summary>
public enum LedgerInitResult
{
    /// <summary>A new, empty ledger was created with its key and anchor.</summary>
    Created,

    /// <summary>An existing ledger made before anchors existed was anchored at its current head.</summary>
    Adopted,

    /// <summary>The ledger already existed, anchored, and verifies: nothing was changed.</summary>
    AlreadyInitialized,
}

/// <summary>The result of <see cref="BudgetLedger.Initialize"/>.</summary>
/// <param name="Result">What was done.</param>
/// <param name="Verification">The ledger's verification afterwards (entries and head).</param>
public sealed record LedgerInitialization(LedgerInitResult Result, LedgerVerification Verification);
