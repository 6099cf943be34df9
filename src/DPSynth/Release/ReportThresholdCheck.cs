namespace DPSynth.Release;

/// <summary>One release-gate threshold against the audit figure it bounds, as the internal report lists it.</summary>
/// <param name="Threshold">What is bounded (e.g. <c>distance attack AUC</c>).</param>
/// <param name="Observed">The audit figure.</param>
/// <param name="Limit">The largest value the gate accepts.</param>
/// <param name="Passed">True when the figure is at most the limit (a NaN figure fails, as in the gate).</param>
public sealed record ReportThresholdCheck(string Threshold, double Observed, double Limit, bool Passed);
