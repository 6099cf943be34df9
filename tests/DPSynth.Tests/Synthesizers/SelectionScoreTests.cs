using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

public sealed class SelectionScoreTests
{
    private const long One = CandidateSet.WeightUnitsPerOne;
    private static readonly Int128 Grid = 1 << SelectionScore.GridBits;

    [Fact]
    public void ScoreIsTheWeightedL1ErrorMinusThePenaltyInFixedPoint()
    {
        // |3 - 2.5| + |1 - 1.25| = 0.75; minus 0.5; weight 2.
        var score = SelectionScore.Compute([3, 1], [2.5, 1.25], 0.5, 2 * One);
        Assert.Equal(2 * One * (Grid * 3 / 4 - (Grid / 2)), score);
    }

    [Fact]
    public void AddingOneRowMovesTheScoreByAtMostTheSensitivity()
    {
        // The model marginal and penalty are fixed (public); one cell of the data moves by one.
        double[] model = [10.3, 0.2, 7.9, 4.4];
        double[] data = [10, 0, 8, 4];
        var before = SelectionScore.Compute(data, model, 3.7, 26 * One);
        var sensitivity = SelectionScore.Sensitivity(26 * One);
        for (var cell = 0; cell < data.Length; cell++)
        {
            var neighbour = (double[])data.Clone();
            neighbour[cell] += 1;
            var after = SelectionScore.Compute(neighbour, model, 3.7, 26 * One);
            Assert.True(Int128.Abs(after - before) <= sensitivity);
        }

        Assert.Equal(26 * One * Grid, sensitivity);
    }

    [Fact]
    public void NonFiniteModelValuesAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectionScore.Compute([1], [double.NaN], 0, One));
}
