using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;

namespace DPSynth.Inference;

/// <summary>
/// The estimation loss over a set of measurements laid out on a junction tree: each measurement is attached to the
/// smallest maximal clique containing it, with its projection map built once, from its projection source: the
/// smallest measured clique in that maximal clique containing it, or the maximal clique itself.
/// </summary>
/// <remarks>
/// L2: <c>L(mu) = sum_i sum_c (mu_{r_i}[c] - y_i[c])^2 / (2 s_ic^2)</c>, gradient <c>(mu_r - y) / s^2</c>. L1:
/// <c>L = sum |mu_r - y| / s</c>, (sub)gradient <c>sign(mu_r - y) / s</c>. Marginals are on the count scale (Private-PGM's
/// <c>_marginal_loss</c>). The gradient with respect to a maximal clique's potentials is the sum of its measurements'
/// gradients broadcast onto it, each through its projection source (<see cref="ProjectionPlan"/>). A measurement over a
/// whole maximal clique reads that clique's marginal in place (its projection array is the marginal array), so it
/// costs no copy.
/// <para>Measurements of the same clique (AIM measures a clique again with less noise) share one projection map and
/// one array of each per-clique kind (projections, workspace), and the noisy values are read in place, never
/// copied: what the loss holds grows with the distinct measured cliques, which all fit in the model, not with the
/// number of measurements (issue 15: AIM may measure a 1M-cell clique in hundreds of rounds).</para>
/// <para>A coarse measurement (<see cref="NoisyMarginal.Coarsening"/>) is the linear query <c>Q mu_r</c>: its map sends
/// each cell of its projection source (a fine clique containing it, or its maximal clique) to the coarse cell it is
/// added into, so the loss is
/// <c>sum_j (sum_{k in group j} mu_k - y_j)^2 / (2 s^2)</c> and its gradient at fine cell <c>k</c> is the residual of
/// its group over <c>s^2</c>, a gather through the same map. Such measurements are never fused.</para>
/// </remarks>
internal sealed class MarginalLoss
{
    private readonly MarginalLossKind kind;
    private readonly int[] cliqueOf;

    /// <summary>Per measurement, the first measurement of the same clique (itself when it is the first).</summary>
    private readonly int[] firstOf;
    /// <summary>
    /// Per measurement, the map that projects onto it from its source (<see cref="sourceOf"/>: a measured superset, or
    /// its maximal clique); null when it covers its maximal clique and is read in place.
    /// </summary>
    private readonly IndexMap?[] maps;

    /// <summary>Per measurement with a map, the measurement whose projection it is read from, or -1 for its maximal clique.</summary>
    private readonly int[] sourceOf;

    /// <summary>The first measurements of the distinct projected cliques, sources before the cliques read from them.</summary>
    private readonly int[] projectOrder;

    /// <summary><see cref="sourceOf"/> of a measurement read from its maximal clique's intermediate.</summary>
    private const int FromIntermediate = -2;

    /// <summary>
    /// Per maximal clique, its intermediate (the clique less one attribute that several of the cliques projected
    /// straight from it leave out), or null; with the map onto it and a buffer for its marginal and one for its gradient.
    /// </summary>
    private readonly Clique?[] intermediates;
    private readonly IndexMap?[] toIntermediate;
    private readonly double[]?[] intermediateValues;
    private readonly double[]?[] intermediateGradients;
    private readonly double[][] y;
    private readonly double[]?[] cellWeight;
    private readonly double[] weight;

    /// <summary>Per clique, the first measurement covering it exactly with one sigma (L2 only), or -1: its gradient is
    /// written straight into the clique gradient and its loss is fused into the clique's Armijo pass.</summary>
    private readonly int[] fusedOf;

    /// <summary><c>-y * w^2</c> for fused measurements, so the gradient is one multiply-add.</summary>
    private readonly double[]?[] negativeScaledY;

    /// <summary>Per maximal clique, whether some measurement reads it in place.</summary>
    private readonly bool[] inPlaceCliques;

