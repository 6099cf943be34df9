using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Evaluation;

namespace DPSynth.Tests.Evaluation;

/// <remarks>
/// Every table here comes from a fixed seed and the trainers are seeded, so each assertion is deterministic: the false
/// failure probability is 0, not merely small.
/// </remarks>
public sealed class DownstreamUtilityTests
{
    private static readonly EncodedTable RealTrain = EvaluationTables.Generate(4000, seed: 11);
    private static readonly EncodedTable RealTest = EvaluationTables.Generate(2000, seed: 12);

    [Theory]
    [InlineData(UtilityModel.GradientBoostedTrees)]
    [InlineData(UtilityModel.Linear)]
    public void ACopyOfTheRealRowsTrainsAsWellAsTheRealRows(UtilityModel model)
    {
        var utility = new DownstreamUtility(EvaluationTables.Domain, EvaluationTables.Ordered, EvaluationTables.Target);
        var result = utility.Compare(RealTrain, RealTrain, RealTest, model);
        Assert.InRange(result.Tstr.Auc - result.Trtr.Auc, -0.01, 0.01);
        Assert.InRange(result.Ratio, 0.99, 1.01);
        Assert.Equal(4, result.TstrImportance.Count);
    }

    [Fact]
    public void TreesLearnTheJointRuleAndTheImportantFeaturesAgree()
    {
        var utility = new DownstreamUtility(EvaluationTables.Domain, EvaluationTables.Ordered, EvaluationTables.Target);
        var result = utility.Compare(EvaluationTables.Generate(4000, seed: 13), RealTrain, RealTest, UtilityModel.GradientBoostedTrees);
        // The Bayes accuracy is 0.9; the trees get close on 4,000 rows.
        Assert.True(result.Trtr.Accuracy > 0.85, $"TRTR accuracy {result.Trtr.Accuracy}");
        Assert.True(result.Trtr.Auc > 0.85, $"TRTR AUC {result.Trtr.Auc}");
        // a and b carry the signal, c and d are noise.
        Assert.True(result.TrtrImportance["a"] > result.TrtrImportance["c"]);
        Assert.True(result.TrtrImportance["b"] > result.TrtrImportance["d"]);
        Assert.True(result.ImportanceAgreement > 0.5, $"agreement {result.ImportanceAgreement}");
    }

    [Fact]
    public void IndependentlyShuffledColumnsTrainAModelNoBetterThanChance()
    {
        var utility = new DownstreamUtility(EvaluationTables.Domain, EvaluationTables.Ordered, EvaluationTables.Target);
        var shuffled = EvaluationTables.ShuffleColumns(RealTrain, seed: 3);
        var result = utility.Compare(shuffled, RealTrain, RealTest, UtilityModel.GradientBoostedTrees);
        Assert.InRange(result.Tstr.Auc, 0.45, 0.55);
        Assert.True(result.Ratio < 0.7, $"ratio {result.Ratio}");
    }

    [Fact]
    public void AnOrderedTargetIsARegressionWithRSquaredAndMae()
    {
        // Target b (ordered): y and a determine b's half, so R^2 is clearly positive; a copy matches exactly.
        var utility = new DownstreamUtility(EvaluationTables.Domain, EvaluationTables.Ordered, target: 1);
        var result = utility.Compare(RealTrain, RealTrain, RealTest, UtilityModel.GradientBoostedTrees);
        Assert.False(utility.IsClassification);
        Assert.True(double.IsNaN(result.Tstr.Auc));
        Assert.True(result.Trtr.R2 > 0.3, $"R2 {result.Trtr.R2}");
        Assert.Equal(result.Trtr.R2, result.Tstr.R2, 9);
        Assert.InRange(result.Trtr.Mae, 0.0, 3.0);
    }

    [Fact]
    public void ASyntheticTableWithOneTargetClassIsRefusedWithAClearError()
    {
        var utility = new DownstreamUtility(EvaluationTables.Domain, EvaluationTables.Ordered, EvaluationTables.Target);
        var oneClass = RealTrain.SelectRows(Enumerable.Range(0, RealTrain.RowCount)
            .Where(r => RealTrain[r, EvaluationTables.Target] == 0).ToArray());
        var error = Assert.Throws<InputException>(() => utility.Compare(oneClass, RealTrain, RealTest, UtilityModel.Linear));
        Assert.Contains("single class in the synthetic data", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.UsageOrInput, error.ExitCode);
    }
}
