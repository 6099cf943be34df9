using DPSynth.Marginals;
using DPSynth.Privacy;

namespace DPSynth.Synthesizers;

/// <summary>
/// One discrete Gaussian measurement of a marginal, for the manifest: the clique, the per-cell noise scale and the zCDP
/// cost charged (1 / (2 sigma^2) for the sensitivity-1 count vector).
/// </summary>
/// <param name="Round">1-based round (0 for the initial 1-way measurements; MST: its phase, 1 or 3).</param>
/// <param name="Clique">The clique measured (on the compressed domain for MST; same attribute indices).</param>
/// <param name="SigmaSquared">The exact noise scale sigma^2 of each cell (rounded up).</param>
/// <param name="Rho">The zCDP cost charged.</param>
/// <param name="Coarsening">The public coarsening measured (AIM's coarse candidates), or null for the clique's own cells.</param>
public sealed record MeasurementRecord(int Round, Clique Clique, Rational SigmaSquared, Rho Rho, Coarsening? Coarsening = null)
{
    /// <summary>The noise scale sigma, for display.</summary>
    public double Sigma => Math.Sqrt(SigmaSquared.ToDouble());
}
