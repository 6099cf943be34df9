namespace DPSynth.Release;

/// <summary>
/// The wording of the stated non-DP disclosures a manifest lists in <see cref="ReleaseManifest.Disclosures"/>, so every
/// bundle states the same disclosure the same way (docs/release.md, privacy-details.md section 8).
/// </summary>
public static class ReleaseDisclosures
{
    /// <summary>Every bundle: the release gate's pass bit is computed from the real rows without DP, and is released.</summary>
    /// <remarks>
    /// The attempt count belongs to the same disclosure: each earlier attempt on this policy and input ended with a
    /// failed gate, a bit about the real rows (without DP) that the count reveals too.
    /// </remarks>
    public const string AuditGatePassBit =
        "audit gate pass bit released: the release gate decided from the real rows without DP, and this bundle " +
        "exists because it passed; audit.attempts says how many earlier attempts its gate refused";

    /// <summary>When the policy opts in: the internal report (utility and audit figures without DP) is in the bundle.</summary>
    public const string InternalFiguresPublished =
        "internal figures published: utility and audit figures computed from the real rows without DP are in this bundle";
}
