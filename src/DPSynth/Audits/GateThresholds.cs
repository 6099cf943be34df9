namespace DPSynth.Audits;

/// <summary>The release gate's thresholds (policy keys under <c>audits:</c>), with the defaults of issue 6.</summary>
/// <param name="MaxAttackAuc">The largest ROC AUC either membership-inference attack may reach (default 0.60).</param>
/// <param name="MaxDcrShareExcess">How far the closer-to-train share may exceed its ideal (default 0.05).</param>
/// <param name="MaxExactMatchExcess">How far the exact-match rate may exceed its holdout baseline (default 0.01).</param>
public sealed record GateThresholds(double MaxAttackAuc = 0.60, double MaxDcrShareExcess = 0.05, double MaxExactMatchExcess = 0.01)
{
    /// <summary>The defaults.</summary>
    public static GateThresholds Default { get; } = new();
}
