namespace DPSynth.Inference;

/// <summary>
/// The two optional stopping rules of an estimation (<see cref="MirrorDescentOptions.Tolerance"/> and
/// <see cref="MirrorDescentOptions.LossTolerance"/>), checked after each accepted step.
/// </summary>
internal static class StoppingRules
{
    /// <summary>
    /// Opens each rule's first window once <paramref name="ready"/> (the step size is on its scale), then counts the
    /// step; true when either rule says stop.
    /// </summary>
    public static bool Check(
        MovementTest? movement, LossTest? lossTest, bool ready, double[][] projections, double loss, MirrorDescentOptions options)
    {
        var stop = false;
        if (movement is not null)
        {
            if (!movement.IsOpen)
            {
                if (ready)
                {
                    movement.Open(projections);
                }
            }
            else if (movement.Step(projections) is { } moved && moved <= options.Tolerance)
            {
                stop = true;
            }
        }

        if (lossTest is not null)
        {
            if (!lossTest.IsOpen)
            {
                if (ready)
                {
                    lossTest.Open(loss);
                }
            }
            else if (lossTest.Step(loss))
            {
                stop = true;
            }
        }

        return stop;
    }
}
