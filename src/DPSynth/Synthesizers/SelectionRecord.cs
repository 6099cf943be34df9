using DPSynth.Marginals;
using DPSynth.Privacy;

namespace DPSynth.Synthesizers;

/// <summary>
/// One exponential-mechanism selection, for the manifest: which clique won among how many candidates, at which epsilon
/// and zCDP cost. Every field is a DP output or public (the candidate count depends only on the workload and the model
/// structure).
/// </summary>
/// <param name="Round">1-based round of the synthesizer (MST: 1-based edge number).</param>
/// <param name="Selected">The clique selected.</param>
/// <param name="Candidates">How many candidates were offered.</param>
/// <param name="Epsilon">The exact epsilon used (a rational rounded down).</param>
/// <param name="Sensitivity">The score sensitivity, in units of weight (max w_r).</param>
/// <param name="Rho">The zCDP cost charged, epsilon^2 / 8.</param>
public sealed record SelectionRecord(int Round, Clique Selected, int Candidates, Rational Epsilon, double Sensitivity, Rho Rho);
