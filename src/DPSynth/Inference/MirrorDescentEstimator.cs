using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// Private-PGM estimation: finds the graphical model whose marginals best fit noisy measurements, by mirror descent
/// on the log-potentials of the junction tree of the measured cliques (McKenna, Sheldon, Miklau, ICML 2019).
/// </summary>
/// <remarks>
/// <para>Each iteration: <c>theta &lt;- theta - alpha * dL/dmu</c> (the gradient broadcast onto maximal cliques), then
/// belief propagation gives <c>mu</c> on the count scale. Line search (L2): <c>alpha_0 = 1/total^2</c>; each iteration
/// first tries a longer step than the last accepted one and halves until the Armijo condition
/// <c>L(old) - L(new) &gt;= 0.5 alpha &lt;dL, mu_old - mu_new&gt;</c> holds, at most 25 tries.</para>
/// <para>Differences from the reference (documented on purpose): a trial is accepted only if the loss also does not
/// rise (Armijo alone accepts a rise when <c>&lt;dL, mu_old - mu_new&gt;</c> is negative); and when all 25 tries fail the
/// reference keeps the last trial anyway, so its loss can rise, while here the old iterate is kept and estimation
/// stops (<see cref="EstimationResult.LineSearchFailed"/>). So the loss never increases between accepted steps. With
/// a fixed step (L1) every step is taken and neither holds. And the first try is twice the last step only until the
/// search first shortens a step (also when the step was carried from a previous fit); from then on it is 1.1 times the
/// last step, the rule of the reference's accelerated method. Doubling every iteration makes about every other
/// iteration pay for a rejected trial: on the 3-way chain 600 iterations took 1178 belief propagations with doubling
/// and 682 with this rule, which reached the same loss in about 60% of the time (docs/benchmarks.md).</para>
/// <para>Two options go beyond the reference, both off by default: early stopping when the model stops moving on the
/// scale of the measurement noise (<see cref="MirrorDescentOptions.Tolerance"/>), and a starting step other than
/// <c>1/total^2</c> (<see cref="MirrorDescentOptions.InitialStepSize"/>, to continue a warm start from the previous
/// fit's <see cref="EstimationResult.StepSize"/>).</para>
/// <para>The total is estimated from the measurements, never from the true row count: see
/// <see cref="EstimateTotal"/>.</para>
/// </remarks>
public sealed class MirrorDescentEstimator
{
    /// <summary>Tries per iteration of the backtracking line search.</summary>
    public const int MaxHalvings = 25;

