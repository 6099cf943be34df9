using System.Numerics;
using System.Numerics.Tensors;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;

namespace DPSynth.Inference;

/// <summary>
/// Accelerated mirror descent with a step search (<see cref="EstimationMethod.Accelerated"/>): Tseng's accelerated
/// proximal gradient method in the Bregman geometry of the model's entropy, with Nesterov's universal step search, as in
/// current Private-PGM's <c>universal_accelerated_method</c> (Roulet and d'Aspremont, "Sharpness, Restart and
/// Acceleration", Algorithm 2), plus a function-value restart. Internal so the benchmarks can time single steps.
/// </summary>
/// <remarks>
/// <para>State: the primal iterate <c>x</c> (clique marginals on the count scale), the mirror iterate <c>z = mu(u)</c>
/// (the marginals of the potentials <c>u</c>, from belief propagation), the step <c>eta</c> and the momentum weight
/// <c>t</c>. One step: <c>t</c> solves <c>(1 - t) / t^2 = eta_prev / (eta t_prev^2)</c> (1 after a restart);
/// <c>y = (1 - t) x + t z</c>; <c>u+ = u - (eta / t) grad L(y)</c>; <c>z+ = mu(u+)</c> (one belief propagation);
/// <c>x+ = (1 - t) x + t z+</c>. The loss is a function of the marginals only, so <c>x</c> and <c>y</c>, convex
/// combinations of marginals, cost no belief propagation; the only one per trial is for <c>z+</c>.</para>
/// <para>The step is accepted when <c>L(x+) &lt;= L(y) + t &lt;g, z+ - z&gt; + (t^2 / eta) D(z+, z)</c>, where
/// <c>D(a, b) = total KL(P_a || P_b)</c> is the Bregman divergence of the count-scale entropy: exactly the inequality the
/// convergence proof of the accelerated method uses (so an accepted sequence keeps its <c>O(1/k^2)</c> rate), tested
/// directly instead of through a norm (the reference tests the Euclidean descent lemma). The L2 loss is quadratic and
/// <c>x+ - y = t (z+ - z)</c>, so <c>L(x+) = L(y) + t &lt;g, z+ - z&gt; + t^2 Q(z+ - z)</c> with <c>Q</c> the loss's
/// quadratic part (<see cref="MarginalLoss.Quadratic"/>), and the test is <c>eta Q(z+ - z) &lt;= D(z+, z)</c>: no
/// difference of two losses, so no cancellation when the step is small. <c>D</c> is summed over cliques and separators
/// (<see cref="Divergence"/>). A rejected trial halves <c>eta</c>; an accepted one doubles it until the first
/// rejection, then multiplies it by 1.1 (the reference's rule).</para>
/// <para>The method is not monotone: when an accepted step raises the loss, the momentum restarts (O'Donoghue and
/// Candes): <c>z</c> becomes <c>x</c>, with potentials read off <c>x</c> (<see cref="LogMarginalPotentials"/>), and the
/// next step is a plain mirror-descent step from there.</para>
/// <para>The fitted model is <c>x</c> itself. A convex combination of calibrated marginals on one junction tree is
/// calibrated, so it is the marginal vector of exactly one model on that tree, with potentials
/// <c>log x_C - log x_S</c> (<see cref="LogMarginalPotentials"/>); no further fit is needed (the reference fits them
/// with 250 L-BFGS iterations).</para>
/// <para>Starting step: <c>eta_0 = 1 / sum_i (total / sigma_i^2)</c>, a bound on the loss's smoothness relative to the
/// entropy (<c>||P d||_2^2 &lt;= ||d||_1^2 &lt;= 2 total D</c>), so the first trial is accepted; a warm start passes
/// the previous fit's step instead.</para>
/// </remarks>
internal sealed class AcceleratedMirrorDescent
{
    /// <summary>Potentials of cells whose marginal is 0 but that are not structural zeros: finite, so a later step can
    /// give them mass again, and far below any probability a double holds (<c>exp(-800) = 0</c>).</summary>
    private const double EmptyCellPotential = -800;

