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
            $"{share * 100:F1}% of synthetic rows are closer to train than to holdout (ideal {ideal * 100:F1}%, limit {limit * 100:F1}%)");

    /// <summary>Too many synthetic rows copy a train row exactly.</summary>
    public static string AuditExactMatchesTooHigh(double rate, double baseline, double limit) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{rate * 100:F2}% of synthetic rows equal a train row (holdout baseline {baseline * 100:F2}%, limit {limit * 100:F2}%)");

    /// <summary>An audit input table has no rows.</summary>
    public static string AuditEmptyTable(string path) => $"{path} has no rows after encoding; the audit needs rows in every table";

    /// <summary>The first line of the internal audit report.</summary>
    public static string AuditReportTitle =>
        "DPSynth privacy audit (INTERNAL: computed from the raw train and holdout rows without DP; do not publish)";

    /// <summary>What the similarity figures do and do not show.</summary>
    public static string AuditNotAGuarantee =>
        "Similarity and membership-inference figures can reveal a leaky synthesizer but are no privacy guarantee " +
        "(Ganev and De Cristofaro 2023); the guarantee is the DP accounting of the run.";

    /// <summary>The gate passed.</summary>
    public static string AuditGatePassed => "release gate: PASSED";

    /// <summary>The gate failed.</summary>
    public static string AuditGateFailed => "release gate: FAILED";

    /// <summary>The error line when the gate fails (exit code 3).</summary>
    public static string AuditGateFailedError(int reasons) =>
        string.Create(CultureInfo.InvariantCulture, $"the release gate failed on {reasons} criteria; nothing may be released");

    /// <summary>Why the gate bit is itself a disclosure.</summary>
    public static string AuditGateDisclosure =>
        "The pass/fail bit depends on the private rows without DP: every attempt must be a full run charged to the ledger, " +
        "the bundle records the number of attempts, and a failed run must not be re-run until it passes.";

    /// <summary>A membership-inference attack line of the report.</summary>
    public static string AuditAttackLine(string attack, double auc, double tpr1, double tpr01) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"  {attack,-14} ROC AUC {auc:F3}   TPR at FPR 1%: {tpr1:F3}   TPR at FPR 0.1%: {tpr01:F3}");

    /// <summary>The DCR lines of the report.</summary>
    public static string AuditDcrLines(
        double trainP5, double trainMedian, double holdoutP5, double holdoutMedian, double share, double ideal, double nndrP5, double nndrMedian) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"""
              distance to closest train row:    p5 {trainP5:F4}   median {trainMedian:F4}
              distance to closest holdout row:  p5 {holdoutP5:F4}   median {holdoutMedian:F4}
              closer to train than to holdout:  {share * 100:F1}% (ideal {ideal * 100:F1}%)
              nearest-neighbour distance ratio: p5 {nndrP5:F3}   median {nndrMedian:F3}
            """);

    /// <summary>The exact-match line of the report.</summary>
    public static string AuditExactLine(double rate, double baseline) =>
        string.Create(CultureInfo.InvariantCulture, $"  exact copies of train rows:       {rate * 100:F2}% (holdout baseline {baseline * 100:F2}%)");

    /// <summary>The table sizes line of the report (private counts).</summary>
    public static string AuditSizesLine(int train, int holdout, int synthetic) =>
        string.Create(CultureInfo.InvariantCulture, $"rows: train {train}, holdout {holdout}, synthetic {synthetic} (private counts)");

    /// <summary>The ordered columns were rounded in the distance.</summary>
    public static string AuditDistanceRounded =>
        "note: ordered columns have too many bins for exact integer distances; distances are rounded to below 1e-6";

    /// <summary>The canary audit's result and what it means.</summary>
    public static string CanaryAuditReport(
        string method, double epsilon, double delta, int canaries, int guesses, int correct, double bound, double confidence) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"""
            DPSynth one-run canary audit (Steinke, Nasr, Jagielski 2023) of {method} at epsilon {epsilon}, delta {delta}
              canaries: {canaries}, each inserted with probability 1/2; guesses: {guesses}; correct: {correct}
              epsilon lower bound at {confidence * 100:F0}% confidence: {bound:F3} (claimed epsilon {epsilon})

            What this means: any (eps, {delta})-DP synthesizer with eps below {bound:F3} would get this many guesses right
            with probability below {(1 - confidence) * 100:F0}%, so the run refutes every epsilon below the bound (a bound
            of 0 refutes nothing). It is empirical evidence from one attack, not a proof: a bound at or below the
            claimed epsilon is consistent with the claim (a weak attack always gives a low bound); a bound above it means
            the implementation leaks more than it claims and must not be released.
            With {guesses} guesses the largest possible bound is {Math.Log(Math.Pow(1 - confidence, 1.0 / Math.Max(1, guesses)) / (1 - Math.Pow(1 - confidence, 1.0 / Math.Max(1, guesses)))):F2}.
            """);

    /// <summary>The canary audit's bound is above the claimed epsilon.</summary>
    public static string CanaryAuditAboveClaim(double bound, double epsilon) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"the canary audit's lower bound {bound:F3} is above the claimed epsilon {epsilon}: the synthesizer leaks more than it claims");

    /// <summary>The canary run is a full synthesizer run on the input and must be charged.</summary>
    public static string CanaryAuditChargeNotice =>
        "This audit is a full synthesizer run on the input. On production data its output and bound are DP " +
        "post-processing of that run, and the run must be charged to the budget ledger (--ledger, --dataset-id); " +
        "otherwise run it only on public or surrogate data.";

    /// <summary>The canary run was charged to a ledger.</summary>
    public static string CanaryAuditCharged(string dataset, string ledger) => $"charged this canary run to dataset '{dataset}' in {ledger}";

    /// <summary>The canary run was not charged.</summary>
    public static string CanaryAuditUncharged =>
        "warning: this canary run was NOT charged to a ledger; that is only acceptable on public or surrogate data";

    /// <summary>--ledger and --dataset-id must come together.</summary>
    public static string CanaryAuditLedgerNeedsDataset => "--ledger and --dataset-id must be given together";

    /// <summary>Invalid canary or guess counts.</summary>
    public static string CanaryAuditBadCounts => "--canaries must be positive and --guesses between 0 and half of --canaries";
}
