namespace DPSynth.Budget;

/// <summary>The outcomes a policy run records in the ledger after its charge (<see cref="LedgerEntryKind.Outcome"/>).</summary>
public static class RunOutcome
{
    /// <summary>A signed bundle was written.</summary>
    public const string Released = "released";

    /// <summary>The release gate refused the synthetic data: nothing was released, the budget stays spent.</summary>
    public const string GateFailed = "gate_failed";

    /// <summary>The run stopped with an error after charging: nothing was released, the budget stays spent.</summary>
    public const string Failed = "failed";

    /// <summary>Insecure test noise was used: the output was kept out of any bundle and never signed.</summary>
    public const string Insecure = "insecure";

    /// <summary>True for the four outcomes above.</summary>
    public static bool IsKnown(string? outcome) => outcome is Released or GateFailed or Failed or Insecure;
}
