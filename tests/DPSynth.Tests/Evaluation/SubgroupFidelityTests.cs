using DPSynth.Evaluation;

namespace DPSynth.Tests.Evaluation;

/// <remarks>Seeded tables and trainers: deterministic, false-failure probability 0.</remarks>
public sealed class SubgroupFidelityTests
{
    private static readonly string[] Labels = ["a0", "a1", "a2", "a3"];

    [Fact]
    public void ACopyRepresentsEveryGroupExactly()
    {
        var real = EvaluationTables.Generate(3000, seed: 21);
        var test = EvaluationTables.Generate(1500, seed: 22);
        var utility = new DownstreamUtility(EvaluationTables.Domain, EvaluationTables.Ordered, EvaluationTables.Target);
        var fitted = utility.Fit(real, real, UtilityModel.GradientBoostedTrees);
        var groups = SubgroupFidelity.Compute(real, real, 0, Labels, (utility, fitted), test);
        Assert.Equal(4, groups.Length);
        foreach (var g in groups)
        {
            Assert.Equal(g.RealShare, g.SyntheticShare, 12);
            Assert.Equal(0.0, g.MeanConditionalTvd, 12);
            Assert.Equal(g.TrtrAccuracy, g.TstrAccuracy, 12);
            Assert.True(g.TestRows > 300);
            Assert.False(g.Flagged);
        }

        Assert.Equal(1.0, groups.Sum(g => g.RealShare), 12);
    }

    [Fact]
    public void AGroupCutToATenthOfItsRowsIsFlaggedUnderRepresented()
    {
        var real = EvaluationTables.Generate(3000, seed: 23);
        var keep = Enumerable.Range(0, real.RowCount).Where(r => real[r, 0] != 3 || r % 10 == 0).ToArray();
        var synthetic = real.SelectRows(keep);
        var groups = SubgroupFidelity.Compute(real, synthetic, 0, Labels);
        Assert.True(groups[3].UnderRepresented);
        Assert.InRange(groups[3].SyntheticShare / groups[3].RealShare, 0.05, 0.2);
        Assert.All(groups.Take(3), g => Assert.False(g.Flagged));
        Assert.Equal(0, groups[0].TestRows);
        Assert.True(double.IsNaN(groups[0].TstrAccuracy));
    }

    [Fact]
    public void AGroupWhoseRowsLostTheirDependencyShowsAConditionalTvdAndAUtilityGap()
    {
        var real = EvaluationTables.Generate(4000, seed: 24);
        var test = EvaluationTables.Generate(2000, seed: 25);
        // Within group a=0, replace y by its complement: the shares stay, the rule is inverted for that group only.
        var codes = Enumerable.Range(0, 5).Select(c =>
        {
            var col = new int[real.RowCount];
            real.Columns[c].CopyTo(col);
            return col;
        }).ToArray();
        for (var r = 0; r < real.RowCount; r++)
        {
            if (codes[0][r] == 0)
            {
                codes[4][r] = 1 - codes[4][r];
            }
        }

        var broken = new DPSynth.Data.EncodedTable(
            real.Domain, codes.Select((c, i) => DPSynth.Data.EncodedColumn.FromCodes(real.Domain.Size(i), c)));
        var utility = new DownstreamUtility(EvaluationTables.Domain, EvaluationTables.Ordered, EvaluationTables.Target);
        var fitted = utility.Fit(broken, real, UtilityModel.GradientBoostedTrees);
        var groups = SubgroupFidelity.Compute(real, broken, 0, Labels, (utility, fitted), test);
        Assert.True(groups[0].ConditionalTvd["y"] > 0.3, $"TVD(y | a0) {groups[0].ConditionalTvd["y"]}");
        Assert.True(groups[0].UtilityGap, $"TSTR {groups[0].TstrAccuracy} vs TRTR {groups[0].TrtrAccuracy}");
        Assert.False(groups[2].UtilityGap, $"TSTR {groups[2].TstrAccuracy} vs TRTR {groups[2].TrtrAccuracy}");
    }
}
