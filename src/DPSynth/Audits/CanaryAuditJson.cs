using System.Text.Json;
using DPSynth.Diagnostics;

namespace DPSynth.Audits;

/// <summary>
/// The <c>audit-canaries --json</c> document: the run's claim, the canary counts and the epsilon lower bound.
/// </summary>
/// <param name="Method">The synthesizer audited.</param>
/// <param name="Epsilon">The claimed epsilon.</param>
/// <param name="Delta">The claimed delta.</param>
/// <param name="Canaries">The number m of canaries.</param>
/// <param name="Guesses">The guesses made.</param>
/// <param name="Correct">The correct guesses.</param>
/// <param name="EpsilonLowerBound">The largest epsilon refuted at <paramref name="Confidence"/>.</param>
/// <param name="Confidence">The confidence of the bound.</param>
/// <param name="Charged">Whether the run was charged to a ledger.</param>
/// <param name="Note">When the run must be charged.</param>
public sealed record CanaryAuditJson(
    string Method, double Epsilon, double Delta, int Canaries, int Guesses, int Correct, double EpsilonLowerBound,
    double Confidence, bool Charged, string Note)
{
    /// <summary>The document for a run of <paramref name="method"/> claiming (<paramref name="epsilon"/>, <paramref name="delta"/>).</summary>
    public static CanaryAuditJson Of(string method, double epsilon, double delta, CanaryAuditResult result, bool charged)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(
            method, epsilon, delta, result.Canaries, result.Guesses, result.CorrectGuesses, result.EpsilonLowerBound,
            result.Confidence, charged, Messages.CanaryAuditChargeNotice);
    }

    /// <summary>Indented JSON, without a final newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, AuditJsonContext.Default.CanaryAuditJson);
}
