using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Schema;

namespace DPSynth.Budget;

/// <summary>
/// What <c>schema infer --dp --epsilon E</c> charges (docs/privacy.md#domain-discovery). The mechanisms cost rho =
/// rho(E, delta) with delta the cap's (1e-9 when uncapped). The thresholded histograms add a delta_t = delta / 10 that no
/// rho covers; for a capped dataset it is paid in rho: the charge adds tax = cap.rho - rho(cap.epsilon, cap.delta -
/// delta_t), so a spend within the cap still implies (cap.epsilon, cap.delta)-DP: the zCDP part stays within
/// rho(cap.epsilon, cap.delta - delta_t) and gives delta at most cap.delta - delta_t, plus delta_t.
/// </summary>
/// <param name="Rho">The mechanisms' rho (the in-process accountant's total).</param>
/// <param name="Delta">The delta <see cref="Rho"/> was converted at.</param>
/// <param name="ThresholdDelta">delta_t.</param>
/// <param name="Tax">The rho that pays for delta_t under the cap (zero for an uncapped dataset).</param>
/// <param name="CapHash">The hash of the cap entry the tax was computed for, or null.</param>
public sealed record DiscoveryCharge(Rho Rho, double Delta, double ThresholdDelta, Rho Tax, string? CapHash)
{
    /// <summary>delta_t as a share of the delta.</summary>
    public const double ThresholdShareOfDelta = 0.1;

    /// <summary>What the ledger is charged: <see cref="Rho"/> + <see cref="Tax"/>.</summary>
    public Rho Total => Rho + Tax;

    /// <summary>The charge for a discovery at <paramref name="epsilon"/> given the dataset's spend and cap.</summary>
    /// <exception cref="ArgumentOutOfRangeException">epsilon is not positive or above the largest accepted.</exception>
    public static DiscoveryCharge Plan(double epsilon, DatasetSpend spend)
    {
        ArgumentNullException.ThrowIfNull(spend);
        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        }

        var delta = spend.Delta;
        var thresholdDelta = delta * ThresholdShareOfDelta;
        var rho = Rho.FromApproxDp(new ApproxDp(epsilon, delta));
        var tax = Rho.Zero;
        if (spend.Cap is { } cap)
        {
            // The cap's stored rho is rounded down, and the conversion below too (it never overstates what the smaller
            // delta allows), so the difference can only overstate the tax.
            var within = Rho.FromApproxDp(new ApproxDp(cap.Epsilon, cap.Delta - thresholdDelta));
            var capRho = Rational.FromDouble(cap.Rho);
            tax = capRho > within.Value ? new Rho(capRho - within.Value) : Rho.Zero;
        }

        return new DiscoveryCharge(rho, delta, thresholdDelta, tax, spend.Cap?.Hash);
    }

    /// <summary>
    /// Whether <paramref name="entries"/> hold a discovery charge for <paramref name="datasetId"/>. The threshold's delta
    /// is priced for one discovery per dataset and cap (with k discoveries the taxes would have to grow with k, since
    /// rho(epsilon, delta) is concave in delta), so a second discovery and a later change of cap are refused.
    /// </summary>
    public static bool Exists(IEnumerable<LedgerEntry> entries, string datasetId)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Any(e => e.Kind == LedgerEntryKind.Charge && e.DatasetId == datasetId
            && e.Mechanism?.StartsWith(DiscoveryRecord.MechanismPrefix, StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// Refuses a run that would publish a schema learnt with <paramref name="record"/> when <paramref name="entries"/> (a
    /// verified ledger) do not hold its charge for <paramref name="datasetId"/> (its domains would then be unpaid for, or
    /// paid from another budget), or when the run's <paramref name="delta"/> cannot hold the threshold's delta.
    /// </summary>
    /// <exception cref="BudgetRefusedException">No such charge for this dataset.</exception>
    /// <exception cref="InputException">The run's delta is at most the threshold's.</exception>
    public static void RequireIn(DiscoveryRecord record, IReadOnlyList<LedgerEntry> entries, string datasetId, double delta)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(entries);
        if (!(delta > record.ThresholdDelta))
        {
            throw new InputException(Messages.DiscoveryDeltaTooSmall(delta, record.ThresholdDelta));
        }

        var entry = entries.FirstOrDefault(e => e.Kind == LedgerEntryKind.Charge && e.Hash == record.LedgerEntry
            && e.DatasetId == datasetId && record.Dataset == datasetId
            && e.Mechanism?.StartsWith(DiscoveryRecord.MechanismPrefix, StringComparison.Ordinal) == true);
        if (entry is null)
        {
            throw new BudgetRefusedException(Messages.DiscoveryChargeMissing(record.LedgerEntry, record.Dataset, datasetId));
        }

        // The schema is an editable file: its figures must be the ledger's, and its mechanisms' rho the conversion of its
        // epsilon at its delta, or the manifest would understate the bundle's guarantee.
        if (record.ChargedRho != entry.Rho || record.Delta != entry.Delta
            || record.ThresholdDelta != record.Delta * ThresholdShareOfDelta
            || record.Rho != Rho.FromApproxDp(new ApproxDp(record.Epsilon, record.Delta)).ToDoubleUp()
            || record.Rho > record.ChargedRho)
        {
            throw new BudgetRefusedException(Messages.DiscoveryRecordMismatch(record.LedgerEntry));
        }
    }
}
