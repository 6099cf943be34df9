using System.Collections.Immutable;

namespace DPSynth.Inference;

/// <summary>The fitted model with a trace of the optimisation.</summary>
/// <param name="Model">The fitted model.</param>
/// <param name="LossHistory">The loss at the start and after every accepted step.</param>
/// <param name="Iterations">Iterations run (accepted steps plus a final failed line search, if any).</param>
/// <param name="LineSearchFailed">True when 25 halvings found no acceptable step and the last iterate was kept.</param>
/// <param name="StoppedByTolerance">True when <see cref="MirrorDescentOptions.Tolerance"/> stopped the fit before
/// <see cref="MirrorDescentOptions.MaxIterations"/>.</param>
/// <param name="StepSize">The last accepted step size alpha (the starting one if no step was taken); pass it as
/// <see cref="MirrorDescentOptions.InitialStepSize"/> to continue from this model without the step-size ramp.</param>
public sealed record EstimationResult(
    GraphicalModel Model, ImmutableArray<double> LossHistory, int Iterations, bool LineSearchFailed, bool StoppedByTolerance,
    double StepSize);
