namespace DPSynth.Audits;

/// <summary>The outcome of a one-run canary audit.</summary>
/// <param name="Canaries">The number m of canaries.</param>
/// <param name="Included">How many canaries the coins put into the synthesizer's input (internal).</param>
/// <param name="Guesses">r = k+ + k-, the number of guesses made.</param>
/// <param name="CorrectGuesses">v, the number of correct guesses.</param>
/// <param name="EpsilonLowerBound">
/// The largest epsilon refuted at <paramref name="Confidence"/>: if the synthesizer were (epsilon, delta)-DP with a
/// smaller epsilon, so many correct guesses would happen with probability below 1 - confidence.
/// </param>
/// <param name="Confidence">The confidence of the bound.</param>
/// <param name="Delta">The claimed delta used in the bound.</param>
public sealed record CanaryAuditResult(
    int Canaries, int Included, int Guesses, int CorrectGuesses, double EpsilonLowerBound, double Confidence, double Delta);
