using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
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
/// </remarks>
internal sealed class MarginalLoss
{
    private readonly MarginalLossKind kind;
    private readonly int[] cliqueOf;
    private readonly IndexMap?[] maps;
    private readonly double[][] y;
    private readonly double[]?[] cellWeight;
    private readonly double[] weight;

    public MarginalLoss(JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, MarginalLossKind kind)
    {
        Tree = tree;
        this.kind = kind;
        var n = measurements.Count;
        cliqueOf = new int[n];
        maps = new IndexMap?[n];
        y = new double[n][];
        cellWeight = new double[n][];
        weight = new double[n];
        for (var i = 0; i < n; i++)
        {
            var m = measurements[i];
            var c = tree.IndexOfSmallestContaining(m.Clique);
            if (c < 0)
            {
                throw new ArgumentException($"Measurement {m.Clique} lies in no maximal clique.", nameof(measurements));
            }

            cliqueOf[i] = c;
            maps[i] = m.Clique.Equals(tree.MaximalCliques[c]) ? null : IndexMap.Create(tree.Domain, tree.MaximalCliques[c], m.Clique);
            y[i] = [.. m.Values];
            weight[i] = 1.0 / m.Sigma;
            if (!m.CellStd.IsEmpty)
            {
                cellWeight[i] = new double[y[i].Length];
                for (var k = 0; k < y[i].Length; k++)
                {
                    cellWeight[i]![k] = 1.0 / m.CellStd[k];
                }
            }
        }
    }

    /// <summary>The tree the measurements are laid out on.</summary>
    public JunctionTree Tree { get; }

    public int Count => y.Length;

    /// <summary>One array per measurement, sized to its cells.</summary>
    public double[][] NewMeasurementArrays()
    {
        var arrays = new double[y.Length][];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = new double[y[i].Length];
        }

        return arrays;
    }

    /// <summary>Projection arrays for marginals <paramref name="mu"/>: aliases of <paramref name="mu"/> where a measurement covers a whole clique.</summary>
    public double[][] NewProjections(double[][] mu)
    {
        var arrays = new double[y.Length][];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = maps[i] is null ? mu[cliqueOf[i]] : new double[y[i].Length];
        }

        return arrays;
    }

    /// <summary>Projects the clique marginals onto each measurement's clique (aliased ones are already there).</summary>
    public void Project(double[][] mu, double[][] projections)
    {
        for (var i = 0; i < y.Length; i++)
        {
            if (maps[i] is { } map)
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
            loss += Part(projections[i], i, default, default, out _);
        }

        return loss;
    }

    /// <summary>
    /// The loss of <paramref name="trial"/> and <c>sum_i &lt;g_i, current_i - trial_i&gt;</c> (the Armijo term), in
    /// one pass over the trial projections.
    /// </summary>
    public double LossAndDot(double[][] trial, double[][] gradients, double[][] current, out double dot)
    {
        double loss = 0;
        dot = 0;
        for (var i = 0; i < y.Length; i++)
        {
            loss += Part(trial[i], i, gradients[i], current[i], out var d);
            dot += d;
        }

        return loss;
    }

    /// <summary>The gradient with respect to each measurement's projected marginal.</summary>
    public void Gradient(double[][] projections, double[][] gradients)
    {
        for (var i = 0; i < y.Length; i++)
        {
            ReadOnlySpan<double> p = projections[i], yi = y[i];
            var g = gradients[i].AsSpan();
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
    }

    /// <summary>Sums the measurement gradients, broadcast, onto their maximal cliques.</summary>
    public void Broadcast(double[][] gradients, double[][] cliqueGradients)
    {
        foreach (var g in cliqueGradients)
        {
            Array.Clear(g);
        }

        for (var i = 0; i < y.Length; i++)
        {
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

    /// <summary>One measurement's loss and, when <paramref name="g"/> is given, <c>&lt;g, current - p&gt;</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Part(ReadOnlySpan<double> p, int i, ReadOnlySpan<double> g, ReadOnlySpan<double> current, out double dot)
    {
        ReadOnlySpan<double> yi = y[i];
        var cw = cellWeight[i];
        var withDot = !g.IsEmpty;
        double loss = 0;
        dot = 0;
        var k = 0;
        if (kind == MarginalLossKind.L2 && cw is null && Vector.IsHardwareAccelerated)
        {
            // The common case (one sigma per measurement), vectorized: sum (p - y)^2 and sum g (current - p).
            var w = Vector<double>.Count;
            Vector<double> squares = Vector<double>.Zero, dots = Vector<double>.Zero;
            for (; k <= p.Length - w; k += w)
            {
                var d = new Vector<double>(p[k..]) - new Vector<double>(yi[k..]);
                squares += d * d;
                if (withDot)
                {
                    dots += new Vector<double>(g[k..]) * (new Vector<double>(current[k..]) - new Vector<double>(p[k..]));
                }
            }

            loss = Vector.Sum(squares) * 0.5 * weight[i] * weight[i];
            dot = Vector.Sum(dots);
        }

        for (; k < p.Length; k++)
        {
            var wk = cw is null ? weight[i] : cw[k];
            var d = p[k] - yi[k];
            loss += kind == MarginalLossKind.L2 ? 0.5 * d * d * wk * wk : Math.Abs(d) * wk;
            if (withDot)
            {
                dot += g[k] * (current[k] - p[k]);
            }
        }

        return loss;
    }
}
