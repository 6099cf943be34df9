namespace DPSynth.Synthesizers;

/// <summary>
/// A progress report of a running synthesizer, for the operator's console. Every field is public information or a DP
/// output (the model size depends only on the selected cliques).
/// </summary>
/// <param name="Method">aim, mst or mwem.</param>
/// <param name="Phase">What is happening: "1-way", "round", "select", "measure", "final estimate", "sample".</param>
/// <param name="Round">1-based round, or 0 outside the loop.</param>
/// <param name="PlannedRounds">The rounds the budget was sized for (AIM: T; the loop may stop earlier or later).</param>
/// <param name="RhoUsed">rho charged so far (rounded up, for display).</param>
/// <param name="Rho">The whole budget (for display).</param>
/// <param name="ModelMegabytes">Size of the model's junction tree in MiB of doubles.</param>
/// <param name="Loss">The estimator's final loss on the noisy measurements (a DP output), or NaN when no fit ran.</param>
public sealed record SynthesisProgress(
    string Method, string Phase, int Round, int PlannedRounds, double RhoUsed, double Rho, double ModelMegabytes, double Loss)
{
    /// <summary>The iterations of the fit this report follows (0 when no fit ran); it shows where a long run spends its time.</summary>
    public int Iterations { get; init; }
}
