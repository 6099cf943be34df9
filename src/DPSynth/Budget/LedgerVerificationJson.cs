using System.Text.Json;

namespace DPSynth.Budget;

/// <summary>The <c>budget verify --json</c> output: whether the ledger verified, its size, head and first problem.</summary>
/// <param name="Valid">True when no problem was found.</param>
/// <param name="Entries">The entries that verified.</param>
/// <param name="Head">The hash of the last of them.</param>
/// <param name="Problem">The first problem (the chain, the anchor, an expected head, a bundle's charge), or null.</param>
public sealed record LedgerVerificationJson(bool Valid, int Entries, string Head, string? Problem)
{
    /// <summary>The result of checking <paramref name="verification"/>, whose first problem is <paramref name="problem"/>.</summary>
    public static LedgerVerificationJson Of(LedgerVerification verification, string? problem)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new(problem is null, verification.Entries.Count, verification.HeadHash, problem);
    }

    /// <summary>One compact line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, BudgetJsonContext.Default.LedgerVerificationJson);
}
