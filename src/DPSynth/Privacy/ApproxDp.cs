namespace DPSynth.Privacy;

/// <summary>An approximate differential privacy guarantee (epsilon, delta), as a user states a budget.</summary>
public readonly record struct ApproxDp
{
    /// <summary>Creates the guarantee.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// epsilon is negative, not finite or above <see cref="PrivacyBounds.MaxEpsilon"/>, or delta is not in (0, 1).
    /// </exception>
    public ApproxDp(double epsilon, double delta)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number >= 0.");
        }

        // Every (epsilon, delta) becomes a rho through this type: bounding it here keeps each conversion finite.
        if (epsilon > PrivacyBounds.MaxEpsilon)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, Diagnostics.Messages.EpsilonTooLarge("epsilon", epsilon));
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
