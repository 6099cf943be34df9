using System.Collections.Immutable;
using System.Text.Json;

namespace DPSynth.Evaluation;

/// <summary>
/// The JSON form of an <see cref="EvaluationReport"/>: <c>rows</c>, <c>oneWay</c>, <c>twoWay</c>, <c>threeWay</c> (mean
/// TVDs), then <c>association</c>, <c>utility</c> (when a target was given) and <c>groups</c> (when groups were given;
/// each group has its <c>meanConditionalTvd</c> and, in <c>tvdByColumn</c>, that TVD for every other column by name).
/// NaN (a figure that does not apply) is written as <c>null</c>. The contract is <see cref="EvaluationJsonContract"/>.
/// </summary>
public static class EvaluationJson
{
    /// <summary>Serializes the report as one JSON object.</summary>
    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var contract = new EvaluationJsonContract(
            report.Marginals.Rows,
            EvaluationJsonContract.Figure(report.Marginals.OneWay),
            EvaluationJsonContract.Figure(report.Marginals.TwoWay),
            EvaluationJsonContract.Figure(report.Marginals.ThreeWay),
            new EvaluationJsonContract.AssociationSection(
                Measure(report.Association, AssociationMeasure.CramersV, report.Association.MeanCramersVDifference),
                Measure(report.Association, AssociationMeasure.Spearman, report.Association.MeanSpearmanDifference)),
            report.Target is { } target && report.Utility.Length > 0 ? Utility(target, report.Utility) : null,
            report.Groups.Count > 0
                ? ImmutableSortedDictionary.CreateRange(
                    StringComparer.Ordinal,
                    report.Groups.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Select(Group).ToImmutableArray())))
                : null);
        return JsonSerializer.Serialize(contract, EvaluationJsonContext.Default.EvaluationJsonContract);
    }

    private static EvaluationJsonContract.UtilitySection Utility(string target, ImmutableArray<UtilityComparison> utility)
    {
        var models = utility.Select(Comparison).ToImmutableArray();
        var first = models[0];
        return new(target, first.Model, first.Tstr, first.Trtr, first.Ratio, first.ImportanceAgreement, models);
    }

    private static EvaluationJsonContract.Comparison Comparison(UtilityComparison u) => new(
        u.Model == UtilityModel.GradientBoostedTrees ? "lightgbm" : "linear",
        EvaluationJsonContract.Scores.Of(u.Tstr),
        EvaluationJsonContract.Scores.Of(u.Trtr),
        EvaluationJsonContract.Figure(u.Ratio),
        EvaluationJsonContract.Figure(u.ImportanceAgreement));

    private static EvaluationJsonContract.Measure Measure(AssociationReport report, AssociationMeasure measure, double mean) => new(
        EvaluationJsonContract.Figure(mean),
        [.. report.Worst(measure).Select(p => new EvaluationJsonContract.Pair(
            p.First, p.Second, EvaluationJsonContract.Figure(p.Real), EvaluationJsonContract.Figure(p.Synthetic),
            EvaluationJsonContract.Figure(p.Difference)))]);

    private static EvaluationJsonContract.Group Group(GroupFidelity g) => new(
        g.Group,
        EvaluationJsonContract.Figure(g.RealShare),
        EvaluationJsonContract.Figure(g.SyntheticShare),
        EvaluationJsonContract.Figure(g.MeanConditionalTvd),
        ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal, g.ConditionalTvdByName.Select(kv => KeyValuePair.Create(kv.Key, EvaluationJsonContract.Figure(kv.Value)))),
        g.TestRows,
        EvaluationJsonContract.Figure(g.TstrAccuracy),
        EvaluationJsonContract.Figure(g.TrtrAccuracy),
        g.UnderRepresented,
        g.UtilityGap);
}
