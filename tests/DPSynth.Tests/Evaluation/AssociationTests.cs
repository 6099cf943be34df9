using DPSynth.Evaluation;

namespace DPSynth.Tests.Evaluation;

public sealed class AssociationTests
{
    [Fact]
    public void CramersVIsOneForAPerfectAssociationAndZeroForIndependence()
    {
        Assert.Equal(1.0, CramersV.FromCounts([50, 0, 0, 50], 2, 2), 12);
        Assert.Equal(0.0, CramersV.FromCounts([25, 25, 25, 25], 2, 2), 12);
        // Empty rows and columns of the public domain do not dilute the measure.
        Assert.Equal(1.0, CramersV.FromCounts([50, 0, 0, 0, 50, 0, 0, 0, 0], 3, 3), 12);
    }

    [Fact]
    public void CramersVMatchesTheChiSquareFormulaOnAKnownTable()
    {
        // Table [[10, 20], [30, 40]]: chi^2 = 0.7937 (by hand), n = 100, V = sqrt(chi^2 / 100).
        var expected = Math.Sqrt(100.0 * Math.Pow((10 * 40) - (20 * 30), 2) / (30.0 * 70 * 40 * 60) / 100);
        Assert.Equal(expected, CramersV.FromCounts([10, 20, 30, 40], 2, 2), 12);
    }

    [Fact]
    public void SpearmanIsPlusOrMinusOneForMonotoneCodesAndUsesAverageRanksForTies()
    {
        Assert.Equal(1.0, SpearmanCorrelation.FromCounts([5, 0, 0, 0, 5, 0, 0, 0, 5], 3, 3), 12);
        Assert.Equal(-1.0, SpearmanCorrelation.FromCounts([0, 0, 5, 0, 5, 0, 5, 0, 0], 3, 3), 12);
        // Pairs (0,0), (0,1), (1,1): ranks of a = (1.5, 1.5, 3), of b = (1, 2.5, 2.5); rho = 0.5 by hand.
        Assert.Equal(0.5, SpearmanCorrelation.FromCounts([1, 1, 0, 1], 2, 2), 12);
    }

    [Fact]
    public void ACopyHasNoAssociationDifferenceAndShuffledColumnsLoseTheDependency()
    {
        var real = EvaluationTables.Generate(4000, seed: 1);
        var copy = AssociationSimilarity.Compare(real, real, EvaluationTables.Ordered);
        Assert.Equal(0.0, copy.MeanCramersVDifference, 12);
        Assert.Equal(0.0, copy.MeanSpearmanDifference, 12);
        Assert.Equal(10, copy.Pairs.Length);

        var shuffled = AssociationSimilarity.Compare(real, EvaluationTables.ShuffleColumns(real, seed: 2), EvaluationTables.Ordered);
        var worst = shuffled.Worst(AssociationMeasure.CramersV);
        Assert.Equal(5, worst.Length);
        // y depends on a and b: in the real rows V(b, y) is about 0.55, and near 0 once the columns are shuffled.
        var by = shuffled.Pairs.Single(p => p.First == "b" && p.Second == "y");
        Assert.True(by.Difference > 0.4, $"V(b,y) real {by.Real}, synthetic {by.Synthetic}");
        Assert.Contains(worst, p => p.First == "b" && p.Second == "y");
    }
}
