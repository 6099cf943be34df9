using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;

namespace DPSynth.Synthesizers;

/// <summary>
/// AIM's budget arithmetic (privacy-details.md section 4), exact in rationals: the per-round sigma^2 and epsilon^2,
/// annealing, and the final-round rule that spends what is left. Pure: it never reads data, only the public budget,
/// the public settings and the amount already charged.
/// </summary>
/// <remarks>
/// sigma^2 = T / (2 alpha rho) and epsilon^2 = 8 (1 - alpha) rho / T are rational when rho is, so only epsilon itself
/// (a square root) is rounded, and down (<see cref="ExponentialMechanism.ForRho"/>), and sigma^2 only up
/// (<see cref="GaussianMechanism.RoundSigmaSquaredUp"/>): a round never costs more than planned.
/// </remarks>
internal sealed class AimSchedule
{
    private readonly Rho total;
    private readonly Rational alpha;

    /// <summary>Starts the schedule for a budget, a planned number of rounds T and the measure/select split alpha.</summary>
    public AimSchedule(Rho total, int rounds, Rational alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        if (total.Value.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(total), "The budget must be positive.");
        }

        if (alpha.Sign <= 0 || alpha >= Rational.One)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be in (0, 1).");
        }

        this.total = total;
        this.alpha = alpha;
        SigmaSquared = new Rational(rounds, 1) / (2 * alpha * total.Value);
        EpsilonSquared = 8 * (Rational.One - alpha) * total.Value / new Rational(rounds, 1);
    }

    /// <summary>The current per-cell noise scale sigma^2 (the initial 1-way marginals use the first one).</summary>
    public Rational SigmaSquared { get; private set; }

    /// <summary>The current selection epsilon^2 (exact; the epsilon used is the largest on the mechanism's grid not above its root).</summary>
    public Rational EpsilonSquared { get; private set; }

    /// <summary>True once the final round has been handed out.</summary>
    public bool Finished { get; private set; }

    /// <summary>The cost of one measurement of a sensitivity-1 marginal with the current sigma^2.</summary>
    public Rational MeasurementCost => Rational.One / (2 * SigmaSquared);

    /// <summary>The parameters of the next round, given the exact amount already charged.</summary>
    /// <remarks>
    /// Reference rule: if <c>rho - used &lt; 2 (1/(2 sigma^2) + epsilon^2/8)</c>, the round spends all that is left,
    /// with <c>sigma^2 = 1/(2 alpha rem)</c> and <c>epsilon^2 = 8 (1 - alpha) rem</c>, and is the last one.
    /// </remarks>
    public AimRound NextRound(Rho spent)
    {
        if (Finished)
        {
            throw new InvalidOperationException("The final round was already handed out.");
        }

        var remaining = total.Value - spent.Value;
        if (remaining.Sign <= 0)
        {
            throw new InvalidOperationException("No budget is left for another round.");
        }

        var roundCost = MeasurementCost + (EpsilonSquared / 8);
        if (remaining < 2 * roundCost)
        {
            SigmaSquared = Rational.One / (2 * alpha * remaining);
            EpsilonSquared = 8 * (Rational.One - alpha) * remaining;
            Finished = true;
        }

        return new AimRound(
            GaussianMechanism.RoundSigmaSquaredUp(SigmaSquared),
            ExponentialMechanism.ForRho(new Rho(EpsilonSquared / 8)).Epsilon,
            Finished);
    }

    /// <summary>Annealing after an uninformative round: sigma halves and epsilon doubles, so a round costs 4x.</summary>
    public void Anneal()
    {
        SigmaSquared /= 4;
        EpsilonSquared *= 4;
    }
}
