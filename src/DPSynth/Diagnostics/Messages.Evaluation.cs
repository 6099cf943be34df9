namespace DPSynth.Diagnostics;

public static partial class Messages
{
    /// <summary>The synthetic rows carry one target class only: no classifier can be trained on them.</summary>
    public static string TargetHasOneClassInSynthetic(string target) =>
        $"the target column '{ShowName(target)}' has a single class in the synthetic data; a classifier cannot be trained on it";

    /// <summary>The real training rows carry one target class only.</summary>
    public static string TargetHasOneClassInReal(string target) =>
        $"the target column '{ShowName(target)}' has a single class in the real training rows";

    /// <summary>No real test rows were given.</summary>
    public static string NoTestRows => "no real test rows to evaluate on";

    /// <summary>Help text of --target.</summary>
    public const string TargetHelp =
        "Target column for downstream utility: models trained on synthetic rows (TSTR) and on real rows (TRTR) are tested " +
        "on the same held-out real rows. A categorical target is a classification (AUC, accuracy), a numeric one a " +
        "regression on its bin (R2, MAE).";

    /// <summary>Help text of --test.</summary>
    public const string TestHelp =
        "Held-out real rows for the utility models (ideally the audit split's holdout, which the synthesizer never saw); " +
        "default: a seeded 20% of --real.";

    /// <summary>Evaluate held out part of --real because no --test was given.</summary>
    public const string EvaluateHeldOutSplit =
        "note: no --test given; the utility models are tested on a seeded 20% of --real and TRTR trains on the rest. " +
        "If the synthesizer saw those rows, TSTR is optimistic: prefer --test with the audit holdout.";

    /// <summary>An unknown --metric.</summary>
    public static string UnknownMetric(string metric) =>
        $"--metric '{ShowName(metric)}' is not one of auto, auc, accuracy, r2, mae";

    /// <summary>A metric that does not fit the target's kind.</summary>
    public static string MetricDoesNotFitTarget(string metric, string target, bool classification) => classification
        ? $"--metric {ShowName(metric)} needs a numeric target, but '{ShowName(target)}' is categorical (use auc or accuracy)"
        : $"--metric {ShowName(metric)} is a classification metric, but '{ShowName(target)}' is numeric (use r2 or mae)";
}