    /// <summary>Per maximal clique, whether its fused measurement is the only measurement laid out on it, so that its
    /// gradient is that measurement's <c>(mu - y) w^2</c> and nothing else.</summary>
    private readonly bool[] onlyFused;

    /// <summary>Workspace of <see cref="FactorKernels.ChunkedSums{TState}"/>, for the largest clique or measurement.</summary>
    private readonly double[] partials;

    public MarginalLoss(JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, MarginalLossKind kind)
    {
        Tree = tree;
        this.kind = kind;
        var n = measurements.Count;
        cliqueOf = new int[n];
        firstOf = new int[n];
        var first = new Dictionary<(Clique, Coarsening?), int>();
        maps = new IndexMap?[n];
        y = new double[n][];
        cellWeight = new double[n][];
        weight = new double[n];
        negativeScaledY = new double[n][];
        var inPlace = new bool[n];
        fusedOf = new int[tree.MaximalCliques.Length];
        Array.Fill(fusedOf, -1);
        for (var i = 0; i < n; i++)
        {
            var m = measurements[i];
            var c = tree.IndexOfSmallestContaining(m.Clique);
            if (c < 0)
            {
                throw new ArgumentException($"Measurement {m.Clique} lies in no maximal clique.", nameof(measurements));
            }

            cliqueOf[i] = c;
            var key = (m.Clique, m.Coarsening);
            firstOf[i] = first.TryGetValue(key, out var earlier) ? earlier : first[key] = i;
            inPlace[i] = m.Coarsening is null && m.Clique.Equals(tree.MaximalCliques[c]);
            // Read only here, so the measurement's own immutable array serves without a copy.
            y[i] = ImmutableCollectionsMarshal.AsArray(m.Values)!;
            weight[i] = 1.0 / m.Sigma;
            if (!m.CellStd.IsEmpty)
            {
                cellWeight[i] = new double[y[i].Length];
                for (var k = 0; k < y[i].Length; k++)
                {
                    cellWeight[i]![k] = 1.0 / m.CellStd[k];
                }
            }
            else if (kind == MarginalLossKind.L2 && inPlace[i] && fusedOf[c] < 0)
            {
                fusedOf[c] = i;
                negativeScaledY[i] = new double[y[i].Length];
                TensorPrimitives.Multiply(y[i], -weight[i] * weight[i], negativeScaledY[i]);
            }
        }

        inPlaceCliques = new bool[tree.MaximalCliques.Length];
        var laidOut = new int[tree.MaximalCliques.Length];
        for (var i = 0; i < n; i++)
        {
            inPlaceCliques[cliqueOf[i]] |= inPlace[i];
            laidOut[cliqueOf[i]]++;
        }

        onlyFused = [.. fusedOf.Select((f, c) => f >= 0 && laidOut[c] == 1)];

        (projectOrder, sourceOf) = ProjectionPlan(tree, measurements, cliqueOf, firstOf, inPlace);
        intermediates = Intermediates(tree, measurements, cliqueOf, projectOrder, sourceOf);
        toIntermediate = new IndexMap?[intermediates.Length];
        intermediateValues = new double[]?[intermediates.Length];
        intermediateGradients = new double[]?[intermediates.Length];
        for (var c = 0; c < intermediates.Length; c++)
        {
            if (intermediates[c] is { } middle)
            {
                toIntermediate[c] = IndexMap.Create(tree.Domain, tree.MaximalCliques[c], middle);
                intermediateValues[c] = new double[middle.CellCount(tree.Domain)];
                intermediateGradients[c] = new double[middle.CellCount(tree.Domain)];
            }
        }

        for (var i = 0; i < n; i++)
        {
            // A coarse measurement maps its source's cells straight onto its coarse cells (projection, then Q): its
            // projection is Q mu_r and its gradient r_{group(k)} / sigma^2 is broadcast back by the same map.
            var m = measurements[i];
            sourceOf[i] = sourceOf[firstOf[i]];
            var source = sourceOf[i] >= 0 ? measurements[sourceOf[i]].Clique
                : sourceOf[i] == FromIntermediate ? intermediates[cliqueOf[i]]!
                : tree.MaximalCliques[cliqueOf[i]];
            maps[i] = firstOf[i] != i ? maps[firstOf[i]]
                : inPlace[i] ? null
                : m.Coarsening is { } coarse ? IndexMap.Coarse(tree.Domain, source, m.Clique, coarse)
                : IndexMap.Create(tree.Domain, source, m.Clique);
        }

        var largest = y.Select(v => v.Length).Append(1).Max();
        foreach (var c in tree.MaximalCliques)
        {
            largest = (int)Math.Max(largest, c.CellCount(tree.Domain));
        }

        partials = new double[FactorKernels.SumPartials(largest)];
    }

