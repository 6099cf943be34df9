namespace DPSynth.Diagnostics;

public static partial class Messages
{
    /// <summary>The synthetic rows carry one target class only: no classifier can be trained on them.</summary>
    public static string TargetHasOneClassInSynthetic(string target) =>
        $"the target column '{target}' has a single class in the synthetic data; a classifier cannot be trained on it";

    /// <summary>The real training rows carry one target class only.</summary>
    public static string TargetHasOneClassInReal(string target) =>
        $"the target column '{target}' has a single class in the real training rows";

    /// <summary>No real test rows were given.</summary>
    public static string NoTestRows => "no real test rows to evaluate on";
}
