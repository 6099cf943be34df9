using DPSynth.Marginals;
using DPSynth.Privacy;

namespace DPSynth.Synthesizers;

/// <summary>
/// The budget of one <see cref="ISynthesizer.Fit"/>: all that the accountant has left when the run starts, checked by
/// the synthesizer's <see cref="ISynthesizer.Plan"/> before anything is charged; <see cref="Used"/> is read from the
/// accountant's exact receipts, never tracked separately.
/// </summary>
internal sealed class RunBudget
{
    private readonly Rho start;

    private RunBudget(ZcdpAccountant accountant, Rho total)
    {
        Accountant = accountant;
        Total = total;
        start = accountant.Spent;
    }

    /// <summary>The accountant every step charges.</summary>
    public ZcdpAccountant Accountant { get; }

    /// <summary>The whole budget of the run.</summary>
    public Rho Total { get; }

    /// <summary>What this run has charged so far (exact).</summary>
    public Rho Used => new(Accountant.Spent.Value - start.Value);

    /// <summary>Whether any of the run's noise came from the accountant's insecure seeded source (its result is NOT PRIVATE).</summary>
    public bool InsecureNoise => Accountant.IsInsecure || Accountant.UsedInsecureNoise;

    /// <summary>Checks the table's domain and the settings (no charge yet), and opens the run's budget.</summary>
    /// <exception cref="Diagnostics.SynthesisSettingsException">The domain differs, or the settings are impossible for this budget.</exception>
    public static RunBudget Begin(ISynthesizer synthesizer, IMarginalSource data, ZcdpAccountant accountant)
    {
        ArgumentNullException.ThrowIfNull(accountant);
        SynthesisSteps.CheckDomain(synthesizer.Domain, data);
        var total = accountant.Remaining;
        synthesizer.Plan(total);
        return new RunBudget(accountant, total);
    }

    /// <summary>A progress report at this point of the run.</summary>
    public SynthesisProgress Progress(string method, string phase, int round, int planned, double modelMb, double loss) =>
        new(method, phase, round, planned, Used.ToDoubleUp(), Total.ToDoubleUp(), modelMb, loss);
}
