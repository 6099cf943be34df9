using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace DPSynth.Evaluation;

/// <summary>
/// The wire form of an <see cref="EvaluationReport"/> (<see cref="EvaluationJson"/>): camelCase keys, a figure that does
/// not apply (NaN, or not finite) is <c>null</c>, <c>utility</c> and <c>groups</c> only when asked for.
/// </summary>
/// <param name="Rows">Synthetic rows.</param>
/// <param name="OneWay">Mean 1-way TVD.</param>
/// <param name="TwoWay">Mean 2-way TVD.</param>
/// <param name="ThreeWay">Mean 3-way TVD.</param>
/// <param name="Association">Association similarity by measure.</param>
/// <param name="Utility">TSTR vs TRTR (with a target), else absent.</param>
/// <param name="Groups">Subgroup fidelity by group column (ordinal order), else absent.</param>
internal sealed record EvaluationJsonContract(
    long Rows,
    double? OneWay,
    double? TwoWay,
    double? ThreeWay,
    EvaluationJsonContract.AssociationSection Association,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EvaluationJsonContract.UtilitySection? Utility,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    ImmutableSortedDictionary<string, ImmutableArray<EvaluationJsonContract.Group>>? Groups)
{
    /// <summary>A finite figure, or null (written as <c>null</c>).</summary>
    public static double? Figure(double value) => double.IsFinite(value) ? value : null;

    /// <summary>Both association measures.</summary>
    /// <param name="CramersV">Cramér's V.</param>
    /// <param name="Spearman">Spearman's rank correlation.</param>
    internal sealed record AssociationSection(Measure CramersV, Measure Spearman);

    /// <summary>One association measure: its mean difference and the worst pairs.</summary>
    /// <param name="MeanDifference">Mean |real - synthetic| over the pairs.</param>
    /// <param name="Worst">The pairs that differ most.</param>
    internal sealed record Measure(double? MeanDifference, ImmutableArray<Pair> Worst);

    /// <summary>One column pair.</summary>
    /// <param name="First">The first column.</param>
    /// <param name="Second">The second column.</param>
    /// <param name="Real">The association in the real rows.</param>
    /// <param name="Synthetic">The association in the synthetic rows.</param>
    /// <param name="Difference">|real - synthetic|.</param>
    internal sealed record Pair(string First, string Second, double? Real, double? Synthetic, double? Difference);

    /// <summary>The utility section: the target, the headline model's comparison, then every model's.</summary>
    /// <param name="Target">The target column.</param>
    /// <param name="Model">The headline model (the first).</param>
    /// <param name="Tstr">Its TSTR scores.</param>
    /// <param name="Trtr">Its TRTR scores.</param>
    /// <param name="Ratio">TSTR / TRTR of its primary score.</param>
    /// <param name="ImportanceAgreement">Rank agreement of its feature importances.</param>
    /// <param name="Models">Every model's comparison.</param>
    internal sealed record UtilitySection(
        string Target, string Model, Scores Tstr, Scores Trtr, double? Ratio, double? ImportanceAgreement, ImmutableArray<Comparison> Models);

    /// <summary>One model's comparison.</summary>
    /// <param name="Model"><c>lightgbm</c> or <c>linear</c>.</param>
    /// <param name="Tstr">TSTR scores.</param>
    /// <param name="Trtr">TRTR scores.</param>
    /// <param name="Ratio">TSTR / TRTR of the primary score.</param>
    /// <param name="ImportanceAgreement">Rank agreement of the feature importances.</param>
    internal sealed record Comparison(string Model, Scores Tstr, Scores Trtr, double? Ratio, double? ImportanceAgreement);

    /// <summary>A model's test scores: <see cref="ClassScores"/> or <see cref="NumericScores"/>, written without a type tag.</summary>
    [JsonDerivedType(typeof(ClassScores))]
    [JsonDerivedType(typeof(NumericScores))]
    internal abstract record Scores
    {
        /// <summary>The scores that apply to <paramref name="scores"/>'s target: numeric when it has no AUC and no accuracy.</summary>
        public static Scores Of(UtilityScores scores) => double.IsNaN(scores.Auc) && double.IsNaN(scores.Accuracy)
            ? new NumericScores(Figure(scores.R2), Figure(scores.Mae))
            : new ClassScores(Figure(scores.Auc), Figure(scores.Accuracy));
    }

    /// <summary>Scores of a class target.</summary>
    /// <param name="Auc">ROC AUC.</param>
    /// <param name="Accuracy">Accuracy.</param>
    internal sealed record ClassScores(double? Auc, double? Accuracy) : Scores;

    /// <summary>Scores of a numeric target.</summary>
    /// <param name="R2">R².</param>
    /// <param name="Mae">Mean absolute error (in bins).</param>
    internal sealed record NumericScores(double? R2, double? Mae) : Scores;

    /// <summary>One group's fidelity.</summary>
    /// <param name="Name">The group's label (key <c>group</c>).</param>
    /// <param name="RealShare">Its share of the real rows.</param>
    /// <param name="SyntheticShare">Its share of the synthetic rows.</param>
    /// <param name="MeanConditionalTvd">Mean TVD of the other columns within the group.</param>
    /// <param name="TvdByColumn">That TVD per other column (ordinal order).</param>
    /// <param name="TestRows">Real test rows in the group.</param>
    /// <param name="Tstr">TSTR accuracy (or R²) on them.</param>
    /// <param name="Trtr">TRTR accuracy (or R²) on them.</param>
    /// <param name="UnderRepresented">The group's synthetic share is below half its real share.</param>
    /// <param name="UtilityGap">TSTR is more than 5 points below TRTR on the group.</param>
    internal sealed record Group(
        [property: JsonPropertyName("group")] string Name,
        double? RealShare,
        double? SyntheticShare,
        double? MeanConditionalTvd,
        ImmutableSortedDictionary<string, double?> TvdByColumn,
        int TestRows,
        double? Tstr,
        double? Trtr,
        bool UnderRepresented,
        bool UtilityGap);
}
