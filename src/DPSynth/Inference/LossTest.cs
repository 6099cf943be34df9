using DPSynth.Marginals;

namespace DPSynth.Inference;

/// <summary>
/// The stopping rule of <see cref="MirrorDescentOptions.LossTolerance"/>: every <c>window</c> accepted steps, stop when
/// the loss fell by at most <c>LossTolerance * sqrt(n / 2)</c> since the last check, where <c>n</c> is the number of
/// measured cells.
/// </summary>
/// <remarks>
/// The L2 loss is <c>sum (mu - y)^2 / (2 sigma^2)</c>: at the true marginals it is half a chi-square with <c>n</c>
/// degrees of freedom, whose standard deviation is <c>sqrt(n / 2)</c>. A decrease far below that is below the loss's
/// own sampling noise. It also bounds how far the model can still move: for a convex quadratic, a remaining gap
/// <c>L - L* &lt;= delta</c> means the measured marginals are within <c>sqrt(2 delta)</c> noise standard deviations
/// (Euclidean, over all cells together) of the optimum's.
/// </remarks>
internal sealed class LossTest
{
    private readonly double threshold;
    private readonly int window;
    private int steps;
    private double reference;

    public LossTest(IReadOnlyList<NoisyMarginal> measurements, double tolerance, int window)
    {
        long cells = 0;
        foreach (var m in measurements)
        {
            cells += m.Values.Length;
        }

        threshold = tolerance * Math.Sqrt(cells / 2.0);
        this.window = window;
    }

    public bool IsOpen { get; private set; }

    /// <summary>Opens the first window at <paramref name="loss"/>.</summary>
    public void Open(double loss)
    {
        IsOpen = true;
        reference = loss;
    }

    /// <summary>Counts an accepted step; true at the end of a window over which the loss fell by at most the threshold.</summary>
    public bool Step(double loss)
    {
        if (++steps < window)
        {
            return false;
        }

        steps = 0;
        var decrease = reference - loss;
        reference = Math.Min(reference, loss);
        return decrease <= threshold;
    }
}
