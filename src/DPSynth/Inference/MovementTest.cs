using DPSynth.Marginals;

namespace DPSynth.Inference;

/// <summary>
/// The stopping rule of <see cref="MirrorDescentOptions.Tolerance"/>: every <c>window</c> accepted steps, the largest
/// L1 distance any measured marginal moved since the last check, in units of the expected L1 size of that
/// measurement's noise (<c>sqrt(2/pi) sum_cells sigma_c</c>). Reads only the projections the loss already holds.
/// </summary>
internal sealed class MovementTest
{
    /// <summary>sqrt(2/pi), the expected absolute value of a standard normal.</summary>
    private static readonly double ExpectedAbsNormal = Math.Sqrt(2 / Math.PI);

    private readonly double[][] snapshot;
    private readonly double[] noiseL1;
    private readonly int window;
    private int steps;

    public MovementTest(MarginalLoss loss, IReadOnlyList<NoisyMarginal> measurements, int window)
    {
        snapshot = loss.NewMeasurementArrays();
        this.window = window;
        noiseL1 = new double[measurements.Count];
        for (var i = 0; i < noiseL1.Length; i++)
        {
            var m = measurements[i];
            for (var c = 0; c < m.Values.Length; c++)
            {
                noiseL1[i] += m.StdOf(c);
            }

            noiseL1[i] *= ExpectedAbsNormal;
        }
    }

    public bool IsOpen { get; private set; }

    /// <summary>Opens the first window at <paramref name="projections"/>.</summary>
    public void Open(double[][] projections)
    {
        IsOpen = true;
        Copy(projections);
    }

    /// <summary>Counts an accepted step; at the end of a window, returns the movement over it and opens the next.</summary>
    public double? Step(double[][] projections)
    {
        if (++steps < window)
        {
            return null;
        }

        steps = 0;
        double largest = 0;
        for (var i = 0; i < snapshot.Length; i++)
        {
            double moved = 0;
            var now = projections[i];
            var then = snapshot[i];
            for (var k = 0; k < now.Length; k++)
            {
                moved += Math.Abs(now[k] - then[k]);
            }

            largest = Math.Max(largest, moved / noiseL1[i]);
        }

        Copy(projections);
        return largest;
    }

    private void Copy(double[][] projections)
    {
        for (var i = 0; i < snapshot.Length; i++)
        {
            projections[i].CopyTo(snapshot[i], 0);
        }
    }
}
