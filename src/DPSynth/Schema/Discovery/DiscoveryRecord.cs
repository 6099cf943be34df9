using System.Collections.Immutable;
using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Release;

namespace DPSynth.Schema.Discovery;

/// <summary>
/// The <c>dp_discovery</c> section of a schema written by <c>schema infer --dp</c>: which ledger charge paid for its
/// domains, under what budget, and which columns were learnt (docs/schema-reference.md#dp-discovery). All public: the
/// budget is a public choice and the charge's hash is published as every bundle's charge hash is.
/// </summary>
/// <param name="LedgerEntry">The hash of the ledger's charge entry for the discovery.</param>
/// <param name="Dataset">The dataset id charged.</param>
/// <param name="Epsilon">The discovery's epsilon, as given.</param>
/// <param name="Delta">The delta at which <paramref name="Epsilon"/> was converted to rho (the cap's, or 1e-9).</param>
/// <param name="Rho">The rho of the noise (the mechanisms' zCDP cost), rounded up.</param>
/// <param name="ThresholdDelta">The probability that any label held by a single row was kept (added to the delta).</param>
/// <param name="ChargedRho">The rho charged to the ledger: <paramref name="Rho"/> plus the rho that pays for the threshold's delta.</param>
/// <param name="Columns">The columns whose domains were learnt.</param>
public sealed record DiscoveryRecord(
    string LedgerEntry, string Dataset, double Epsilon, double Delta, double Rho, double ThresholdDelta, double ChargedRho,
    ImmutableArray<string> Columns)
{
    /// <summary>The schema key of the section.</summary>
    public const string Key = "dp_discovery";

    /// <summary>The ledger entry's mechanism text starts with this.</summary>
    public const string MechanismPrefix = "schema-discovery";

    /// <summary>The section's keys, in the order <see cref="DiscoveredSchema"/> writes them.</summary>
    internal static IReadOnlyList<string> Keys { get; } =
        ["ledger_entry", "dataset", "epsilon", "delta", "rho", "threshold_delta", "charged_rho", "columns"];

    /// <summary>
    /// Refuses a run that would publish this schema when <paramref name="entries"/> (a verified ledger) do not hold its
    /// charge for <paramref name="datasetId"/> (its domains would then be unpaid for, or paid from another budget), or
    /// when the run's <paramref name="delta"/> cannot hold the threshold's delta.
    /// </summary>
    /// <exception cref="BudgetRefusedException">No such charge for this dataset.</exception>
    /// <exception cref="InputException">The run's delta is at most the threshold's.</exception>
    public void RequireIn(IReadOnlyList<LedgerEntry> entries, string datasetId, double delta)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!(delta > ThresholdDelta))
        {
            throw new InputException(Messages.DiscoveryDeltaTooSmall(delta, ThresholdDelta));
        }

        var found = entries.Any(e => e.Kind == LedgerEntryKind.Charge && e.Hash == LedgerEntry
            && e.DatasetId == datasetId && Dataset == datasetId
            && e.Mechanism?.StartsWith(MechanismPrefix, StringComparison.Ordinal) == true);
        if (!found)
        {
            throw new BudgetRefusedException(Messages.DiscoveryChargeMissing(LedgerEntry, Dataset, datasetId));
        }
    }

    /// <summary>
    /// The manifest's <c>domain_discovery</c> section for a run that spent <paramref name="runRho"/> at
    /// <paramref name="delta"/>: the bundle's zCDP part is the run's rho plus the discovery's, and its epsilon is taken at
    /// delta minus the threshold's delta (the deltas of approximate zCDP add).
    /// </summary>
    public ManifestDomainDiscovery ForManifest(Privacy.Rho runRho, double delta)
    {
        var bundle = runRho + Privacy.Rho.FromDouble(Rho);
        return new ManifestDomainDiscovery(
            LedgerEntry, Columns, Rho, ThresholdDelta, ChargedRho, bundle.ToDoubleUp(),
            Privacy.ZcdpConversion.EpsilonFromRho(bundle, delta - ThresholdDelta), delta);
    }
}
