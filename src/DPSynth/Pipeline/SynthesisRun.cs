using DPSynth.Budget;
using DPSynth.Privacy;
using DPSynth.Synthesizers;

namespace DPSynth.Pipeline;

/// <summary>
/// One synthesizer run's budget flow, the same for <c>run</c>, <c>synth</c> and <c>audit-canaries</c>
/// (docs/architecture.md, "Following epsilon"): the plan is priced from public facts when this is made, its
/// <see cref="PrivacySpend"/> is made once, and <see cref="Charge(BudgetLedger, string, string, string?, Action{IReadOnlyList{LedgerEntry}}?)"/> records exactly that spend in the ledger before any
/// private row is read. The <see cref="ChargedRun"/> it returns is the only way to an accountant, whose total is the
/// same spend, and it records how the run ended.
/// </summary>
public sealed class SynthesisRun
{
    /// <summary>Prices <paramref name="synthesizer"/> at <paramref name="budget"/>; nothing is read or charged.</summary>
    /// <param name="synthesizer">The synthesizer, built from public settings and the schema.</param>
    /// <param name="budget">The budget the user asked for (the plan may spend a little less: its own rounding).</param>
    /// <param name="delta">The delta at which the run's epsilon is stated.</param>
    /// <exception cref="Diagnostics.SynthesisSettingsException">The settings are impossible for this budget.</exception>
    public SynthesisRun(ISynthesizer synthesizer, Rho budget, double delta)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        Synthesizer = synthesizer;
        Plan = synthesizer.Plan(budget);
        Spend = PrivacySpend.Of(Plan.Rho, delta);
    }

    /// <summary>The synthesizer.</summary>
    public ISynthesizer Synthesizer { get; }

    /// <summary>What the run will do and spend, by the synthesizer's own pricing.</summary>
    public SynthesisPlan Plan { get; }

    /// <summary>The run's one spend record: what the ledger, the accountant, the reports and the manifest all state.</summary>
    public PrivacySpend Spend { get; }

    /// <summary>The ledger entry's mechanism text: the method and its workload.</summary>
    public string Mechanism => $"{Plan.Method} ({Plan.Workload})";

    /// <summary>
    /// Charges <see cref="Spend"/> to <paramref name="datasetId"/> in <paramref name="ledger"/>, before the data are
    /// read. <paramref name="precondition"/> sees the verified entries under the ledger's lock first and refuses by
    /// throwing (see <see cref="BudgetLedger.Charge(string, string, PrivacySpend, string, string?, Action{IReadOnlyList{LedgerEntry}}?)"/>).
    /// </summary>
    /// <exception cref="Diagnostics.BudgetRefusedException">The ledger refused the charge; nothing was written.</exception>
    public ChargedRun Charge(
        BudgetLedger ledger, string datasetId, string mechanism, string? policySha256 = null,
        Action<IReadOnlyList<LedgerEntry>>? precondition = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var runId = Guid.NewGuid().ToString("N");
        var charge = ledger.Charge(datasetId, runId, Spend, mechanism, policySha256, precondition);
        return new ChargedRun(this, runId, new LedgerRecord(ledger, charge, datasetId, policySha256));
    }

    /// <summary>
    /// Charges the run to the ledger of <paramref name="access"/>, telling the operator what was charged; without a
    /// ledger, says that nothing is recorded and returns the run <see cref="Unrecorded"/>. This is the one step before
    /// any private row is read in <c>synth</c> and <c>audit-canaries</c>.
    /// </summary>
    /// <exception cref="Diagnostics.BudgetRefusedException">The ledger refused the charge; nothing was written.</exception>
    public ChargedRun Charge(LedgerAccess? access, string datasetId, TextWriter log, string? mechanism = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (access is null)
        {
            log.WriteLine(Diagnostics.Messages.SynthNotRecorded);
            return Unrecorded();
        }

        var charged = Charge(access.Open(log), datasetId, mechanism ?? Mechanism);
        if (charged.Record!.Charge.IsUncapped)
        {
            log.WriteLine(Diagnostics.Messages.LedgerUncapped(datasetId));
        }

        log.WriteLine(Diagnostics.Messages.SynthCharged(datasetId, Spend.Charged.ToDoubleUp(), Spend.Epsilon, Spend.Delta));
        return charged;
    }

    /// <summary>
    /// The run without a ledger: the operator asked for no record (<c>synth</c> or <c>audit-canaries</c> without
    /// <c>--ledger</c>), and is told so. The accountant still holds the run to <see cref="Spend"/>.
    /// </summary>
    public ChargedRun Unrecorded() => new(this, Guid.NewGuid().ToString("N"), null);
}
