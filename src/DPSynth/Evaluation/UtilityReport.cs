namespace DPSynth.Evaluation;

/// <summary>
/// Utility of a synthetic table against the real one: the mean total variation distance over all 1-, 2- and 3-way
/// marginals (the metric of <c>../shared/data/adult/README.md</c>; the reference scripts' "Average Error").
/// </summary>
/// <param name="Rows">Rows of the synthetic table.</param>
/// <param name="OneWay">Mean TVD over all 1-way marginals.</param>
/// <param name="TwoWay">Mean TVD over all 2-way marginals (NaN with fewer than 2 columns).</param>
/// <param name="ThreeWay">Mean TVD over all 3-way marginals (NaN with fewer than 3 columns).</param>
/// <remarks>
/// Computed from the real rows without noise: an internal figure for the data custodian, never part of a release
/// (privacy-details.md section 7, point 5).
/// </remarks>
public sealed record UtilityReport(long Rows, double OneWay, double TwoWay, double ThreeWay);