    /// <summary>Creates an estimator; <paramref name="options"/> defaults to <see cref="MirrorDescentOptions"/>'s defaults.</summary>
    public MirrorDescentEstimator(MirrorDescentOptions? options = null)
    {
        Options = options ?? new MirrorDescentOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.MaxIterations, nameof(options));
        if (!(Options.Tolerance >= 0 && double.IsFinite(Options.Tolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Tolerance must be finite and >= 0.");
        }

        if (Options.ToleranceWindow < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ToleranceWindow must be at least 1.");
        }

        if (Options.InitialStepSize is { } initial && !(initial > 0 && double.IsFinite(initial)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "InitialStepSize must be positive and finite.");
        }

        if (Options.StepSize is { } step && !(step > 0 && double.IsFinite(step)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "StepSize must be positive and finite.");
        }

        if (!(Options.LossTolerance >= 0 && double.IsFinite(Options.LossTolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "LossTolerance must be finite and >= 0.");
        }

        if (Options.Method == EstimationMethod.Accelerated && (Options.Loss != MarginalLossKind.L2 || Options.StepSize is not null))
        {
            throw new ArgumentException("The accelerated method needs the L2 loss and its own step search (no fixed StepSize).", nameof(options));
        }

        if (Options.Loss == MarginalLossKind.L1 && Options.StepSize is null)
        {
            throw new ArgumentException("The L1 loss needs a fixed StepSize (it has no line search).", nameof(options));
        }
    }

    /// <summary>The settings.</summary>
    public MirrorDescentOptions Options { get; }

    /// <summary>
    /// The number of rows implied by the measurements: each gives <c>est_i = sum y_i</c> with variance
    /// <c>var_i = sum of its cell variances</c> (<c>sigma_i^2 * cells(r_i)</c>), and
    /// <c>total = max(1, sum(est_i/var_i) / sum(1/var_i))</c>; 1 with no measurements.
    /// </summary>
    public static double EstimateTotal(IReadOnlyList<NoisyMarginal> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        double weighted = 0, weights = 0;
        foreach (var m in measurements)
        {
            var (estimate, variance) = m.TotalEstimate();
            weighted += estimate / variance;
            weights += 1 / variance;
        }

        return weights > 0 ? Math.Max(1.0, weighted / weights) : 1.0;
    }

    /// <summary>Fits a model; see <see cref="Fit(DPSynth.Schema.Domain, IReadOnlyList{NoisyMarginal}, GraphicalModel?, StructuralZeros?)"/>.</summary>
    public GraphicalModel Estimate(
        Domain domain, IReadOnlyList<NoisyMarginal> measurements, GraphicalModel? warmStart = null, StructuralZeros? zeros = null) =>
        Fit(domain, measurements, warmStart, zeros).Model;

    /// <summary>
    /// Fits a model to <paramref name="measurements"/>. With <paramref name="warmStart"/>, optimisation starts from its
    /// potentials folded into the new tree's maximal cliques (each added to the first new clique containing it;
    /// potentials contained in none are dropped, as in Private-PGM's <c>CliqueVector.combine</c>). With
    /// <paramref name="zeros"/>, their cliques join the tree and every forbidden cell keeps a log-potential of
    /// <c>-inf</c> from start to end: no step of mirror descent can give it mass again (a step adds a finite amount).
    /// </summary>
    public EstimationResult Fit(
        Domain domain, IReadOnlyList<NoisyMarginal> measurements, GraphicalModel? warmStart = null, StructuralZeros? zeros = null) =>
        Fit(domain, measurements, warmStart, zeros, null);

    /// <summary>
    /// <see cref="Fit(Domain, IReadOnlyList{NoisyMarginal}, GraphicalModel?, StructuralZeros?)"/> starting from
    /// <paramref name="warmStart"/> plus the log-potential <paramref name="step"/> on a measured clique (e.g. a
    /// <see cref="ProportionalStep"/> toward a new measurement); the step is ignored without a warm start.
    /// </summary>
    public EstimationResult Fit(
        Domain domain, IReadOnlyList<NoisyMarginal> measurements, GraphicalModel? warmStart, StructuralZeros? zeros, Factor? step)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(measurements);
        Validate(domain, measurements);
        if (warmStart is not null && !warmStart.Domain.Equals(domain))
        {
            throw new ArgumentException("The warm-start model is over another domain.", nameof(warmStart));
        }

        var cliques = new List<Clique>(measurements.Count);
        foreach (var m in measurements)
        {
            cliques.Add(m.Clique);
        }

        zeros ??= StructuralZeros.None;
        cliques.AddRange(zeros.Cliques);
        var tree = new JunctionTree(domain, cliques, Options.Heuristic);
        var total = EstimateTotal(measurements);
        if (Options.Method == EstimationMethod.Accelerated)
        {
            var accelerated = new AcceleratedMirrorDescent(tree, measurements, zeros);
            if (warmStart is not null)
            {
                accelerated.WarmStart(warmStart, step);
            }

            return accelerated.Optimise(Options, total);
        }

        var run = new Run(tree, measurements, Options.Loss, zeros);
        if (warmStart is not null)
        {
            run.WarmStart(step is null ? warmStart.Potentials : warmStart.Potentials.Plus(step));
        }

        return run.Optimise(Options, total);
    }

    private static void Validate(Domain domain, IReadOnlyList<NoisyMarginal> measurements)
    {
        foreach (var m in measurements)
        {
            ArgumentNullException.ThrowIfNull(m, nameof(measurements));
            if (m.Clique.Count > 0 && m.Clique[m.Clique.Count - 1] >= domain.Count)
            {
                throw new ArgumentException($"Measurement {m.Clique} names an attribute outside the domain.", nameof(measurements));
            }

            if (m.Coarsening is { } coarse)
            {
                for (var p = 0; p < m.Clique.Count; p++)
                {
                    if (coarse.Sizes[p] != domain.Size(m.Clique[p]))
                    {
                        throw new ArgumentException($"Measurement {m.Clique}'s coarsening {coarse} does not fit the domain.", nameof(measurements));
                    }
                }
            }
            else if (m.Values.Length != m.Clique.CellCount(domain))
            {
                throw new ArgumentException(
                    $"Measurement {m.Clique} has {m.Values.Length} values for {m.Clique.CellCount(domain)} cells.", nameof(measurements));
            }
        }
    }

    /// <summary>
    /// The state of one estimation: every buffer is allocated once here, so an iteration allocates nothing.
    /// Internal so the benchmarks can time single iterations.
    /// </summary>
    internal sealed class Run
    {
        private readonly JunctionTree tree;
        private readonly IReadOnlyList<NoisyMarginal> measurements;
        private readonly BeliefPropagation bp;
        private readonly MarginalLoss loss;
        private readonly int[][] forbidden;
        private double[][] theta;
        private double[][] omega;
        private readonly double[][] cliqueGradient;
        private readonly double[][] gradient;
        private readonly double[][] partial;

        /// <summary>Per clique, its step as belief propagation's first pass over it writes it, where it can (see
        /// <see cref="TakeStep"/>), else null; and the trial's steps handed to belief propagation.</summary>
        private readonly GradientStepPotentials?[] stepPotentials;
        private readonly PotentialStep?[] steps;
        private Evaluation current;
        private Evaluation trial;
        private double total = 1;
        private double alpha;
        private bool onScale;
        private bool taken;

        public Run(JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, MarginalLossKind kind, StructuralZeros? zeros = null)
        {
            this.measurements = measurements;
            this.tree = tree;
            bp = new BeliefPropagation(tree);
            loss = new MarginalLoss(tree, measurements, kind);
            theta = BeliefPropagation.NewCliqueArrays(tree);
            omega = BeliefPropagation.NewCliqueArrays(tree);
            cliqueGradient = BeliefPropagation.NewCliqueArrays(tree);
            gradient = loss.NewGradientWorkspace();
            partial = BeliefPropagation.NewCliqueArrays(tree);
            current = new Evaluation(tree, loss);
            trial = new Evaluation(tree, loss);
            forbidden = (zeros ?? StructuralZeros.None).ForbiddenCells(tree);
            StructuralZeros.Apply(forbidden, theta);
            stepPotentials = new GradientStepPotentials?[theta.Length];
            steps = new PotentialStep?[theta.Length];
            for (var c = 0; c < theta.Length; c++)
            {
                // A clique with forbidden cells is stepped in a pass of its own, so its zeros are set again before it is read.
                if (loss.HasOnlyFusedGradient(c) && forbidden[c].Length == 0)
                {
                    stepPotentials[c] = loss.StepPotentials(c);
                }
            }
        }

        public double CurrentLoss => current.Loss;

        /// <summary>Belief-propagation runs so far (one per line-search trial, plus the start).</summary>
        public long Evaluations { get; private set; }

        /// <summary>Calls of <see cref="Step"/> so far.</summary>
        public long Steps { get; private set; }

        /// <summary>The last accepted step size (the line search's starting point before any step).</summary>
        public double StepSize => alpha;

        /// <summary>Halvings in the last call of <see cref="Step"/> (0 when its first trial was accepted).</summary>
        public int LastHalvings { get; private set; }

        public void WarmStart(CliqueVector potentials)
        {
            foreach (var f in potentials)
            {
                for (var i = 0; i < tree.MaximalCliques.Length; i++)
                {
                    if (f.Clique.IsSubsetOf(tree.MaximalCliques[i]))
                    {
                        Kernels.FactorKernels.AddExpanded(
                            theta[i], Kernels.IndexMap.Create(tree.Domain, tree.MaximalCliques[i], f.Clique), f.Values);
                        break;
                    }
                }
            }

            // The previous model may have been fitted without these zeros, or folded them elsewhere: set them again.
            StructuralZeros.Apply(forbidden, theta);
        }

        /// <summary>
        /// Sets the total and the line search's starting step (<paramref name="initialStep"/>, else
        /// <c>1/total^2</c>), runs belief propagation on the current potentials and evaluates the loss.
        /// </summary>
        public void Start(double estimatedTotal, double? initialStep)
        {
            total = estimatedTotal;
            alpha = initialStep ?? 1.0 / (total * total);
            onScale = false;
            Calibrate(theta, current);
            current.Loss = loss.Loss(current.Projections);
        }

        /// <summary>One iteration; returns false when the line search failed (the old iterate is then kept).</summary>
        public bool Step(double? fixedStep)
        {
            ObjectDisposedException.ThrowIf(taken, this);
            Steps++;
            // Cliques whose gradient is their own measurement's alone take it inside the step and the Armijo pass.
            loss.CliqueGradient(current.Projections, gradient, cliqueGradient, skipOnlyFused: true);
            // The current potentials become the origin of the line search; theta is overwritten by every trial.
            (theta, omega) = (omega, theta);
            // Doubling while the step ramps up from alpha_0; once a trial has been rejected the step is on its scale and
            // grows by 1.1, so that most iterations take their first trial.
            var step = fixedStep ?? (onScale ? 1.1 : 2) * alpha;
            for (var h = 0; h < MaxHalvings; h++)
            {
                LastHalvings = h;
                TakeStep(step);
                Calibrate(theta, trial, steps);
                trial.Loss = loss.LossAndDot(trial.Mu, trial.Projections, cliqueGradient, current.Mu, out var dot, onlyFusedSkipped: true);
                // Armijo as in the reference, plus "no increase": when <dL, mu_old - mu_new> is negative (a long step,
                // or rounding near convergence) Armijo alone would accept a higher loss.
                var decrease = current.Loss - trial.Loss;
                if (fixedStep is not null || (decrease >= 0.5 * step * dot && decrease >= 0))
                {
                    alpha = step;
                    (current, trial) = (trial, current);
                    return true;
                }

                step *= 0.5;
                onScale = true;
            }

            // No acceptable step: back to the old potentials, whose evaluation `current` still holds.
            (theta, omega) = (omega, theta);
            LastHalvings = MaxHalvings;

            return false;
        }

        public EstimationResult Optimise(MirrorDescentOptions options, double estimatedTotal)
        {
            Start(estimatedTotal, options.StepSize ?? options.InitialStepSize);
            var history = new List<double> { current.Loss };
            var iterations = 0;
            var failed = false;
            var converged = false;
            // With a fixed step there is no line search and no ramp: the first windows open at the start.
            var test = options.Tolerance > 0 ? new MovementTest(loss, measurements, options.ToleranceWindow) : null;
            var lossTest = options.LossTolerance > 0 ? new LossTest(measurements, options.LossTolerance, options.ToleranceWindow) : null;
            if (options.StepSize is not null)
            {
                test?.Open(current.Projections);
                lossTest?.Open(current.Loss);
            }

            while (iterations < options.MaxIterations && loss.Count > 0)
            {
                iterations++;
                if (!Step(options.StepSize))
                {
                    failed = true;
                    break;
                }

                history.Add(current.Loss);

                // The first windows open after the first step the line search had to shorten. Until then every step is
                // the doubling of one that was too small (from alpha_0 = 1/total^2 the ramp takes about 30 iterations),
                // so how far the model moves measures the step size, not the distance to the optimum.
                if (StoppingRules.Check(test, lossTest, LastHalvings > 0, current.Projections, current.Loss, options))
                {
                    converged = true;
                    break;
                }
            }

            return new EstimationResult(TakeModel(), [.. history], iterations, failed, converged, alpha);
        }

        /// <summary>
        /// The fitted model, which takes over the potentials and marginals (no copies: at the end of a fit of an 80 MB
        /// model two copies were 160 MB on top of the run's six working arrays). The run cannot step afterwards.
        /// </summary>
        public GraphicalModel TakeModel()
        {
            ObjectDisposedException.ThrowIf(taken, this);
            taken = true;
            return new GraphicalModel(tree, theta, current.Mu, total);
        }

        private void TakeStep(double step)
        {
            // theta = omega - step * G, one fused vector pass per clique; where G is the clique's own measurement's
            // alone it is computed in that pass, not read, and where belief propagation can, in its first pass over the
            // clique, so theta is not read back from memory (the chain's two largest cliques).
            for (var c = 0; c < theta.Length; c++)
            {
                steps[c] = stepPotentials[c]?.For(current.Mu[c], omega[c], step, theta[c]);
                if (steps[c] is not null)
                {
                    continue;
                }

                if (loss.HasOnlyFusedGradient(c))
                {
                    loss.StepAt(c, current.Mu[c], omega[c], step, theta[c]);
                }
                else
                {
                    Kernels.FactorKernels.Step(omega[c], step, cliqueGradient[c], theta[c]);
                }
            }

            // -inf minus a finite step is -inf already; setting it again costs a pass over the forbidden cells only and
            // makes the zeros independent of how the step is computed.
            StructuralZeros.Apply(forbidden, theta);
        }

        private void Calibrate(double[][] potentials, Evaluation into, PotentialStep?[]? potentialSteps = null)
        {
            Evaluations++;
            into.LogZ = bp.Run(potentials, total, partial, into.Mu, potentialSteps);
            loss.Project(into.Mu, into.Projections);
        }
    }

    /// <summary>Marginals and projections of one set of potentials (two are kept: current and trial).</summary>
    private sealed class Evaluation
    {
        public Evaluation(JunctionTree tree, MarginalLoss loss)
        {
            Mu = BeliefPropagation.NewCliqueArrays(tree);
            Projections = loss.NewProjections(Mu);
        }

        public double[][] Mu { get; }

        public double[][] Projections { get; }

        public double LogZ { get; set; }

        public double Loss { get; set; }
    }
}
