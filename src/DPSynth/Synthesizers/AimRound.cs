using DPSynth.Privacy;

namespace DPSynth.Synthesizers;

/// <summary>The privacy parameters of one AIM round.</summary>
/// <param name="SigmaSquared">Per-cell noise scale of the measurement (rounded up onto the sampler's grid).</param>
/// <param name="Epsilon">Selection epsilon, a rational rounded down from the exact square root.</param>
/// <param name="IsFinal">True when this round spends the rest of the budget and the loop stops after it.</param>
internal sealed record AimRound(Rational SigmaSquared, Rational Epsilon, bool IsFinal)
{
    /// <summary>sigma as a double, for the bias term and the annealing test (public values, no privacy role).</summary>
    public double Sigma => Math.Sqrt(SigmaSquared.ToDouble());
}
