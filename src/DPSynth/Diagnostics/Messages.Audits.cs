using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>User-facing text of the audits and the release gate.</summary>
public static partial class Messages
{
    /// <summary>A membership-inference attack's AUC is above the gate's limit.</summary>
    public static string AuditAttackAucTooHigh(string attack, double auc, double limit) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"the {attack} membership-inference attack reaches ROC AUC {auc:F3}, above the limit {limit:F3}");

    /// <summary>Too many synthetic rows are closer to train than to holdout.</summary>
    public static string AuditDcrShareTooHigh(double share, double ideal, double limit) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{share:P1} of synthetic rows are closer to train than to holdout (ideal {ideal:P1}, limit {limit:P1})");

    /// <summary>Too many synthetic rows copy a train row exactly.</summary>
    public static string AuditExactMatchesTooHigh(double rate, double baseline, double limit) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{rate:P2} of synthetic rows equal a train row (holdout baseline {baseline:P2}, limit {limit:P2})");
}
