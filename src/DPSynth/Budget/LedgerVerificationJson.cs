using System.Text.Json;
using System.Text.Json.Serialization;

namespace DPSynth.Budget;

/// <summary>The <c>budget verify --json</c> output: whether the ledger verified, its size, head and first problem.</summary>
/// <param name="Valid">True when no problem was found.</param>
/// <param name="Entries">The entries that verified.</param>
/// <param name="Head">The hash of the last of them.</param>
/// <param name="Problem">The first problem (the chain, the anchor, an expected head, a bundle's charge), or null.</param>
/// <param name="Bundles">With <c>--bundles</c>: the bundles whose manifests were read; absent otherwise.</param>
/// <param name="BundleSignaturesChecked">
/// With <c>--bundles</c>: always false, since only the manifests are read (<c>dpsynth verify</c> checks a bundle's signature
/// and signer); absent otherwise.
/// </param>
public sealed record LedgerVerificationJson(
    bool Valid,
    int Entries,
    string Head,
    string? Problem,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Bundles = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? BundleSignaturesChecked = null)
{
    /// <summary>
    /// The result of checking <paramref name="verification"/>, whose first problem is <paramref name="problem"/>, and the
    /// number of <paramref name="bundles"/> whose manifests were read (null when none were asked for).
    /// </summary>
    public static LedgerVerificationJson Of(LedgerVerification verification, string? problem, int? bundles = null)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new(problem is null, verification.Entries.Count, verification.HeadHash, problem, bundles, bundles is null ? null : false);
    }

    /// <summary>One compact line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, BudgetJsonContext.Default.LedgerVerificationJson);
}
