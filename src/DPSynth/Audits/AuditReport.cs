namespace DPSynth.Audits;

/// <summary>
/// Every audit figure of one synthetic table. Computed from the raw train and holdout rows without DP: internal, never
/// part of a public release unless a policy opts in (docs/audits.md).
/// </summary>
/// <param name="TrainRows">Number of train rows (private).</param>
/// <param name="HoldoutRows">Number of holdout rows (private).</param>
/// <param name="SyntheticRows">Number of synthetic rows.</param>
/// <param name="Dcr">Distance-to-closest-record figures.</param>
/// <param name="ExactMatches">Exact-match rate and its holdout baseline.</param>
/// <param name="DistanceAttack">The distance membership-inference attack.</param>
/// <param name="DensityAttack">The density-ratio (DOMIAS-style) membership-inference attack.</param>
/// <param name="DistanceIsExact">False when the distance rounds ordered columns (see <see cref="GowerDistance.IsExact"/>).</param>
public sealed record AuditReport(
    int TrainRows,
    int HoldoutRows,
    int SyntheticRows,
    DistanceToClosestRecord Dcr,
    ExactMatches ExactMatches,
    AttackResult DistanceAttack,
    AttackResult DensityAttack,
    bool DistanceIsExact);
