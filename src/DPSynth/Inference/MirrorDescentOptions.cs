namespace DPSynth.Inference;

/// <summary>Settings of <see cref="MirrorDescentEstimator"/>. Immutable; validated by the estimator's constructor.</summary>
public sealed record MirrorDescentOptions
{
    /// <summary>Maximum number of mirror-descent iterations (Private-PGM's default is 1000).</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>
    /// Stop when an accepted step lowers the loss by at most <c>Tolerance * loss</c>. 0 (the default, as in the
    /// reference) runs all <see cref="MaxIterations"/> unless the line search fails.
    /// </summary>
    public double Tolerance { get; init; }

    /// <summary>The loss; <see cref="MarginalLossKind.L2"/> by default.</summary>
    public MarginalLossKind Loss { get; init; } = MarginalLossKind.L2;

    /// <summary>
    /// A fixed step size: no line search, every step is taken. Required with <see cref="MarginalLossKind.L1"/>;
    /// null (the default) means the backtracking line search.
    /// </summary>
    public double? StepSize { get; init; }

    /// <summary>The triangulation heuristic of the junction tree.</summary>
    public EliminationHeuristic Heuristic { get; init; } = EliminationHeuristic.MinWeight;
}
