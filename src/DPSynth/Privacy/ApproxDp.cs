namespace DPSynth.Privacy;

/// <summary>An approximate differential privacy guarantee (epsilon, delta), as a user states a budget.</summary>
public readonly record struct ApproxDp
{
    /// <summary>Creates the guarantee.</summary>
    /// <exception cref="ArgumentOutOfRangeException">epsilon is negative or not finite, or delta is not in (0, 1).</exception>
    public ApproxDp(double epsilon, double delta)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number >= 0.");
        }

        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be in (0, 1).");
        }

        Epsilon = epsilon;
        Delta = delta;
    }

    /// <summary>epsilon, at least 0.</summary>
    public double Epsilon { get; }

    /// <summary>delta, in (0, 1).</summary>
    public double Delta { get; }
}
