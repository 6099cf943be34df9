namespace DPSynth.Inference;

/// <summary>Settings of <see cref="MirrorDescentEstimator"/>. Immutable; validated by the estimator's constructor.</summary>
public sealed record MirrorDescentOptions
{
    /// <summary>Maximum number of mirror-descent iterations (Private-PGM's default is 1000).</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>
    /// Early stopping: stop when, over the last <see cref="ToleranceWindow"/> accepted steps, no measured marginal moved
    /// by more than <c>Tolerance</c> times the expected L1 size of its noise, <c>sqrt(2/pi) sum_cells sigma</c>. 0 (the
    /// default, as in the reference) runs all <see cref="MaxIterations"/> unless the line search fails.
    /// </summary>
    /// <remarks>
    /// <para>The test runs once per window: it compares each measurement's projection of the model with the one at the
    /// previous check. The first window opens after the first step the line search had to shorten, so at least <see
    /// cref="ToleranceWindow"/> iterations run after that. Before it, every step is the doubling of a step that was too
    /// small (from <c>alpha_0 = 1/total^2</c> the ramp takes about 30 iterations) and the progress measures the step
    /// size, not the distance to the optimum. That is why this option's earlier rule, a single accepted step that lowered
    /// the loss by at most <c>Tolerance * loss</c>, stopped every warm-started fit after its first iteration: on AIM's
    /// rounds that step's relative decrease was 1e-11 to 4e-8. With a fixed <see cref="StepSize"/> the first window opens
    /// at the start.</para>
    /// <para>The unit is the measurement's own noise, the scale on which AIM's selection and annealing compare
    /// marginals. A test on the loss is a poor substitute here:
    /// after the first few hundred iterations the loss keeps falling by about 0.1% of itself per 50 iterations (slow
    /// drift of small cells) while the marginals move by a few hundredths of the noise.</para>
    /// </remarks>
    public double Tolerance { get; init; }

    /// <summary>The number of accepted steps between two tests of <see cref="Tolerance"/>; 50.</summary>
    public int ToleranceWindow { get; init; } = 50;

    /// <summary>
    /// The line search's starting step alpha (its first trial is twice this); null (the default, as in the reference)
    /// means <c>1/total^2</c>. A warm-started fit can pass the previous fit's <see cref="EstimationResult.StepSize"/>
    /// to skip the ramp from <c>1/total^2</c> (post-processing: it changes only where the optimisation starts).
    /// </summary>
    public double? InitialStepSize { get; init; }

    /// <summary>The loss; <see cref="MarginalLossKind.L2"/> by default.</summary>
    public MarginalLossKind Loss { get; init; } = MarginalLossKind.L2;

    /// <summary>
    /// A fixed step size: no line search, every step is taken. Required with <see cref="MarginalLossKind.L1"/>;
    /// null (the default) means the backtracking line search.
    /// </summary>
    public double? StepSize { get; init; }

    /// <summary>
    /// Early stopping on the loss: stop when, over the last <see cref="ToleranceWindow"/> accepted steps, the loss fell
    /// by at most <c>LossTolerance * sqrt(n / 2)</c>, where <c>n</c> is the number of measured cells (the standard
    /// deviation of the L2 loss at the true marginals: a decrease far below it is below the loss's own sampling noise).
    /// 0 (the default) turns it off. The first window opens as for <see cref="Tolerance"/>.
    /// </summary>
    public double LossTolerance { get; init; }

    /// <summary>The algorithm; <see cref="EstimationMethod.MirrorDescent"/> (the reference's) by default.</summary>
    public EstimationMethod Method { get; init; } = EstimationMethod.MirrorDescent;

    /// <summary>The triangulation heuristic of the junction tree.</summary>
    public EliminationHeuristic Heuristic { get; init; } = EliminationHeuristic.MinWeight;
}
