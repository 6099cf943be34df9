using System.Text.Json;
using System.Text.Json.Serialization;
using DPSynth.Diagnostics;

namespace DPSynth.Audits;

/// <summary>
/// The <c>audit --json</c> document: every audit figure and the release gate's decision, marked internal (the figures come
/// from the raw rows without DP). snake_case keys, indented.
/// </summary>
/// <param name="Internal">Always true.</param>
/// <param name="Note">Why the figures are no privacy guarantee.</param>
/// <param name="Rows">Row counts.</param>
/// <param name="Dcr">Distance-to-closest-record figures.</param>
/// <param name="ExactMatches">Exact-match rate and its holdout baseline.</param>
/// <param name="MembershipInference">Both membership-inference attacks, by name.</param>
/// <param name="DistanceExact">False when the distance rounds ordered columns.</param>
/// <param name="Gate">The release gate's decision.</param>
public sealed record AuditJson(
    bool Internal,
    string Note,
    AuditJson.RowCounts Rows,
    DistanceToClosestRecord Dcr,
    ExactMatches ExactMatches,
    AuditJson.Attacks MembershipInference,
    bool DistanceExact,
    GateDecision Gate)
{
    /// <summary>The document for <paramref name="report"/> and the gate's <paramref name="decision"/>.</summary>
    public static AuditJson Of(AuditReport report, GateDecision decision)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(decision);
        return new(
            true,
            Messages.AuditNotAGuarantee,
            new RowCounts(report.TrainRows, report.HoldoutRows, report.SyntheticRows),
            report.Dcr,
            report.ExactMatches,
            new Attacks(Attack.Of(report.DistanceAttack), Attack.Of(report.DensityAttack)),
            report.DistanceIsExact,
            decision);
    }

    /// <summary>Indented JSON, without a final newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, AuditJsonContext.Default.AuditJson);

    /// <summary>The <c>rows</c> section.</summary>
    /// <param name="Train">Train rows.</param>
    /// <param name="Holdout">Holdout rows.</param>
    /// <param name="Synthetic">Synthetic rows.</param>
    public sealed record RowCounts(int Train, int Holdout, int Synthetic);

    /// <summary>The <c>membership_inference</c> section.</summary>
    /// <param name="Distance">The distance attack.</param>
    /// <param name="DensityRatio">The density-ratio attack.</param>
    public sealed record Attacks(
        [property: JsonPropertyName(Audits.MembershipInference.DistanceAttackName)] Attack Distance,
        [property: JsonPropertyName(Audits.MembershipInference.DensityAttackName)] Attack DensityRatio);

    /// <summary>One attack's figures.</summary>
    /// <param name="Auc">ROC AUC.</param>
    /// <param name="TprAtFpr1Pct">True-positive rate at 1% false positives.</param>
    /// <param name="TprAtFpr01Pct">True-positive rate at 0.1% false positives.</param>
    /// <param name="Members">Member candidates scored.</param>
    /// <param name="NonMembers">Non-member candidates scored.</param>
    public sealed record Attack(
        double Auc,
        [property: JsonPropertyName("tpr_at_fpr_1pct")] double TprAtFpr1Pct,
        [property: JsonPropertyName("tpr_at_fpr_0_1pct")] double TprAtFpr01Pct,
        int Members,
        int NonMembers)
    {
        /// <summary>The figures of <paramref name="attack"/>.</summary>
        public static Attack Of(AttackResult attack) => new(
            attack.Auc, attack.TprAtFpr1Percent, attack.TprAtFpr01Percent, attack.Members, attack.NonMembers);
    }
}

/// <summary>Source-generated metadata of the audit outputs: snake_case keys, indented (line ends of the platform, as before).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(AuditJson))]
[JsonSerializable(typeof(CanaryAuditJson))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