    private readonly JunctionTree tree;
    private readonly IReadOnlyList<NoisyMarginal> measurements;
    private readonly BeliefPropagation bp;
    private readonly MarginalLoss loss;
    private readonly int[][] forbidden;
    private readonly double[][] gradient;
    private readonly double[][] workspace;
    private readonly double[][] partial;
    private readonly double[][] separatorsOfA;
    private readonly double[][] separatorsOfB;

    /// <summary>Per clique, the divergence's sum of squared differences for the quadratic (see <see cref="Divergence"/>).</summary>
    private readonly double[] cliqueSquares;
    private readonly double[] partials;

    /// <summary>Per clique, its step as belief propagation's first pass over it writes it, where it can, else null; and
    /// the trial's steps handed to belief propagation.</summary>
    private readonly MixGradientStepPotentials?[] stepPotentials;
    private readonly PotentialStep?[] steps;

    [ThreadStatic]
    private static double[]? ratioBuffer;
    /// <summary>The cliques whose <c>y</c> the gradient reads: read in place, and not stepped by <see cref="MarginalLoss.StepAtMix"/>.</summary>
    private readonly Func<int, bool> mixesY;
    private double[][] u;
    private double[][] uTrial;
    private double[][] z;
    private double[][] zTrial;
    private double[][] x;
    private double[][] y;
    private double[][] xProjections;
    private double[][] yProjections;
    private double[][] zProjections;
    private double[][] zTrialProjections;
    private double total = 1;
    private double eta;
    private double safeStep;
    private double previousEta;
    private double previousT = -1;
    private bool rejectedOnce;
    private bool restartNext;
    private bool taken;

    public AcceleratedMirrorDescent(
        JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, StructuralZeros? zeros = null)
    {
        this.tree = tree;
        this.measurements = measurements;
        bp = new BeliefPropagation(tree);
        loss = new MarginalLoss(tree, measurements, MarginalLossKind.L2);
        mixesY = c => loss.ReadsInPlace(c) && !loss.HasOnlyFusedGradient(c);
        u = BeliefPropagation.NewCliqueArrays(tree);
        uTrial = BeliefPropagation.NewCliqueArrays(tree);
        z = BeliefPropagation.NewCliqueArrays(tree);
        zTrial = BeliefPropagation.NewCliqueArrays(tree);
        x = BeliefPropagation.NewCliqueArrays(tree);
        y = BeliefPropagation.NewCliqueArrays(tree);
        xProjections = loss.NewProjections(x);
        yProjections = loss.NewProjections(y);
        zProjections = loss.NewProjections(z);
        zTrialProjections = loss.NewProjections(zTrial);
        gradient = BeliefPropagation.NewCliqueArrays(tree);
        workspace = loss.NewGradientWorkspace();
        partial = BeliefPropagation.NewCliqueArrays(tree);
        partials = new double[FactorKernels.SumPartials((int)tree.MaximalCliques.Max(c => c.CellCount(tree.Domain)))];
        separatorsOfA = [.. tree.Separators.Select(sep => new double[sep.CellCount(tree.Domain)])];
        separatorsOfB = [.. tree.Separators.Select(sep => new double[sep.CellCount(tree.Domain)])];
        cliqueSquares = new double[tree.MaximalCliques.Length];
        forbidden = (zeros ?? StructuralZeros.None).ForbiddenCells(tree);
        StructuralZeros.Apply(forbidden, u);
        stepPotentials = new MixGradientStepPotentials?[u.Length];
        steps = new PotentialStep?[u.Length];
        for (var c = 0; c < u.Length; c++)
        {
            // A clique with forbidden cells is stepped in a pass of its own, so its zeros are set again before it is read.
            if (loss.HasOnlyFusedGradient(c) && forbidden[c].Length == 0)
            {
                stepPotentials[c] = loss.MixStepPotentials(c);
            }
        }
    }

    /// <summary>The loss at the primal iterate <c>x</c>.</summary>
    public double CurrentLoss { get; private set; }

    /// <summary>Belief-propagation runs so far (one per trial, plus the start).</summary>
    public long Evaluations { get; private set; }

