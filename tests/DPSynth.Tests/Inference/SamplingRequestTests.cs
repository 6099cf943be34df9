using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Inference;

public sealed class SamplingRequestTests
{
    private static readonly TableSchema Demo =
        TableSchema.Load(Path.Combine(SharedData.RepositoryRoot, "policies", "demo", "visits.schema.yaml"));

    private static int Col(string name) => Demo.Domain.IndexOf(name);

    [Fact]
    public void CellLabelsNameCategoriesRangesDatesAndTheMissingCell()
    {
        Assert.Equal("F", CellLabels.Label(Demo, Col("sex"), 0));
        Assert.Equal("0-4", CellLabels.Label(Demo, Col("age"), 0));
        Assert.Equal("[12, 16)", CellLabels.Label(Demo, Col("bmi"), 0));
        Assert.Equal("[56, 60]", CellLabels.Label(Demo, Col("bmi"), 11));
        Assert.Equal("2024-01-01..2024-01-31", CellLabels.Label(Demo, Col("admit_date"), 0));
        Assert.Equal("(missing)", CellLabels.Label(Demo, Col("smoker"), 2));
    }

    [Fact]
    public void ValuesAreParsedToTheirCellByLabelOrByValue()
    {
        Assert.Equal(1, CellLabels.Parse(Demo, Col("sex"), "M"));
        Assert.Equal(CellLabels.Parse(Demo, Col("age"), "25-34"), CellLabels.Parse(Demo, Col("age"), "30"));
        Assert.Equal(2, CellLabels.Parse(Demo, Col("smoker"), ""));
        Assert.Equal(1, CellLabels.Parse(Demo, Col("admit_date"), "2024-02-14"));
        var error = Assert.Throws<InputException>(() => CellLabels.Parse(Demo, Col("sex"), "X"));
        Assert.Contains("not in the declared domain of column 'sex'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionsAndRebalancingParseIntoEvidenceAndShares()
    {
        var request = SamplingRequest.Parse(Demo, "insurance=Public:0.5,Private:0.3,None:0.2", "sex=F, diagnosis=Cardiac");
        Assert.True(request.ChangesDistribution);
        Assert.Equal(0, request.Evidence.Values[Col("sex")]);
        Assert.Equal(1, request.Evidence.Values[Col("diagnosis")]);
        // Messages (e.g. the zero-probability refusal) name the condition by its labels.
        Assert.Equal("sex=F, diagnosis=Cardiac", request.Evidence.ToString());
        Assert.Equal(Col("insurance"), request.RebalancedAttribute);
        Assert.Equal([0.5, 0.3, 0.2], request.Shares.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Contains("rebalanced insurance", request.Description, StringComparison.Ordinal);

        var uniform = SamplingRequest.Parse(Demo, "smoker=uniform", null);
        // Uniform over the two declared values; the missing cell gets no share.
        Assert.Equal([0.5, 0.5, 0.0], uniform.Shares.ToArray());
        Assert.False(SamplingRequest.Parse(Demo, null, " ").ChangesDistribution);
    }

    [Theory]
    [InlineData("nosuch=uniform", null, "unknown column 'nosuch'")]
    [InlineData(null, "sex=X", "not in the declared domain")]
    [InlineData(null, "age=150", "not in the declared domain")]
    [InlineData("sex=F:0.5,M:0.2", null, "sum to 0.7")]
    [InlineData("sex", null, "expected COL=uniform")]
    [InlineData("sex=F:abc", null, "expected COL=uniform")]
    [InlineData(null, "sex=F,sex=M", "each column at most once")]
    [InlineData("sex=uniform", "sex=F", "not also conditioned")]
    public void MalformedOptionsAreClearInputErrors(string? rebalance, string? condition, string expected)
    {
        var error = Assert.Throws<InputException>(() => SamplingRequest.Parse(Demo, rebalance, condition));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.UsageOrInput, error.ExitCode);
    }
}
