using DPSynth.Diagnostics;
using DPSynth.Evaluation;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Evaluation;

/// <summary>The <c>--metric</c> rule of <c>evaluate</c>: known names only, and of the target's kind.</summary>
public sealed class UtilityMetricTests
{
    private static readonly TableSchema Demo = TableSchema.Load(DemoTable.Schema);

    [Theory]
    [InlineData("auto", "sex")]
    [InlineData("AUC", "sex")]
    [InlineData("accuracy", "insurance")]
    [InlineData("r2", "length_of_stay")]
    [InlineData("mae", "age")]
    [InlineData("mae", null)]
    public void AKnownMetricOfTheTargetsKindIsAccepted(string metric, string? target) =>
        UtilityMetric.Check(Demo, target, metric);

    [Theory]
    [InlineData("f1", "sex", "not one of")]
    [InlineData("auc", "length_of_stay", "classification metric")]
    [InlineData("r2", "sex", "needs a numeric target")]
    [InlineData("auc", "nope", "nope")]
    public void AnUnknownOrMismatchedMetricIsAnInputError(string metric, string target, string said)
    {
        var error = Assert.Throws<InputException>(() => UtilityMetric.Check(Demo, target, metric));

        Assert.Contains(said, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