    /// <summary>
    /// Where each projected clique is read from: the smallest measured fine clique in the same maximal clique that
    /// strictly contains it (or, for a coarse measurement, contains it), else the maximal clique itself. A 1-way
    /// marginal inside a 1M-cell clique that also holds a measured pair is then summed from the pair, not from the
    /// clique: the projections and the gradient's broadcasts read each large clique about once per pass instead of
    /// once per measurement in it.
    /// </summary>
    private static (int[] Order, int[] SourceOf) ProjectionPlan(
        JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, int[] cliqueOf, int[] firstOf, bool[] inPlace)
    {
        var domain = tree.Domain;
        var sourceOf = new int[measurements.Count];
        Array.Fill(sourceOf, -1);
        // Largest first; a superset has at least as many cells and more attributes, and a fine clique comes before a
        // coarsening of itself, so every source precedes the cliques read from it.
        var order = Enumerable.Range(0, measurements.Count)
            .Where(i => firstOf[i] == i && !inPlace[i])
            .OrderByDescending(i => measurements[i].Clique.CellCount(domain))
            .ThenByDescending(i => measurements[i].Clique.Count)
            .ThenBy(i => measurements[i].Coarsening is null ? 0 : 1)
            .ThenBy(i => i)
            .ToArray();
        for (var a = 0; a < order.Length; a++)
        {
            var d = measurements[order[a]];
            var best = -1;
            for (var b = 0; b < a; b++)
            {
                var k = measurements[order[b]];
                var contains = d.Coarsening is null ? d.Clique.IsSubsetOf(k.Clique) && !d.Clique.Equals(k.Clique) : d.Clique.IsSubsetOf(k.Clique);
                if (k.Coarsening is null && cliqueOf[order[b]] == cliqueOf[order[a]] && contains
                    && (best < 0 || k.Clique.CellCount(domain) < measurements[best].Clique.CellCount(domain)))
                {
                    best = order[b];
                }
            }

            sourceOf[order[a]] = best;
        }

        for (var i = 0; i < sourceOf.Length; i++)
        {
            sourceOf[i] = sourceOf[firstOf[i]];
        }

        return (order, sourceOf);
    }