    /// <summary>Calls of <see cref="Step"/> so far.</summary>
    public long Steps { get; private set; }

    /// <summary>The step to try next (pass it as the next fit's <see cref="MirrorDescentOptions.InitialStepSize"/>).</summary>
    public double StepSize => eta;

    /// <summary>Rejected trials in the last call of <see cref="Step"/>.</summary>
    public int LastHalvings { get; private set; }

    /// <summary>Momentum restarts so far.</summary>
    public int Restarts { get; private set; }

    /// <summary>
    /// Starts from <paramref name="previous"/> (see <see cref="MirrorDescentEstimator.Fit(DPSynth.Schema.Domain, IReadOnlyList{NoisyMarginal}, GraphicalModel?, StructuralZeros?)"/>), plus <paramref name="step"/>
    /// (a log-potential on a measured clique) when given.
    /// </summary>
    /// <remarks>
    /// When every previous potential lies inside a maximal clique of this tree, they are folded in and the
    /// distribution is exactly the previous one. When the tree changed shape (a new clique re-triangulated the graph and
    /// some previous clique lies in no new maximal clique), folding would drop those potentials and start far from the
    /// previous model; instead the start is the junction-tree factorisation of the previous model's marginals on the new
    /// maximal cliques (<c>log mu_C - log mu_S</c>), which has the previous model's marginal on every measured clique,
    /// unless a projection's messages would exceed both this model's cells and 8 MiB
    /// (<see cref="CanProjectWithinModel"/>): then only the previous potentials inside a new maximal clique are folded in.
    /// </remarks>
    public void WarmStart(GraphicalModel previous, Factor? step = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var potentials = previous.Potentials;
        // When projecting would need messages larger than this model (9 GB where the model had 4.7M cells), the start is
        // the previous potentials that fit a maximal clique (Fold skips the others): farther from the previous model, but
        // the fit converges from any start. The rule reads only the two structures and the domain (post-processing).
        if (potentials.All(f => tree.MaximalCliques.Any(f.Clique.IsSubsetOf)) || !CanProjectWithinModel(previous, tree))
        {
            Fold(potentials);
        }
        else
        {
            var marginals = new double[tree.MaximalCliques.Length][];
            for (var i = 0; i < marginals.Length; i++)
            {
                marginals[i] = previous.Project(tree.MaximalCliques[i]);
            }

            LogMarginalPotentials(marginals, u);
        }

        if (step is not null)
        {
            Fold([step]);
        }

        StructuralZeros.Apply(forbidden, u);
    }

    /// <summary>
    /// Messages of this many cells (8 MiB) are always allowed to the warm start's projection, so that a small model is
    /// not denied its exact start because its messages are a few times its own size.
    /// </summary>
    internal const long ProjectionFloorCells = 1 << 20;

    /// <summary>
    /// Whether <paramref name="previous"/> can be projected onto every maximal clique of <paramref name="tree"/> with
    /// messages of at most the tree's own cells (or <see cref="ProjectionFloorCells"/>, whichever is more) per clique
    /// (<see cref="ModelProjector.WorkingCells"/>): the bound that makes the warm start's working memory at most one
    /// model-sized array or 8 MiB, which the preflight estimate's model term counts.
    /// </summary>
    internal static bool CanProjectWithinModel(GraphicalModel previous, JunctionTree tree) =>
        tree.MaximalCliques.All(c => previous.Projector.WorkingCells(c) <= Math.Max(tree.CellCount, ProjectionFloorCells));

