namespace DPSynth.Policies;

/// <summary>One row of <c>dpsynth run</c>'s summary.</summary>
/// <param name="PolicyPath">The policy file.</param>
/// <param name="DatasetId">The dataset id, or null when the policy did not load.</param>
/// <param name="Status">How the run ended.</param>
/// <param name="EpsilonSpent">The epsilon charged by this run (0 when nothing was charged; the planned figure for a dry run).</param>
/// <param name="Audit">The gate's verdict (<c>pass</c>, <c>fail</c>), or <c>-</c> when no audit ran.</param>
/// <param name="Output">The bundle (or the insecure output folder), or null.</param>
/// <param name="Message">What happened, for the operator (may name private facts: console only).</param>
public sealed record PolicyRunResult(
    string PolicyPath, string? DatasetId, RunStatus Status, double EpsilonSpent, string Audit, string? Output, string Message);
