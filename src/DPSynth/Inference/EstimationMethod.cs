namespace DPSynth.Inference;

/// <summary>The optimisation algorithm of <see cref="MirrorDescentEstimator"/>.</summary>
public enum EstimationMethod
{
    /// <summary>Mirror descent with a backtracking line search (Private-PGM's <c>mirror_descent</c>).</summary>
    MirrorDescent,

    /// <summary>
    /// Accelerated mirror descent with a step search and momentum restarts (Private-PGM's
    /// <c>universal_accelerated_method</c>, tested in the entropy's own geometry); L2 loss only. See
    /// <see cref="AcceleratedMirrorDescent"/>.
    /// </summary>
    Accelerated,
}
