using System.Collections.Immutable;
using DPSynth.Evaluation;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Evaluation;

/// <summary>
/// <c>evaluate --json</c> (and a policy run's <c>evaluation.json</c>) keeps its bytes: a class target and a numeric one,
/// groups, and NaN figures written as <c>null</c>.
/// </summary>
public sealed class EvaluationJsonGoldenTests
{
    private static readonly ImmutableDictionary<string, double> NoImportance = ImmutableDictionary<string, double>.Empty;

    private static EvaluationReport Report(string target, ImmutableArray<UtilityComparison> utility) => new(
        new UtilityReport(1000, 0.012345678901234568, 0.1 + 0.2, double.NaN),
        new AssociationReport(
        [
            new PairAssociation("age", "sex", AssociationMeasure.CramersV, 0.25, 0.125),
            new PairAssociation("age", "city \"Zürich\" <&'+>", AssociationMeasure.CramersV, 0.5, 0.1),
            new PairAssociation("age", "income", AssociationMeasure.Spearman, -0.75, double.NaN),
            new PairAssociation("income", "hours", AssociationMeasure.Spearman, 1e-20, 3e-5),
        ]),
        target,
        utility,
        ImmutableDictionary.CreateRange(
        [
            KeyValuePair.Create("sex", ImmutableArray.Create(
                new GroupFidelity(
                    "sex", "F", 0.5, 0.2, 0.1, ImmutableDictionary.CreateRange([KeyValuePair.Create("income", double.NaN), KeyValuePair.Create("age", 0.1)]),
                    30, 0.7, 0.8),
                new GroupFidelity("sex", "M", 0.5, 0.8, double.NaN, NoImportance, 0, double.NaN, double.NaN))),
            KeyValuePair.Create("city", ImmutableArray.Create(
                new GroupFidelity("city", "Genève", 0.01, 0.02, 0.3, ImmutableDictionary.CreateRange([KeyValuePair.Create("age", 0.3)]), 7, 1, 1))),
        ]),
        []);

    [Fact]
    public void AClassTargetReportKeepsItsBytes() => Golden.AssertSame(
        "evaluation-class.json",
        EvaluationJson.Write(Report(
            "income",
            [
                new UtilityComparison(
                    UtilityModel.GradientBoostedTrees, new UtilityScores(0.8123, 0.79, double.NaN, double.NaN),
                    new UtilityScores(0.9, 0.85, double.NaN, double.NaN), NoImportance, NoImportance, 0.6),
                new UtilityComparison(
                    UtilityModel.Linear, new UtilityScores(double.NaN, 0.5, double.NaN, double.NaN),
                    new UtilityScores(0.7, 0.65, double.NaN, double.NaN), NoImportance, NoImportance, double.NaN),
            ])));

    [Fact]
    public void ANumericTargetReportKeepsItsBytes() => Golden.AssertSame(
        "evaluation-numeric.json",
        EvaluationJson.Write(Report(
            "hours",
            [
                new UtilityComparison(
                    UtilityModel.GradientBoostedTrees, new UtilityScores(double.NaN, double.NaN, 0.42, 3.5),
                    new UtilityScores(double.NaN, double.NaN, 0.5, double.PositiveInfinity), NoImportance, NoImportance, -0.25),
            ])));

    [Fact]
    public void AReportWithoutTargetOrGroupsKeepsItsBytes() => Golden.AssertSame(
        "evaluation-plain.json",
        EvaluationJson.Write(Report("unused", []) with { Target = null, Groups = ImmutableDictionary<string, ImmutableArray<GroupFidelity>>.Empty }));
}