    private void Fold(IEnumerable<Factor> potentials)
    {
        foreach (var f in potentials)
        {
            for (var i = 0; i < tree.MaximalCliques.Length; i++)
            {
                if (f.Clique.IsSubsetOf(tree.MaximalCliques[i]))
                {
                    FactorKernels.AddExpanded(u[i], IndexMap.Create(tree.Domain, tree.MaximalCliques[i], f.Clique), f.Values);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The starting step <c>1 / sum_i (total / sigma_i^2)</c> (the smallest cell sigma of a measurement with per-cell
    /// noise): a bound on the smoothness of the loss relative to the entropy, so the first trial is accepted.
    /// </summary>
    /// <remarks>It holds for coarse measurements <c>Q mu_r</c> too: <c>||Q d||_2 &lt;= ||Q d||_1 &lt;= ||d||_1</c>.</remarks>
    public static double SafeStep(IReadOnlyList<NoisyMarginal> measurements, double total)
    {
        double smoothness = 0;
        foreach (var m in measurements)
        {
            var sigma = m.Sigma;
            for (var c = 0; !m.CellStd.IsEmpty && c < m.CellStd.Length; c++)
            {
                sigma = Math.Min(sigma, m.CellStd[c]);
            }

            smoothness += total / (sigma * sigma);
        }

        return smoothness > 0 ? 1 / smoothness : 1;
    }

    /// <summary>Sets the total and the first step, and calibrates <c>z = x = mu(u)</c>.</summary>
    public void Start(double estimatedTotal, double? initialStep)
    {
        total = estimatedTotal;
        safeStep = SafeStep(measurements, total);
        eta = Math.Max(initialStep ?? safeStep, safeStep);
        rejectedOnce = initialStep is not null;
        Evaluations++;
        bp.Run(u, total, partial, z);
        for (var c = 0; c < z.Length; c++)
        {
            z[c].CopyTo(x[c], 0);
        }

        loss.Project(z, zProjections);
        loss.CopyProjections(zProjections, xProjections);
        CurrentLoss = loss.Loss(xProjections);
    }

    /// <summary>One accelerated step with its step search; false when 25 trials failed (the iterate is then kept).</summary>
    public bool Step()
    {
        ObjectDisposedException.ThrowIf(taken, this);
        Steps++;
        if (restartNext)
        {
            Restart();
        }

        for (var h = 0; h < MirrorDescentEstimator.MaxHalvings; h++)
        {
            LastHalvings = h;
            var t = previousT < 0 ? 1.0 : 2 / (1 + Math.Sqrt(1 + (4 * previousEta / (eta * previousT * previousT))));

            // y = (1 - t) x + t z and the gradient there; u+ = u - (eta / t) g and z+ = mu(u+). Projection is linear,
            // so the projections of y, z+ - z and x+ are mixed from those of x, z and z+: one clique-reading projection
            // a trial, of z+. x's projections are mixed from step to step and never recomputed from x (only at Start and
            // a restart's copy), so they may drift from P(x) by about one rounding a step: harmless next to the loss's
            // scale over the thousand steps a fit takes at most.
            // A clique whose gradient is its own measurement's alone takes the whole step in one pass (StepAtMix), with
            // the same bits, and neither y nor the gradient is written there.
            Mix(x, z, t, y, mixesY);
            loss.MixProjections(xProjections, zProjections, t, yProjections);
            loss.CliqueGradient(yProjections, workspace, gradient, skipOnlyFused: true);
            for (var c = 0; c < u.Length; c++)
            {
                // Where belief propagation can, it takes the step in its first pass over the clique (the chain's two
                // largest cliques), so the trial's potentials are not read back from memory.
                steps[c] = stepPotentials[c]?.For(x[c], z[c], t, u[c], eta / t, uTrial[c]);
                if (steps[c] is not null)
                {
                    continue;
                }

                if (loss.HasOnlyFusedGradient(c))
                {
                    loss.StepAtMix(c, x[c], z[c], t, u[c], eta / t, uTrial[c]);
                }
                else
                {
                    FactorKernels.Step(u[c], eta / t, gradient[c], uTrial[c]);
                }
            }

            StructuralZeros.Apply(forbidden, uTrial);
            Evaluations++;
            bp.Run(uTrial, total, partial, zTrial, steps);
            loss.Project(zTrial, zTrialProjections);

            // The test eta Q(z+ - z) <= D(z+, z), with y's projections as workspace for P(z+) - P(z) (not needed any
            // more); the cliques read in place are differenced inside the sum.
            // The divergence's pass over each clique also sums its squared differences, which the cliques read in
            // place take for their quadratic (same bits, one pass over z+ and z instead of two).
            var divergence = Divergence(zTrial, z, cliqueSquares);
            loss.SubtractProjections(zTrialProjections, zProjections, yProjections);
            var quadratic = loss.QuadraticOfDifference(zTrialProjections, zProjections, yProjections, cliqueSquares);
            // At or below the safe step the inequality holds in exact arithmetic, so a failure there is rounding.
            if (eta * quadratic <= divergence * (1 + 1e-9) || quadratic == 0 || eta <= safeStep)
            {
                Mix(x, zTrial, t, y);
                loss.MixProjections(xProjections, zTrialProjections, t, yProjections);
                var lossTrial = loss.Loss(yProjections);
                restartNext = lossTrial > CurrentLoss;
                (x, y) = (y, x);
                (xProjections, yProjections) = (yProjections, xProjections);
                (z, zTrial) = (zTrial, z);
                (zProjections, zTrialProjections) = (zTrialProjections, zProjections);
                (u, uTrial) = (uTrial, u);
                CurrentLoss = lossTrial;
                previousT = t;
                previousEta = eta;
                eta *= rejectedOnce ? 1.1 : 2;
                return true;
            }

            rejectedOnce = true;
            eta = Math.Max(0.5 * eta, safeStep);
        }

        LastHalvings = MirrorDescentEstimator.MaxHalvings;
        return false;
    }

    /// <summary>Runs the fit: the loop of <see cref="MirrorDescentEstimator.Run.Optimise"/> with this method's steps.</summary>
    public EstimationResult Optimise(MirrorDescentOptions options, double estimatedTotal)
    {
        var initial = options.StepSize ?? options.InitialStepSize;
        Start(estimatedTotal, initial);
        var history = new List<double> { CurrentLoss };
        var iterations = 0;
        var failed = false;
        var converged = false;
        var movement = options.Tolerance > 0 ? new MovementTest(loss, measurements, options.ToleranceWindow) : null;
        var lossTest = options.LossTolerance > 0 ? new LossTest(measurements, options.LossTolerance, options.ToleranceWindow) : null;
        while (iterations < options.MaxIterations && loss.Count > 0)
        {
            iterations++;
            if (!Step())
            {
                failed = true;
                break;
            }

            history.Add(CurrentLoss);

            // The windows open once the step is on its scale: at once for a carried step, else at the first rejection.
            if (StoppingRules.Check(movement, lossTest, rejectedOnce, xProjections, CurrentLoss, options))
            {
                converged = true;
                break;
            }
        }

        return new EstimationResult(TakeModel(), [.. history], iterations, failed, converged, eta);
    }

    /// <summary>The fitted model: <c>x</c> with the potentials read off it. The run cannot step afterwards.</summary>
    public GraphicalModel TakeModel()
    {
        ObjectDisposedException.ThrowIf(taken, this);
        taken = true;
        LogMarginalPotentials(x, uTrial);
        return new GraphicalModel(tree, uTrial, x, total);
    }

    /// <summary>
    /// Potentials of the model whose clique marginals are the calibrated <paramref name="mu"/>: <c>log mu_root</c> on the
    /// root and <c>log mu_C - log mu_S</c> on every other clique <c>C</c> with separator <c>S</c> to its parent, so that
    /// <c>exp(sum of potentials) = prod mu_C / prod mu_S = total P</c> (junction-tree factorisation; <c>log Z = log
    /// total</c>). Structural zeros get <c>-inf</c>; other empty cells a finite <see cref="EmptyCellPotential"/>.
    /// </summary>
    internal void LogMarginalPotentials(double[][] mu, double[][] potentials)
    {
        for (var c = 0; c < mu.Length; c++)
        {
            var p = potentials[c];
            LogOrEmpty(mu[c], p);
            if (c == tree.Root)
            {
                continue;
            }

            var map = tree.ChildToSeparator(c);
            var s = separatorsOfA[c]; // workspace here; the divergence reuses it
            FactorKernels.SumOnto(mu[c], map, s);
            LogOrEmpty(s, s);
            TensorPrimitives.Negate(s, s);
            FactorKernels.AddExpanded(p, map, s);
        }

        StructuralZeros.Apply(forbidden, potentials);
    }

    /// <summary>Momentum restart: <c>z</c> and <c>u</c> become <c>x</c> and its potentials.</summary>
    private void Restart()
    {
        restartNext = false;
        Restarts++;
        LogMarginalPotentials(x, u);
        for (var c = 0; c < x.Length; c++)
        {
            x[c].CopyTo(z[c], 0);
        }

        loss.CopyProjections(xProjections, zProjections);
        previousT = -1;
    }

    /// <summary>
    /// <c>D(a, b) = total KL(P_a || P_b)</c> for two calibrated marginal vectors on this tree, by the junction-tree
    /// decomposition <c>KL = sum_C KL(a_C || b_C) - sum_S KL(a_S || b_S)</c>. Each term is the generalized form
    /// <c>sum_k a_k log(a_k / b_k) - a_k + b_k</c> (equal, since both sum to the total), whose every cell is at least 0:
    /// no first-order cancellation, so the divergence keeps its relative precision when the step is small.
    /// </summary>
    /// <param name="a">The first calibrated marginals.</param>
    /// <param name="b">The second.</param>
    /// <param name="squares">When given, receives per clique read in place by a measurement <c>sum_k (a_k - b_k)^2</c>,
    /// summed as <see cref="MarginalLoss.QuadraticOfDifference"/> would sum it (0 for the other cliques).</param>
    internal double Divergence(double[][] a, double[][] b, double[]? squares = null)
    {
        double sum = 0;
        for (var c = 0; c < a.Length; c++)
        {
            var withSquares = squares is not null && loss.ReadsInPlace(c);
            var (kl, cliqueSquares) = GeneralizedKl(a[c], b[c], a[c].Length, withSquares);
            sum += kl;
            if (squares is not null)
            {
                squares[c] = cliqueSquares;
            }

            if (c == tree.Root)
            {
                continue;
            }

            var map = tree.ChildToSeparator(c);
            FactorKernels.SumOnto(a[c], map, separatorsOfA[c]);
            FactorKernels.SumOnto(b[c], map, separatorsOfB[c]);
            sum -= GeneralizedKl(separatorsOfA[c], separatorsOfB[c], map.TargetCells, false).Kl;
        }

        return Math.Max(0, sum);
    }

    /// <summary>
    /// <c>sum_k a_k log(a_k / b_k) - a_k + b_k</c> (a cell with <c>a_k = 0</c> gives <c>b_k</c>), chunk by chunk (on two
    /// cores for a large clique) with the chunks' sums added in order.
    /// </summary>
    /// <remarks>With <paramref name="squares"/>, each chunk also sums <c>(a_k - b_k)^2</c> while it is in L1, as
    /// <see cref="MarginalLoss.SumOfSquares"/>.</remarks>
    private (double Kl, double Squares) GeneralizedKl(double[] a, double[] b, int length, bool squares) =>
        FactorKernels.ChunkedSums(
            length,
            (a, b, squares),
            static (s, start, n) =>
            {
                ReadOnlySpan<double> a = s.a.AsSpan(start, n), b = s.b.AsSpan(start, n);
                return (GeneralizedKlRange(a, b), s.squares ? MarginalLoss.SumOfSquares(a, b) : 0);
            },
            partials);

    /// <summary>The terms of <see cref="GeneralizedKl"/> over one chunk (at most <see cref="FactorKernels.SumChunk"/> cells).</summary>
    /// <remarks>
    /// With <c>x = (a - b) / b</c> a cell's term is <c>b phi(x)</c>, <c>phi(x) = (1 + x) log(1 + x) - x</c>. Where
    /// <c>|x| &lt; 1e-3</c> (late in a fit, nearly every cell) it is summed from <c>phi</c>'s series,
    /// <c>x^2 (1/2 - x/6 + x^2/12 - x^3/20)</c>, whose first omitted term is below <c>1e-13</c> of the sum: no logarithm, and
    /// no cancellation of <c>a log(a / b)</c> against <c>a - b</c>, which left about one rounding of <c>a</c> in every
    /// cell's second-order term. A chunk with more than <see cref="LogCellsPerChunk"/> cells outside that range (early,
    /// large steps) takes the vector logarithm for all its cells, as before; otherwise those few cells take the scalar one.
    /// Either way a chunk's sum depends on its cells only, so the result is the same on one core or two.
    /// </remarks>
    private static double GeneralizedKlRange(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        // One buffer per thread (the chunks run on two), not a stackalloc, which would be zeroed for every chunk.
        var r = (ratioBuffer ??= new double[FactorKernels.SumChunk]).AsSpan(0, a.Length);
        return RelativeChanges(a, b, r) ? SeriesTerms(a, b, r) : LogTerms(a, b, r);
    }

    /// <summary>
    /// Writes <c>x = (a - b) / b</c> and returns true, or returns false (with <paramref name="x"/> partly written) as
    /// soon as more than <see cref="LogCellsPerChunk"/> cells lie outside the series' range, so that a chunk of large
    /// changes pays for a few vectors of this, not a pass.
    /// </summary>
    private static bool RelativeChanges(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> x)
    {
        var k = 0;
        var w = Vector<double>.Count;
        var outside = 0;
        var limit = new Vector<double>(SeriesLimit);
        for (; Vector.IsHardwareAccelerated && k <= a.Length - w; k += w)
        {
            var bv = new Vector<double>(b[k..]);
            var xv = (new Vector<double>(a[k..]) - bv) / bv;
            xv.CopyTo(x[k..]);
            // NaN (a = b = 0) and infinities (b = 0) count as outside: the comparison is false for them.
            // A lane inside compares to -1 (all bits set), one outside to 0: adding 1 counts the outside lanes.
            outside += (int)Vector.Sum(Vector.LessThan(Vector.Abs(xv), limit) + Vector<long>.One);
            if (outside > LogCellsPerChunk)
            {
                return false;
            }
        }

        for (; k < a.Length; k++)
        {
            x[k] = (a[k] - b[k]) / b[k];
            outside += Math.Abs(x[k]) < SeriesLimit ? 0 : 1;
        }

        return outside <= LogCellsPerChunk;
    }

    /// <summary>Cells with <c>|x|</c> at least this take the logarithm.</summary>
    private const double SeriesLimit = 1e-3;

    /// <summary>At most this many cells of a chunk take the scalar logarithm; a chunk with more takes the vector one.</summary>
    private const int LogCellsPerChunk = 64;

    /// <summary><c>sum b phi(x)</c> from the series, with the scalar logarithm's form for cells outside its range.</summary>
    private static double SeriesTerms(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> x)
    {
        var k = 0;
        var sum = Vector<double>.Zero;
        var w = Vector<double>.Count;
        var limit = new Vector<double>(SeriesLimit);
        double outside = 0;
        for (; Vector.IsHardwareAccelerated && k <= a.Length - w; k += w)
        {
            var xv = new Vector<double>(x[k..]);
            var inside = Vector.LessThan(Vector.Abs(xv), limit);
            sum += Vector.ConditionalSelect(inside, new Vector<double>(b[k..]) * Phi(xv), Vector<double>.Zero);
            if (!Vector.EqualsAll(inside, Vector<long>.AllBitsSet))
            {
                for (var j = k; j < k + w; j++)
                {
                    outside += Math.Abs(x[j]) < SeriesLimit ? 0 : LogTerm(a[j], b[j]);
                }
            }
        }

        var total = Vector.Sum(sum);
        for (; k < a.Length; k++)
        {
            total += Math.Abs(x[k]) < SeriesLimit ? b[k] * Phi(x[k]) : LogTerm(a[k], b[k]);
        }

        return total + outside;
    }

    /// <summary><c>phi(x) = x^2 (1/2 - x/6 + x^2/12 - x^3/20)</c>, the series of <c>(1 + x) log(1 + x) - x</c> to its fifth power.</summary>
    private static Vector<double> Phi(Vector<double> x) =>
        x * x * ((((((new Vector<double>(-1.0 / 20) * x) + new Vector<double>(1.0 / 12)) * x) - new Vector<double>(1.0 / 6)) * x) + new Vector<double>(0.5));

    /// <inheritdoc cref="Phi(Vector{double})"/>
    private static double Phi(double x) => x * x * ((((((-1.0 / 20) * x) + (1.0 / 12)) * x) - (1.0 / 6)) * x + 0.5);

    /// <summary>One cell's <c>a log(a / b) - a + b</c> with the scalar logarithm (<c>b</c> when <c>a = 0</c>).</summary>
    private static double LogTerm(double a, double b) => a > 0 ? (a * Math.Log(a / b)) - a + b : b;

    /// <summary><c>sum a log(a / b) - a + b</c> with the vector logarithm (<paramref name="r"/> is workspace).</summary>
    private static double LogTerms(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> r)
    {
        TensorPrimitives.Divide(a, b, r);
        Log(r, r);
        var k = 0;
        var sum = Vector<double>.Zero;
        var w = Vector<double>.Count;
        for (; Vector.IsHardwareAccelerated && k <= a.Length - w; k += w)
        {
            var av = new Vector<double>(a[k..]);
            var bv = new Vector<double>(b[k..]);
            // Where a_k = 0 the log is -inf or NaN; that lane takes b_k instead.
            sum += Vector.ConditionalSelect(Vector.GreaterThan(av, Vector<double>.Zero), (av * new Vector<double>(r[k..])) - av + bv, bv);
        }

        var total = Vector.Sum(sum);
        for (; k < a.Length; k++)
        {
            total += a[k] > 0 ? (a[k] * r[k]) - a[k] + b[k] : b[k];
        }

        return total;
    }

    /// <summary>
    /// Natural logarithm, element-wise and reproducible: <see cref="TensorPrimitives.Log{T}(ReadOnlySpan{T}, Span{T})"/>
    /// computes a span shorter than a vector with the scalar logarithm and a longer one with a vector approximation, and
    /// the vector width can change when the runtime recompiles it (128-bit precompiled code, 256-bit after tiering), so
    /// a span of a few cells gave different last bits in two runs of one fit. Short spans use the scalar logarithm always.
    /// </summary>
    private static void Log(ReadOnlySpan<double> values, Span<double> logs)
    {
        if (values.Length >= 16)
        {
            TensorPrimitives.Log(values, logs);
            return;
        }

        for (var k = 0; k < values.Length; k++)
        {
            logs[k] = Math.Log(values[k]);
        }
    }

    private static void LogOrEmpty(ReadOnlySpan<double> values, Span<double> logs)
    {
        Log(values, logs);
        for (var k = 0; k < logs.Length; k++)
        {
            if (!(logs[k] >= EmptyCellPotential))
            {
                logs[k] = EmptyCellPotential;
            }
        }
    }

    /// <summary><c>into = a + t (b - a)</c> on every clique, or on those <paramref name="needed"/> selects.</summary>
    private static void Mix(double[][] a, double[][] b, double t, double[][] into, Func<int, bool>? needed = null)
    {
        for (var c = 0; c < a.Length; c++)
        {
            if (needed?.Invoke(c) ?? true)
            {
                FactorKernels.Lerp(a[c], b[c], t, into[c]);
            }
        }
    }

    /// <summary>
    /// <c>sum_C &lt;a_C, b_C&gt;</c>, with a fixed order of summation: <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
    /// aligns its loads to the arrays' addresses, so its rounding could change when the collector moves an array, and the
    /// fit must be reproducible.
    /// </summary>
    private static double Dot(double[][] a, double[][] b)
    {
        double sum = 0;
        for (var c = 0; c < a.Length; c++)
        {
            ReadOnlySpan<double> p = a[c], q = b[c];
            var k = 0;
            var w = Vector<double>.Count;
            var acc = Vector<double>.Zero;
            for (; Vector.IsHardwareAccelerated && k <= p.Length - w; k += w)
            {
                acc += new Vector<double>(p[k..]) * new Vector<double>(q[k..]);
            }

            var part = Vector.Sum(acc);
            for (; k < p.Length; k++)
            {
                part += p[k] * q[k];
            }

            sum += part;
        }

        return sum;
    }
}
