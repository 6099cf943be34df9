using System.Numerics.Tensors;
using DPSynth.Data;
using DPSynth.Marginals;

namespace DPSynth.Inference;

/// <summary>
/// Private-PGM estimation: finds the graphical model whose marginals best fit noisy measurements, by mirror descent
/// on the log-potentials of the junction tree of the measured cliques (McKenna, Sheldon, Miklau, ICML 2019).
/// </summary>
/// <remarks>
/// <para>Each iteration: <c>theta &lt;- theta - alpha * dL/dmu</c> (the gradient broadcast onto maximal cliques), then
/// belief propagation gives <c>mu</c> on the count scale. Line search (L2): <c>alpha_0 = 1/total^2</c>; each iteration
/// first tries twice the last accepted step and halves until the Armijo condition
/// <c>L(old) - L(new) &gt;= 0.5 alpha &lt;dL, mu_old - mu_new&gt;</c> holds, at most 25 tries.</para>
/// <para>Difference from the reference (documented on purpose): when all 25 tries fail the reference keeps the last
/// trial anyway, so its loss can rise; here the old iterate is kept and estimation stops
/// (<see cref="EstimationResult.LineSearchFailed"/>), so the loss never increases between accepted steps.</para>
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
        if (!(Options.Tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Tolerance must be >= 0.");
        }

        if (Options.StepSize is { } step && !(step > 0 && double.IsFinite(step)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "StepSize must be positive and finite.");
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

    /// <summary>Fits a model; see <see cref="Fit"/>.</summary>
    public GraphicalModel Estimate(Domain domain, IReadOnlyList<NoisyMarginal> measurements, GraphicalModel? warmStart = null) =>
        Fit(domain, measurements, warmStart).Model;

    /// <summary>
    /// Fits a model to <paramref name="measurements"/>. With <paramref name="warmStart"/>, optimisation starts from its
    /// potentials folded into the new tree's maximal cliques (each added to the first new clique containing it;
    /// potentials contained in none are dropped, as in Private-PGM's <c>CliqueVector.combine</c>).
    /// </summary>
    public EstimationResult Fit(Domain domain, IReadOnlyList<NoisyMarginal> measurements, GraphicalModel? warmStart = null)
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

        var tree = new JunctionTree(domain, cliques, Options.Heuristic);
        var total = EstimateTotal(measurements);
        var run = new Run(tree, measurements, Options.Loss);
        if (warmStart is not null)
        {
            run.WarmStart(warmStart);
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

            if (m.Values.Length != m.Clique.CellCount(domain))
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
        private readonly BeliefPropagation bp;
        private readonly MarginalLoss loss;
        private readonly double[][] theta;
        private readonly double[][] omega;
        private readonly double[][] cliqueGradient;
        private readonly double[][] gradient;
        private Evaluation current;
        private Evaluation trial;
        private double total = 1;
        private double alpha;

        public Run(JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, MarginalLossKind kind)
        {
            this.tree = tree;
            bp = new BeliefPropagation(tree);
            loss = new MarginalLoss(tree, measurements, kind);
            theta = BeliefPropagation.NewCliqueArrays(tree);
            omega = BeliefPropagation.NewCliqueArrays(tree);
            cliqueGradient = BeliefPropagation.NewCliqueArrays(tree);
            gradient = loss.NewMeasurementArrays();
            current = new Evaluation(tree, loss);
            trial = new Evaluation(tree, loss);
        }

        public double CurrentLoss => current.Loss;

        public void WarmStart(GraphicalModel previous)
        {
            foreach (var f in previous.Potentials)
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
        }

        /// <summary>Sets the total, runs belief propagation on the current potentials and evaluates the loss.</summary>
        public void Start(double estimatedTotal, double? stepSize)
        {
            total = estimatedTotal;
            alpha = stepSize ?? 1.0 / (total * total);
            Calibrate(theta, current);
            current.Loss = loss.Loss(current.Projections);
        }

        /// <summary>One iteration; returns false when the line search failed (the old iterate is then kept).</summary>
        public bool Step(double? fixedStep)
        {
            loss.Gradient(current.Projections, gradient);
            loss.Broadcast(gradient, cliqueGradient);
            for (var c = 0; c < theta.Length; c++)
            {
                theta[c].AsSpan().CopyTo(omega[c]);
            }

            var step = fixedStep ?? 2 * alpha;
            for (var h = 0; h < MaxHalvings; h++)
            {
                TakeStep(step);
                Calibrate(theta, trial);
                trial.Loss = loss.LossAndDot(trial.Projections, gradient, current.Projections, out var dot);
                if (fixedStep is not null || current.Loss - trial.Loss >= 0.5 * step * dot)
                {
                    alpha = step;
                    (current, trial) = (trial, current);
                    return true;
                }

                step *= 0.5;
            }

            // No acceptable step: back to the old potentials, whose evaluation `current` still holds.
            for (var c = 0; c < theta.Length; c++)
            {
                omega[c].AsSpan().CopyTo(theta[c]);
            }

            return false;
        }

        public EstimationResult Optimise(MirrorDescentOptions options, double estimatedTotal)
        {
            Start(estimatedTotal, options.StepSize);
            var history = new List<double> { current.Loss };
            var iterations = 0;
            var failed = false;
            while (iterations < options.MaxIterations && loss.Count > 0)
            {
                iterations++;
                var before = current.Loss;
                if (!Step(options.StepSize))
                {
                    failed = true;
                    break;
                }

                history.Add(current.Loss);
                if (options.Tolerance > 0 && before - current.Loss <= options.Tolerance * before)
                {
                    break;
                }
            }

            return new EstimationResult(ToModel(), [.. history], iterations, failed);
        }

        public GraphicalModel ToModel()
        {
            var potentials = new double[theta.Length][];
            var logProbabilities = new double[theta.Length][];
            for (var c = 0; c < theta.Length; c++)
            {
                potentials[c] = (double[])theta[c].Clone();
                logProbabilities[c] = new double[current.Beliefs[c].Length];
                TensorPrimitives.Subtract(current.Beliefs[c], current.LogZ, logProbabilities[c]);
            }

            return new GraphicalModel(tree, potentials, logProbabilities, total);
        }

        private void TakeStep(double step)
        {
            // theta = omega - step * G, one fused vector pass per clique.
            for (var c = 0; c < theta.Length; c++)
            {
                TensorPrimitives.MultiplyAdd(cliqueGradient[c], -step, omega[c], theta[c]);
            }
        }

        private void Calibrate(double[][] potentials, Evaluation into)
        {
            into.LogZ = bp.Run(potentials, total, into.Beliefs, into.Mu);
            loss.Project(into.Mu, into.Projections);
        }
    }

    /// <summary>Beliefs, marginals and projections of one set of potentials (two are kept: current and trial).</summary>
    private sealed class Evaluation
    {
        public Evaluation(JunctionTree tree, MarginalLoss loss)
        {
            Beliefs = BeliefPropagation.NewCliqueArrays(tree);
            Mu = BeliefPropagation.NewCliqueArrays(tree);
            Projections = loss.NewProjections(Mu);
        }

        public double[][] Beliefs { get; }

        public double[][] Mu { get; }

        public double[][] Projections { get; }

        public double LogZ { get; set; }

        public double Loss { get; set; }
    }
}
