namespace DPSynth.Audits;

/// <summary>The fixed parameters of a one-run canary audit; all of them must be chosen before looking at any result.</summary>
/// <param name="Canaries">The number m of canary rows (default 200).</param>
/// <param name="GuessesIn">k+: how many of the highest-scoring canaries are guessed "in" (default 50).</param>
/// <param name="GuessesOut">k-: how many of the lowest-scoring canaries are guessed "out" (default 50).</param>
/// <param name="Delta">The synthesizer's claimed delta (default 1e-9).</param>
/// <param name="Confidence">The confidence of the lower bound (default 0.95).</param>
/// <remarks>
/// With r = k+ + k- guesses the largest bound the audit can give is <c>logit(0.05^(1/r))</c> at 95%: 3.49 for the
/// default r = 100. The audit abstains on the middle canaries because the number included is random, so guessing all
/// m would make even a copying mechanism err.
/// </remarks>
public sealed record CanaryAuditOptions(
    int Canaries = 200, int GuessesIn = 50, int GuessesOut = 50, double Delta = 1e-9, double Confidence = 0.95)
{
    /// <summary>The defaults.</summary>
    public static CanaryAuditOptions Default { get; } = new();
}
