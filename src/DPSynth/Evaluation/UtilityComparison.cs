using System.Collections.Immutable;

namespace DPSynth.Evaluation;

/// <summary>Train-on-synthetic-test-on-real against train-on-real-test-on-real, for one model family.</summary>
/// <param name="Model">The model family.</param>
/// <param name="Tstr">Scores of the model trained on synthetic rows.</param>
/// <param name="Trtr">Scores of the model trained on real rows.</param>
/// <param name="TstrImportance">Permutation importance of each feature column for the TSTR model (drop in the primary score).</param>
/// <param name="TrtrImportance">The same for the TRTR model.</param>
/// <param name="ImportanceAgreement">Spearman rank correlation of the two importance vectors.</param>
public sealed record UtilityComparison(
    UtilityModel Model,
    UtilityScores Tstr,
    UtilityScores Trtr,
    ImmutableDictionary<string, double> TstrImportance,
    ImmutableDictionary<string, double> TrtrImportance,
    double ImportanceAgreement)
{
    /// <summary>TSTR / TRTR of the primary score (1 means the synthetic rows train as well as the real ones).</summary>
    public double Ratio => Tstr.Primary / Trtr.Primary;
}
