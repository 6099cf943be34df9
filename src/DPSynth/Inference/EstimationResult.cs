using System.Collections.Immutable;

namespace DPSynth.Inference;

/// <summary>The fitted model with a trace of the optimisation.</summary>
/// <param name="Model">The fitted model.</param>
/// <param name="LossHistory">The loss at the start and after every accepted step.</param>
/// <param name="Iterations">Iterations run (accepted steps plus a final failed line search, if any).</param>
/// <param name="LineSearchFailed">True when 25 halvings found no acceptable step and the last iterate was kept.</param>
public sealed record EstimationResult(GraphicalModel Model, ImmutableArray<double> LossHistory, int Iterations, bool LineSearchFailed);
