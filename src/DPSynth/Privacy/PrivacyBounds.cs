namespace DPSynth.Privacy;

/// <summary>
/// The largest budgets DPSynth accepts from a user: epsilon at most <see cref="MaxEpsilon"/> and rho at most
/// <see cref="MaxRho"/> (delta is always in (0, 1)). Without them <c>epsilon: 1e308</c> turned into an infinite epsilon
/// in the ledger's JSON and <c>synth --epsilon 1e308</c> never finished.
/// </summary>
/// <remarks>
/// Both bounds are 10,000: already a meaningless guarantee (a likelihood ratio of e^10000), so no honest budget is
/// refused, and small enough that every quantity derived from a budget is finite and exact. The tight conversion gives
/// rho below epsilon + 7 at any delta (about 9,134 at delta = 1e-9); the implied epsilon of rho = 10,000 is below
/// 16,000 even at delta = 1e-300; Gaussian noise keeps sigma^2 = 1 / (2 rho) above 5e-5, which the samplers' 2^-k
/// grid holds exactly; and the exponential mechanism's epsilon sqrt(8 rho) stays below 300 on its 2^-40 grid. A sum of
/// charges in the ledger grows only by the charges actually made.
/// </remarks>
public static class PrivacyBounds
{
    /// <summary>The largest epsilon of a run, a cap or a synthesizer budget.</summary>
    public const double MaxEpsilon = 10_000;

    /// <summary>The largest rho stated directly (a policy's <c>rho</c>, <c>budget charge --rho</c>).</summary>
    public const double MaxRho = 10_000;
}
