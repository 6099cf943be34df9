namespace DPSynth.Evaluation;

/// <summary>
/// Test-set scores of one trained model. A class target has <see cref="Auc"/> (one-vs-rest macro average when it has more
/// than two classes) and <see cref="Accuracy"/>; a numeric target has <see cref="R2"/> and <see cref="Mae"/> (in bins).
/// Scores that do not apply are NaN.
/// </summary>
public sealed record UtilityScores(double Auc, double Accuracy, double R2, double Mae)
{
    /// <summary>The headline figure: AUC for a class target, R² for a numeric one.</summary>
    public double Primary => double.IsNaN(Auc) ? R2 : Auc;
}
