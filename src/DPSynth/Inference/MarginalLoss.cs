using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;

namespace DPSynth.Inference;

/// <summary>
/// The estimation loss over a set of measurements laid out on a junction tree: each measurement is attached to the
/// smallest maximal clique containing it, with its projection map built once.
/// </summary>
/// <remarks>
/// L2: <c>L(mu) = sum_i sum_c (mu_{r_i}[c] - y_i[c])^2 / (2 s_ic^2)</c>, gradient <c>(mu_r - y) / s^2</c>. L1:
/// <c>L = sum |mu_r - y| / s</c>, (sub)gradient <c>sign(mu_r - y) / s</c>. Marginals are on the count scale (Private-PGM's
/// <c>_marginal_loss</c>). The gradient with respect to a maximal clique's potentials is the sum of its measurements'
/// gradients broadcast onto it. A measurement over a whole maximal clique reads that clique's marginal in place
/// (its projection array is the marginal array), so it costs no copy.
/// <para>Measurements of the same clique (AIM measures a clique again with less noise) share one projection map and
/// one array of each per-clique kind (projections, workspace), and the noisy values are read in place, never
/// copied: what the loss holds grows with the distinct measured cliques, which all fit in the model, not with the
/// number of measurements (issue 15: AIM may measure a 1M-cell clique in hundreds of rounds).</para>
/// <para>A coarse measurement (<see cref="NoisyMarginal.Coarsening"/>) is the linear query <c>Q mu_r</c>: its map sends
/// each cell of its maximal clique to the coarse cell it is added into, so the loss is
/// <c>sum_j (sum_{k in group j} mu_k - y_j)^2 / (2 s^2)</c> and its gradient at fine cell <c>k</c> is the residual of
/// its group over <c>s^2</c>, a gather through the same map. Such measurements are never fused.</para>
/// </remarks>
internal sealed class MarginalLoss
{
    private readonly MarginalLossKind kind;
    private readonly int[] cliqueOf;

    /// <summary>Per measurement, the first measurement of the same clique (itself when it is the first).</summary>
    private readonly int[] firstOf;
    private readonly IndexMap?[] maps;
    private readonly double[][] y;
    private readonly double[]?[] cellWeight;
    private readonly double[] weight;

    /// <summary>Per clique, the first measurement covering it exactly with one sigma (L2 only), or -1: its gradient is
    /// written straight into the clique gradient and its loss is fused into the clique's Armijo pass.</summary>
    private readonly int[] fusedOf;