    /// <summary>
    /// Chooses, per maximal clique, an intermediate: the clique less the attribute that the most cliques projected
    /// straight from it leave out (at least two; ties go to the larger attribute, for the smaller intermediate). Those
    /// cliques are then summed from the intermediate, which is summed from the clique once: AIM's pairs inside a
    /// 4M-cell clique of seven attributes read it once or twice per projection instead of once per pair (their
    /// <see cref="sourceOf"/> becomes <see cref="FromIntermediate"/>).
    /// </summary>
    private static Clique?[] Intermediates(
        JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, int[] cliqueOf, int[] projectOrder, int[] sourceOf)
    {
        var domain = tree.Domain;
        var result = new Clique?[tree.MaximalCliques.Length];
        for (var c = 0; c < result.Length; c++)
        {
            var direct = projectOrder.Where(i => cliqueOf[i] == c && sourceOf[i] == -1).ToArray();
            var clique = tree.MaximalCliques[c];
            int best = -1, bestCount = 1;
            foreach (var a in clique.Attributes)
            {
                var count = direct.Count(i => !measurements[i].Clique.Contains(a));
                if (domain.Size(a) > 1 && (count > bestCount || (count == bestCount && best >= 0 && domain.Size(a) > domain.Size(best))))
                {
                    (best, bestCount) = (a, count);
                }
            }

            if (best < 0)
            {
                continue;
            }

            result[c] = clique.Except(Clique.Of(best));
            foreach (var i in direct)
            {
                if (!measurements[i].Clique.Contains(best))
                {
                    sourceOf[i] = FromIntermediate;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Whether a measurement reads maximal clique <paramref name="clique"/>'s marginal in place (its projection array
    /// is the clique's array): only then do the loss and gradient read that clique's array.
    /// </summary>
    public bool ReadsInPlace(int clique) => inPlaceCliques[clique];

    /// <summary>
    /// Whether maximal clique <paramref name="clique"/>'s gradient is its fused measurement's alone (one measurement of
    /// exactly that clique, one sigma, L2, and no other measurement laid out on it): then
    /// <see cref="StepAtMix"/> can take the accelerated step there in one pass, and
    /// <see cref="CliqueGradient(double[][], double[][], double[][], bool)"/> may leave it out.
    /// </summary>
    public bool HasOnlyFusedGradient(int clique) => onlyFused[clique];

    /// <summary>
    /// The accelerated step on a clique with <see cref="HasOnlyFusedGradient"/>: <c>into = u - s g(y)</c> at
    /// <c>y = x + t (z - x)</c>, with <c>g(y) = y w^2 - y_meas w^2</c>, in one pass that writes neither <c>y</c> nor
    /// <c>g</c>. The same operations in the same order as mixing, <see cref="CliqueGradient(double[][], double[][], double[][], bool)"/>
    /// and <see cref="FactorKernels.Step"/> one after the other, so the same bits, with two reads and two writes a cell
    /// fewer (three passes over the chain's two largest cliques took about 2.5 ms a step).
    /// </summary>
    public void StepAtMix(int clique, double[] x, double[] z, double t, double[] u, double s, double[] into)
    {
        var f = fusedOf[clique];
        FactorKernels.MixGradientStep(x, z, t, weight[f] * weight[f], negativeScaledY[f]!, u, s, into);
    }

    /// <summary>
    /// The mirror-descent step on a clique with <see cref="HasOnlyFusedGradient"/>: <c>into = u - s g</c> with
    /// <c>g = mu w^2 - y_meas w^2</c>, in one pass that does not write <c>g</c>. The same operations in the same order as
    /// <see cref="CliqueGradient(double[][], double[][], double[][], bool)"/> and <see cref="FactorKernels.Step"/>, so the
    /// same bits.
    /// </summary>
    public void StepAt(int clique, double[] mu, double[] u, double s, double[] into)
    {
        var f = fusedOf[clique];
        FactorKernels.GradientStep(mu, weight[f] * weight[f], negativeScaledY[f]!, u, s, into);
    }

    /// <summary>
    /// <see cref="StepAt"/> as a <see cref="PotentialStep"/> that belief propagation runs on the way (a clique with
    /// <see cref="HasOnlyFusedGradient"/>): the same cells, the same bits.
    /// </summary>
    public GradientStepPotentials StepPotentials(int clique)
    {
        var f = fusedOf[clique];
        return new GradientStepPotentials(weight[f] * weight[f], negativeScaledY[f]!);
    }

    /// <summary><see cref="StepAtMix"/> as a <see cref="PotentialStep"/> (a clique with <see cref="HasOnlyFusedGradient"/>).</summary>
    public MixGradientStepPotentials MixStepPotentials(int clique)
    {
        var f = fusedOf[clique];
        return new MixGradientStepPotentials(weight[f] * weight[f], negativeScaledY[f]!);
    }

    /// <summary>
    /// The measurement whose projection measurement <paramref name="i"/> is summed from, -1 for its maximal clique, or -2
    /// for its maximal clique's intermediate.
    /// </summary>
    internal int ProjectedFrom(int i) => sourceOf[i];

    /// <summary>The tree the measurements are laid out on.</summary>
    public JunctionTree Tree { get; }

    public int Count => y.Length;

    /// <summary>
    /// One array per measurement, sized to its cells; measurements of the same clique share one (for workspace and for
    /// copies of projections, which are equal for equal cliques).
    /// </summary>
    public double[][] NewMeasurementArrays()
    {
        var arrays = new double[y.Length][];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = firstOf[i] == i ? new double[y[i].Length] : arrays[firstOf[i]];
        }

        return arrays;
    }

    /// <summary>
    /// Workspace for <see cref="CliqueGradient"/>: an array per projected clique (shared by its measurements), and none
    /// for a measurement read in place, whose gradient goes straight into its clique's (a model-sized array per measured
    /// maximal clique saved: 240 MB on a 76 MiB model of 1M-cell pairs).
    /// </summary>
    public double[][] NewGradientWorkspace()
    {
        var arrays = new double[y.Length][];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = maps[i] is null ? [] : firstOf[i] == i ? new double[y[i].Length] : arrays[firstOf[i]];
        }

        return arrays;
    }

    /// <summary>Projection arrays for marginals <paramref name="mu"/>: aliases of <paramref name="mu"/> where a measurement covers a whole clique.</summary>
    public double[][] NewProjections(double[][] mu)
    {
        var arrays = new double[y.Length][];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = maps[i] is null ? mu[cliqueOf[i]] : firstOf[i] == i ? new double[y[i].Length] : arrays[firstOf[i]];
        }

        return arrays;
    }

    /// <summary>Projects the clique marginals onto each measurement's clique (aliased ones are already there).</summary>
    public void Project(double[][] mu, double[][] projections)
    {
        for (var c = 0; c < intermediates.Length; c++)
        {
            if (toIntermediate[c] is { } map)
            {
                FactorKernels.SumOnto(mu[c], map, intermediateValues[c]!);
            }
        }

        foreach (var i in projectOrder)
        {
            FactorKernels.SumOnto(Source(i, mu, projections, intermediateValues), maps[i]!, projections[i]);
        }
    }

    /// <summary>The array measurement <paramref name="i"/> is projected from, or its gradient broadcast onto.</summary>
    private double[] Source(int i, double[][] cliques, double[][] measured, double[]?[] middle) =>
        sourceOf[i] >= 0 ? measured[sourceOf[i]] : sourceOf[i] == FromIntermediate ? middle[cliqueOf[i]]! : cliques[cliqueOf[i]];

    /// <summary>
    /// <c>into = a + t (b - a)</c> on the projection arrays the loss owns (those read in place follow their clique
    /// arrays): projection is linear, so mixing projections equals projecting the mixed marginals, without reading a
    /// clique.
    /// </summary>
    public void MixProjections(double[][] a, double[][] b, double t, double[][] into)
    {
        foreach (var i in projectOrder)
        {
            FactorKernels.Lerp(a[i], b[i], t, into[i]);
        }
    }

    /// <summary><c>into = a - b</c> on the projection arrays the loss owns (see <see cref="MixProjections"/>).</summary>
    public void SubtractProjections(double[][] a, double[][] b, double[][] into)
    {
        foreach (var i in projectOrder)
        {
            FactorKernels.Subtract(a[i], b[i], into[i]);
        }
    }

    /// <summary>Copies the projection arrays the loss owns (see <see cref="MixProjections"/>).</summary>
    public void CopyProjections(double[][] from, double[][] into)
    {
        foreach (var i in projectOrder)
        {
            from[i].CopyTo(into[i], 0);
        }
    }

    /// <summary>The loss of projected marginals.</summary>
    public double Loss(double[][] projections)
    {
        double loss = 0;
        for (var i = 0; i < y.Length; i++)
        {
            loss += Part(projections[i], i);
        }

        return loss;
    }

    /// <summary>
    /// The quadratic part of the L2 loss at projected differences <c>d</c>: <c>sum_i sum_c d_i[c]^2 / (2 s_ic^2)</c>, so
    /// that <c>L(a) = L(b) + &lt;grad L(b), a - b&gt; + Quadratic(P(a - b))</c> exactly. Summed in a fixed order.
    /// </summary>
    public double Quadratic(double[][] differences) => QuadraticOfDifference(differences, null, differences);

    /// <summary>
    /// <see cref="Quadratic"/> of <c>P(a - b)</c>, where <paramref name="differences"/> holds <c>P(a) - P(b)</c> on the
    /// projections the loss owns (<see cref="SubtractProjections"/>) and the measurements read in place take
    /// <c>a - b</c> inside the sum from <paramref name="a"/> and <paramref name="b"/> (their clique arrays): the
    /// difference of a whole clique is never written and read back. The same operations in the same order as
    /// <see cref="Quadratic"/> of a written difference, so the same bits.
    /// </summary>
    /// <param name="a">The first marginals' projections.</param>
    /// <param name="b">The second's, or null when <paramref name="differences"/> holds every difference.</param>
    /// <param name="differences">The projected differences on the projections the loss owns.</param>
    /// <param name="cliqueSquares">Per maximal clique, <c>sum_k (a_k - b_k)^2</c> of its arrays summed as
    /// <see cref="SumOfSquares"/> sums it chunk by chunk (<see cref="FactorKernels.ChunkedSums{TState}"/>), or null: a
    /// measurement read in place with one sigma then takes its clique's sum instead of reading both arrays again (the
    /// accelerated step's divergence reads them anyway). The same bits either way.</param>
    public double QuadraticOfDifference(double[][] a, double[][]? b, double[][] differences, double[]? cliqueSquares = null)
    {
        double sum = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var (first, second) = b is not null && maps[i] is null ? (a[i], b[i]) : (differences[i], []);
            if (cliqueSquares is not null && b is not null && maps[i] is null && cellWeight[i] is null)
            {
                sum += 0.5 * cliqueSquares[cliqueOf[i]] * weight[i] * weight[i];
                continue;
            }

            if (cellWeight[i] is { } cw)
            {
                for (var k = 0; k < first.Length; k++)
                {
                    var d = second.Length == 0 ? first[k] : first[k] - second[k];
                    sum += 0.5 * d * d * cw[k] * cw[k];
                }

                continue;
            }

            var (squares, _) = FactorKernels.ChunkedSums(
                first.Length,
                (first, second),
                static (s, start, length) => (SumOfSquares(s.first.AsSpan(start, length), s.second.Length == 0 ? default : s.second.AsSpan(start, length)), 0),
                partials);
            sum += 0.5 * squares * weight[i] * weight[i];
        }

        return sum;
    }

