using System.Collections.Immutable;
using DPSynth.Privacy;
using DPSynth.Schema;

namespace DPSynth.Release;

/// <summary>
/// The optional <c>domain_discovery</c> section of a manifest: present when the bundle's schema was learnt by DP domain
/// discovery (<c>schema infer --dp</c>, docs/schema-reference.md#dp-discovery). The schema, and so the bundle, then
/// depends on the rows through two charges: the discovery's and the run's. This section names the first and states the
/// guarantee of both together; the <c>privacy</c> section keeps the run's own cost.
/// </summary>
/// <param name="ChargeEntryHash">The hash of the discovery's charge entry in the ledger (the same dataset as the run's).</param>
/// <param name="Columns">The columns whose domains were learnt.</param>
/// <param name="Rho">The discovery mechanisms' rho, rounded up.</param>
/// <param name="ThresholdDelta">The probability that a label held by a single row was kept.</param>
/// <param name="ChargedRho">What the ledger charge holds (<see cref="Rho"/> plus the rho that paid for the threshold's delta).</param>
/// <param name="BundleRho">The run's rho plus <see cref="Rho"/>, rounded up: the zCDP part of the whole bundle.</param>
/// <param name="BundleEpsilon">
/// The bundle's epsilon at <see cref="BundleDelta"/>: <see cref="BundleRho"/> converted at <see cref="BundleDelta"/> minus
/// <see cref="ThresholdDelta"/> (approximate zCDP: the deltas add).
/// </param>
/// <param name="BundleDelta">The run's delta.</param>
public sealed record ManifestDomainDiscovery(
    string ChargeEntryHash, ImmutableArray<string> Columns, double Rho, double ThresholdDelta, double ChargedRho,
    double BundleRho, double BundleEpsilon, double BundleDelta)
{
    /// <summary>
    /// The section for a run that spent <paramref name="runRho"/> at <paramref name="delta"/> with a schema learnt with
    /// <paramref name="record"/>: the bundle's zCDP part is the run's rho plus the discovery's, and its epsilon is taken
    /// at delta minus the threshold's delta (the deltas of approximate zCDP add; docs/privacy.md#discovery-charge).
    /// </summary>
    public static ManifestDomainDiscovery For(DiscoveryRecord record, global::DPSynth.Privacy.Rho runRho, double delta)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bundle = runRho + global::DPSynth.Privacy.Rho.FromDouble(record.Rho);
        return new ManifestDomainDiscovery(
            record.LedgerEntry, record.Columns, record.Rho, record.ThresholdDelta, record.ChargedRho, bundle.ToDoubleUp(),
            ZcdpConversion.EpsilonFromRho(bundle, delta - record.ThresholdDelta), delta);
    }
}
