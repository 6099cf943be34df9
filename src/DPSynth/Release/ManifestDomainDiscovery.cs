using System.Collections.Immutable;

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
    double BundleRho, double BundleEpsilon, double BundleDelta);