    /// <summary><c>-y * w^2</c> for fused measurements, so the gradient is one multiply-add.</summary>
    private readonly double[]?[] negativeScaledY;

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
            // A coarse measurement maps the clique's cells straight onto its coarse cells (projection, then Q): its
            // projection is Q mu_r and its gradient r_{group(k)} / sigma^2 is broadcast back by the same map.
            maps[i] = firstOf[i] != i ? maps[firstOf[i]]
                : m.Coarsening is { } coarse ? IndexMap.Coarse(tree.Domain, tree.MaximalCliques[c], m.Clique, coarse)
                : m.Clique.Equals(tree.MaximalCliques[c]) ? null : IndexMap.Create(tree.Domain, tree.MaximalCliques[c], m.Clique);
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
            else if (kind == MarginalLossKind.L2 && maps[i] is null && fusedOf[c] < 0)
            {
                fusedOf[c] = i;
                negativeScaledY[i] = new double[y[i].Length];
                TensorPrimitives.Multiply(y[i], -weight[i] * weight[i], negativeScaledY[i]);
            }
        }

        var largest = y.Select(v => v.Length).Append(1).Max();
        foreach (var c in tree.MaximalCliques)
        {
            largest = (int)Math.Max(largest, c.CellCount(tree.Domain));
        }

        partials = new double[FactorKernels.SumPartials(largest)];
    }

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
    /// Workspace for <see cref="CliqueGradient"/>: an array per measurement that is not fused (shared by a clique's
    /// measurements), and none for a fused one, whose gradient goes straight into its clique's (a model-sized array
    /// per measured maximal clique saved: 240 MB on a 76 MiB model of 1M-cell pairs).
    /// </summary>
    public double[][] NewGradientWorkspace()
    {
        var arrays = new double[y.Length][];
        var shared = new Dictionary<int, double[]>(); // by the clique's first measurement
        for (var i = 0; i < arrays.Length; i++)
        {
            if (fusedOf[cliqueOf[i]] == i)
            {
                arrays[i] = [];
            }
            else if (!shared.TryGetValue(firstOf[i], out var array))
            {
                arrays[i] = shared[firstOf[i]] = new double[y[i].Length];
            }
            else
            {
                arrays[i] = array;
            }
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
        for (var i = 0; i < y.Length; i++)
        {
            if (maps[i] is { } map && firstOf[i] == i)
            {
                FactorKernels.SumOnto(mu[cliqueOf[i]], map, projections[i]);
            }
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
    public double Quadratic(double[][] differences)
    {
        double sum = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var d = differences[i];
            if (cellWeight[i] is { } cw)
            {
                for (var k = 0; k < d.Length; k++)
                {
                    sum += 0.5 * d[k] * d[k] * cw[k] * cw[k];
                }

                continue;
            }

            var (squares, _) = FactorKernels.ChunkedSums(d.Length, d, static (v, start, length) => (SumOfSquares(v.AsSpan(start, length), default), 0), partials);
            sum += 0.5 * squares * weight[i] * weight[i];
        }

        return sum;
    }

    /// <summary><c>sum_k (a_k - b_k)^2</c>, or <c>sum_k a_k^2</c> when <paramref name="b"/> is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumOfSquares(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
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
    public double LossAndDot(
        double[][] trialMu, double[][] trialProjections, double[][] cliqueGradients, double[][] currentMu, out double dot)
    {
        double loss = 0;
        dot = 0;
        for (var c = 0; c < cliqueGradients.Length; c++)
        {
            var f = fusedOf[c];
            var (d, squares) = FactorKernels.ChunkedSums(
                trialMu[c].Length,
                (g: cliqueGradients[c], cur: currentMu[c], t: trialMu[c], y: f >= 0 ? y[f] : null),
                static (s, start, length) => DotAndSquares(
                    s.g.AsSpan(start, length), s.cur.AsSpan(start, length), s.t.AsSpan(start, length), s.y is null ? default : s.y.AsSpan(start, length)),
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

    /// <summary><c>sum g (cur - t)</c> and, when <paramref name="yf"/> is given, <c>sum (t - yf)^2</c>, in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Dot, double Squares) DotAndSquares(
        ReadOnlySpan<double> g, ReadOnlySpan<double> cur, ReadOnlySpan<double> t, ReadOnlySpan<double> yf)
    {
        var fused = !yf.IsEmpty;
        var k = 0;
        double squares = 0, d = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<double>.Count;
            Vector<double> sq = Vector<double>.Zero, dv = Vector<double>.Zero;
            for (; k <= t.Length - w; k += w)
            {
                var tv = new Vector<double>(t[k..]);
                dv += new Vector<double>(g[k..]) * (new Vector<double>(cur[k..]) - tv);
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
            d += g[k] * (cur[k] - t[k]);
            if (fused)
            {
                squares += (t[k] - yf[k]) * (t[k] - yf[k]);
            }
        }

        return (d, squares);
    }

    /// <summary>
    /// The gradient with respect to each maximal clique's potentials: the measurement gradients broadcast onto their
    /// cliques and summed. A fused measurement writes <c>(mu - y) w^2</c> straight into its clique's gradient;
    /// <paramref name="gradients"/> is workspace for the others.
    /// </summary>
    public void CliqueGradient(double[][] projections, double[][] gradients, double[][] cliqueGradients)
    {
        for (var c = 0; c < cliqueGradients.Length; c++)
        {
            if (fusedOf[c] is var f and >= 0)
            {
                FactorKernels.MultiplyAdd(projections[f], weight[f] * weight[f], negativeScaledY[f]!, cliqueGradients[c]);
            }
            else
            {
                Array.Clear(cliqueGradients[c]);
            }
        }

        for (var i = 0; i < y.Length; i++)
        {
            if (fusedOf[cliqueOf[i]] == i)
            {
                continue;
            }

            Gradient(i, projections[i], gradients[i]);
            var target = cliqueGradients[cliqueOf[i]];
            if (maps[i] is { } map)
            {
                FactorKernels.AddExpanded(target, map, gradients[i]);
            }
            else
            {
                TensorPrimitives.Add(target, gradients[i], target);
            }
        }
    }

    /// <summary>The gradient of measurement <paramref name="i"/> with respect to its projected marginal.</summary>
    private void Gradient(int i, ReadOnlySpan<double> p, Span<double> g)
    {
        ReadOnlySpan<double> yi = y[i];
        if (kind == MarginalLossKind.L2)
        {
            TensorPrimitives.Subtract(p, yi, g);
            if (cellWeight[i] is { } cw)
            {
                TensorPrimitives.Multiply(g, cw, g);
                TensorPrimitives.Multiply(g, cw, g);
            }
            else
            {
                TensorPrimitives.Multiply(g, weight[i] * weight[i], g);
            }
        }
        else
        {
            for (var k = 0; k < p.Length; k++)
            {
                g[k] = Math.Sign(p[k] - yi[k]) * (cellWeight[i] is { } cw ? cw[k] : weight[i]);
            }
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