    /// <summary><c>sum_k (a_k - b_k)^2</c>, or <c>sum_k a_k^2</c> when <paramref name="b"/> is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumOfSquares(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var difference = !b.IsEmpty;
        var squares = Vector<double>.Zero;
        var w = Vector<double>.Count;
        var k = 0;
        for (; Vector.IsHardwareAccelerated && k <= a.Length - w; k += w)
        {
            var v = difference ? new Vector<double>(a[k..]) - new Vector<double>(b[k..]) : new Vector<double>(a[k..]);
            squares += v * v;
        }

        var sum = Vector.Sum(squares);
        for (; k < a.Length; k++)
        {
            var v = difference ? a[k] - b[k] : a[k];
            sum += v * v;
        }

        return sum;
    }

    /// <summary>
    /// The loss of the trial marginals and <c>sum_C &lt;G_C, current_C - trial_C&gt;</c>, the Armijo term, at the
    /// clique level (equal to the sum over measurements of <c>&lt;g_i, current_{r_i} - trial_{r_i}&gt;</c> because
    /// projection is linear). A fused measurement's loss is taken in the same pass over its clique.
    /// </summary>
    /// <param name="trialMu">The trial's clique marginals.</param>
    /// <param name="trialProjections">The trial's projections.</param>
    /// <param name="cliqueGradients">The clique gradients at the current marginals.</param>
    /// <param name="currentMu">The current clique marginals.</param>
    /// <param name="dot">The Armijo term.</param>
    /// <param name="onlyFusedSkipped">Whether <paramref name="cliqueGradients"/> left out the cliques with
    /// <see cref="HasOnlyFusedGradient"/> (see <see cref="StepAt"/>): their gradient is then taken from the current
    /// marginal and the measurement in the same pass, to the same bits.</param>
    public double LossAndDot(
        double[][] trialMu,
        double[][] trialProjections,
        double[][] cliqueGradients,
        double[][] currentMu,
        out double dot,
        bool onlyFusedSkipped = false)
    {
        double loss = 0;
        dot = 0;
        for (var c = 0; c < cliqueGradients.Length; c++)
        {
            var f = fusedOf[c];
            var fromMu = onlyFusedSkipped && onlyFused[c];
            var (d, squares) = FactorKernels.ChunkedSums(
                trialMu[c].Length,
                (
                    g: fromMu ? null : cliqueGradients[c],
                    cur: currentMu[c],
                    t: trialMu[c],
                    y: f >= 0 ? y[f] : null,
                    w2: f >= 0 ? weight[f] * weight[f] : 0),
                static (s, start, length) => DotAndSquares(
                    s.g is null ? default : s.g.AsSpan(start, length),
                    s.cur.AsSpan(start, length),
                    s.t.AsSpan(start, length),
                    s.y is null ? default : s.y.AsSpan(start, length),
                    s.w2),
                partials);
            dot += d;
            if (f >= 0)
            {
                loss += 0.5 * squares * weight[f] * weight[f];
            }
        }

        for (var i = 0; i < y.Length; i++)
        {
            if (fusedOf[cliqueOf[i]] != i)
            {
                loss += Part(trialProjections[i], i);
            }
        }

        return loss;
    }

    /// <summary>
    /// <c>sum g (cur - t)</c> and, when <paramref name="yf"/> is given, <c>sum (t - yf)^2</c>, in one pass. An empty
    /// <paramref name="g"/> is the fused measurement's gradient <c>cur w2 + yf (-w2)</c>, rounded as the written
    /// gradient is (<c>yf (-w2)</c> is the stored <c>-y w^2</c>, to the bit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Dot, double Squares) DotAndSquares(
        ReadOnlySpan<double> g, ReadOnlySpan<double> cur, ReadOnlySpan<double> t, ReadOnlySpan<double> yf, double w2)
    {
        var fused = !yf.IsEmpty;
        var written = !g.IsEmpty;
        var minus = -w2;
        var k = 0;
        double squares = 0, d = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<double>.Count;
            Vector<double> sq = Vector<double>.Zero, dv = Vector<double>.Zero;
            var (wv, mv) = (new Vector<double>(w2), new Vector<double>(minus));
            for (; k <= t.Length - w; k += w)
            {
                var tv = new Vector<double>(t[k..]);
                var cv = new Vector<double>(cur[k..]);
                var gv = written ? new Vector<double>(g[k..]) : (cv * wv) + (new Vector<double>(yf[k..]) * mv);
                dv += gv * (cv - tv);
                if (fused)
                {
                    var diff = tv - new Vector<double>(yf[k..]);
                    sq += diff * diff;
                }
            }

            squares = Vector.Sum(sq);
            d = Vector.Sum(dv);
        }

        for (; k < t.Length; k++)
        {
            d += (written ? g[k] : (cur[k] * w2) + (yf[k] * minus)) * (cur[k] - t[k]);
            if (fused)
            {
                squares += (t[k] - yf[k]) * (t[k] - yf[k]);
            }
        }

        return (d, squares);
    }

    /// <summary>
    /// The gradient with respect to each maximal clique's potentials: the measurement gradients broadcast onto their
    /// cliques and summed. A fused measurement writes <c>(mu - y) w^2</c> straight into its clique's gradient; other
    /// measurements read in place add theirs to it; a projected clique's gradient (<paramref name="gradients"/>, the sum
    /// over its measurements) is broadcast onto its projection source's, smallest first, so each reaches its maximal
    /// clique through the same chain its projection came down.
    /// </summary>
    /// <param name="projections">The projections the gradient is taken at.</param>
    /// <param name="gradients">Workspace (<see cref="NewGradientWorkspace"/>).</param>
    /// <param name="cliqueGradients">The gradients, one array per maximal clique.</param>
    /// <param name="skipOnlyFused">Leave out (unwritten) the cliques with <see cref="HasOnlyFusedGradient"/>, whose step
    /// <see cref="StepAt"/> or <see cref="StepAtMix"/> takes.</param>
    public void CliqueGradient(double[][] projections, double[][] gradients, double[][] cliqueGradients, bool skipOnlyFused = false)
    {
        for (var c = 0; c < cliqueGradients.Length; c++)
        {
            if (skipOnlyFused && onlyFused[c])
            {
                continue;
            }

            if (fusedOf[c] is var f and >= 0)
            {
                FactorKernels.MultiplyAdd(projections[f], weight[f] * weight[f], negativeScaledY[f]!, cliqueGradients[c]);
            }
            else
            {
                Array.Clear(cliqueGradients[c]);
            }
        }

        foreach (var i in projectOrder)
        {
            Array.Clear(gradients[i]);
        }

        foreach (var g in intermediateGradients)
        {
            if (g is not null)
            {
                Array.Clear(g);
            }
        }

        for (var i = 0; i < y.Length; i++)
        {
            if (fusedOf[cliqueOf[i]] != i)
            {
                AddGradient(i, projections[i], maps[i] is null ? cliqueGradients[cliqueOf[i]] : gradients[i]);
            }
        }

        for (var a = projectOrder.Length - 1; a >= 0; a--)
        {
            var i = projectOrder[a];
            FactorKernels.AddExpanded(Source(i, cliqueGradients, gradients, intermediateGradients), maps[i]!, gradients[i]);
        }

        // Last, once every gradient summed from an intermediate has reached it.
        for (var c = 0; c < intermediates.Length; c++)
        {
            if (toIntermediate[c] is { } map)
            {
                FactorKernels.AddExpanded(cliqueGradients[c], map, intermediateGradients[c]!);
            }
        }
    }

    /// <summary>Adds the gradient of measurement <paramref name="i"/> with respect to its projected marginal to <paramref name="g"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddGradient(int i, ReadOnlySpan<double> p, Span<double> g)
    {
        ReadOnlySpan<double> yi = y[i];
        var cw = cellWeight[i];
        if (kind == MarginalLossKind.L2 && cw is null)
        {
            var w2 = weight[i] * weight[i];
            var k = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var wv = new Vector<double>(w2);
                for (; k <= p.Length - Vector<double>.Count; k += Vector<double>.Count)
                {
                    (new Vector<double>(g[k..]) + (wv * (new Vector<double>(p[k..]) - new Vector<double>(yi[k..])))).CopyTo(g[k..]);
                }
            }

            for (; k < p.Length; k++)
            {
                g[k] += w2 * (p[k] - yi[k]);
            }

            return;
        }

        for (var k = 0; k < p.Length; k++)
        {
            var wk = cw is null ? weight[i] : cw[k];
            g[k] += kind == MarginalLossKind.L2 ? (p[k] - yi[k]) * wk * wk : Math.Sign(p[k] - yi[k]) * wk;
        }
    }

    /// <summary>One measurement's loss at its projected marginal <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Part(double[] p, int i)
    {
        var yi = y[i];
        var cw = cellWeight[i];
        if (kind == MarginalLossKind.L2 && cw is null)
        {
            // The common case (one sigma per measurement): sum (p - y)^2, chunked (two cores on large cliques).
            var (squares, _) = FactorKernels.ChunkedSums(
                p.Length, (p, yi), static (s, start, length) => (SumOfSquares(s.p.AsSpan(start, length), s.yi.AsSpan(start, length)), 0), partials);
            return 0.5 * squares * weight[i] * weight[i];
        }

        double loss = 0;
        for (var k = 0; k < p.Length; k++)
        {
            var wk = cw is null ? weight[i] : cw[k];
            var d = p[k] - yi[k];
            loss += kind == MarginalLossKind.L2 ? 0.5 * d * d * wk * wk : Math.Abs(d) * wk;
        }

        return loss;
    }
}
