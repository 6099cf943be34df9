namespace DPSynth.Audits;

/// <summary>
/// Independent biased coins for the audits' own randomness (the train/holdout split, canary inclusion). A seam so that
/// production uses the CSPRNG and tests can use a seeded source.
/// </summary>
internal interface ICoinSource
{
    /// <summary>True with probability <paramref name="probability"/>, independently of every other call.</summary>
    bool Flip(double probability);
}
