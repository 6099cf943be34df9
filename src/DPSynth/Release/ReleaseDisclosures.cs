namespace DPSynth.Release;

/// <summary>
/// The wording of the stated non-DP disclosures a manifest lists in <see cref="ReleaseManifest.Disclosures"/>, so every
/// bundle states the same disclosure the same way (docs/release.md, privacy-details.md section 8).
/// </summary>
public static class ReleaseDisclosures
{
    /// <summary>Every bundle: the release gate's pass bit is computed from the real rows without DP, and is released.</summary>
    /// <remarks>
    /// <c>audit.attempts</c> belongs to the same disclosure: it counts the gate decisions (pass or fail, by any policy)
    /// made on this input, this one included, and so reveals how many of those verdicts there were (docs/release.md).
    /// The text is fixed for good: verification requires it verbatim, so changing it would make every bundle already
    /// released fail <c>dpsynth verify</c>.
    /// </remarks>
    public const string AuditGatePassBit =
        "audit gate pass bit released: the release gate decided from the real rows without DP, and this bundle " +
        "exists because it passed";

    /// <summary>When the policy opts in: the internal report (utility and audit figures without DP) is in the bundle.</summary>
    public const string InternalFiguresPublished =
        "internal figures published: utility and audit figures computed from the real rows without DP are in this bundle";
}
