using DPSynth.Budget;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Synthesizers;

namespace DPSynth.Pipeline;

/// <summary>A run's ledger charge: the ledger, the entry and whose it is.</summary>
/// <param name="Ledger">The ledger charged.</param>
/// <param name="Charge">The charge entry and the dataset's spend after it.</param>
/// <param name="DatasetId">The dataset charged.</param>
/// <param name="PolicySha256">The policy's SHA-256, or null for a run without a policy.</param>
public sealed record LedgerRecord(BudgetLedger Ledger, LedgerCharge Charge, string DatasetId, string? PolicySha256);

/// <summary>How a charged run ended, for its outcome entry.</summary>
/// <param name="Outcome">One of <see cref="RunOutcome"/>'s values.</param>
/// <param name="Bundle">The bundle folder of a released policy run, else null.</param>
public sealed record RunEnd(string Outcome, string? Bundle = null);

/// <summary>
/// A run whose spend is charged (or deliberately unrecorded): it pays for exactly one fit, under an accountant whose
/// total is the run's <see cref="PrivacySpend.Planned"/>, and it records how the run ended in the ledger.
/// </summary>
public sealed class ChargedRun
{
    private int fitted;

    internal ChargedRun(SynthesisRun run, string runId, LedgerRecord? record)
    {
        Run = run;
        RunId = runId;
        Record = record;
    }

    /// <summary>The priced run.</summary>
    public SynthesisRun Run { get; }

    /// <summary>The run id (the ledger entry's, and the bundle's).</summary>
    public string RunId { get; }

    /// <summary>The ledger charge, or null for an unrecorded run.</summary>
    public LedgerRecord? Record { get; }

    /// <summary>The run's one spend record.</summary>
    public PrivacySpend Spend => Run.Spend;

    /// <summary>Whether the fit drew any noise from the insecure seeded test source (never released or signed).</summary>
    public bool UsedInsecureNoise { get; private set; }

    /// <summary>
    /// Fits the synthesizer on <paramref name="data"/> under a new accountant for this run's spend. A charge pays for one
    /// fit: a second call is refused. <paramref name="insecureSeed"/>, set only by the loudly labelled insecure test
    /// mode, makes the noise reproducible and the run unreleasable.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run was already fitted.</exception>
    public SynthesisResult Fit(IMarginalSource data, IProgress<SynthesisProgress>? progress = null, ulong? insecureSeed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Interlocked.Exchange(ref fitted, 1) != 0)
        {
            throw new InvalidOperationException("a charge pays for one fit; this run was already fitted");
        }

        var accountant = insecureSeed is { } seed
            ? ZcdpAccountant.InsecureDeterministic(Spend.Planned, seed)
            : new ZcdpAccountant(Spend.Planned);
        var result = Run.Synthesizer.Fit(data, accountant, progress);
        UsedInsecureNoise = accountant.IsInsecure || accountant.UsedInsecureNoise;
        return result;
    }

    /// <summary>Fits on a table held in memory (see <see cref="Fit(IMarginalSource, IProgress{SynthesisProgress}?, ulong?)"/>).</summary>
    public SynthesisResult Fit(EncodedTable data, IProgress<SynthesisProgress>? progress = null, ulong? insecureSeed = null)
    {
        using var source = new InMemoryMarginalSource(data);
        return Fit(source, progress, insecureSeed);
    }

    /// <summary>
    /// Runs <paramref name="body"/> (reading the data, fitting, and all that follows) and records how it ended: the
    /// outcome <paramref name="end"/> gives, or <see cref="RunOutcome.Failed"/> when it throws (and the exception goes on).
    /// The budget is spent either way.
    /// </summary>
    /// <param name="body">The run after its charge.</param>
    /// <param name="end">How a run that returned ended.</param>
    /// <param name="inputFingerprint">The keyed input fingerprint for the outcome entry, or null.</param>
    /// <param name="log">The operator's console, told when an outcome cannot be recorded.</param>
    /// <exception cref="BudgetRefusedException">
    /// The body returned and its outcome was recorded, but the ledger's anchored head could not be moved onto it
    /// (see <see cref="RecordOutcome"/>): the command must fail.
    /// </exception>
    public T Execute<T>(Func<ChargedRun, T> body, Func<T, RunEnd> end, string? inputFingerprint, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(log);
        T result;
        try
        {
            result = body(this);
        }
        catch (Exception ex) when (!InternalError.IsOutOfMemory(ex))
        {
            try
            {
                RecordOutcome(new RunEnd(RunOutcome.Failed), inputFingerprint, log);
            }
            catch (LedgerAnchorNotMovedException notMoved)
            {
                // The body's failure is what the command reports; that its outcome is recorded is told here.
                log.WriteLine(notMoved.Message);
            }

            throw;
        }

        // Outside the catch: once a bundle is in place, the run must never be recorded as failed. If this append
        // fails, the charge stays open and the next policy run recovers the bundle.
        RecordOutcome(end(result), inputFingerprint, log);
        return result;
    }

    /// <summary>
    /// Records how the run ended (no spend). A failure to append leaves the charge open (reported as orphaned; a bundle
    /// already in place is recovered by the next run); it is reported on <paramref name="log"/> and does not change how
    /// the run is reported. An outcome that was appended but whose anchored head could not be moved onto it is recorded,
    /// and the command must fail (docs/ledger.md#anchor): that is thrown, with a message that says so.
    /// </summary>
    /// <exception cref="BudgetRefusedException">
    /// The outcome entry was appended (it stands) but the ledger's anchored head could not be moved onto it.
    /// </exception>
    public void RecordOutcome(RunEnd end, string? inputFingerprint, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(log);
        if (Record is not { } record)
        {
            return;
        }

        try
        {
            record.Ledger.RecordOutcome(record.DatasetId, RunId, record.PolicySha256, end.Outcome, inputFingerprint, end.Bundle);
        }
        catch (LedgerAnchorNotMovedException ex)
        {
            // Not "could not be recorded": the entry is in the ledger, and a reviewer must be told so.
            throw new LedgerAnchorNotMovedException(
                Messages.RunOutcomeNotAnchored(RunId, end.Outcome, ex.Sequence, record.Ledger.Path, record.Ledger.AnchorPath, ex.Detail),
                ex.Sequence,
                ex.Detail,
                ex);
        }
        catch (Exception ex) when (ex is BudgetRefusedException or IOException or UnauthorizedAccessException)
        {
            log.WriteLine(Messages.RunOutcomeNotRecorded(RunId, ex.Message));
        }
    }
}
