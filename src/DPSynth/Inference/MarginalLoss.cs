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
/// gradients broadcast onto it.
/// </remarks>
internal sealed class MarginalLoss
{
    private readonly JunctionTree tree;
    private readonly MarginalLossKind kind;
    private readonly int[] cliqueOf;
    private readonly IndexMap?[] maps;
    private readonly double[][] y;
    private readonly double[][] inverseStd;

    public MarginalLoss(JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, MarginalLossKind kind)
    {
        this.tree = tree;
        this.kind = kind;
        var n = measurements.Count;
        cliqueOf = new int[n];
        maps = new IndexMap?[n];
        y = new double[n][];
        inverseStd = new double[n][];
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
            inverseStd[i] = new double[y[i].Length];
            for (var k = 0; k < y[i].Length; k++)
            {
                inverseStd[i][k] = 1.0 / m.StdOf(k);
            }
        }
    }

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

    /// <summary>Projects the clique marginals onto each measurement's clique (aliases the clique array when equal).</summary>
    public void Project(double[][] mu, double[][] projections)
    {
        for (var i = 0; i < y.Length; i++)
        {
            if (maps[i] is { } map)
            {
                FactorKernels.SumOnto(mu[cliqueOf[i]], map, projections[i]);
            }
            else
            {
                mu[cliqueOf[i]].AsSpan().CopyTo(projections[i]);
            }
        }
    }

    /// <summary>The loss of projected marginals.</summary>
    public double Loss(double[][] projections)
    {
        double loss = 0;
        for (var i = 0; i < y.Length; i++)
        {
            ReadOnlySpan<double> p = projections[i], yi = y[i], w = inverseStd[i];
            double part = 0;
            if (kind == MarginalLossKind.L2)
            {
                for (var k = 0; k < p.Length; k++)
                {
                    var d = (p[k] - yi[k]) * w[k];
                    part += d * d;
                }

                part *= 0.5;
            }
            else
            {
                for (var k = 0; k < p.Length; k++)
                {
                    part += Math.Abs(p[k] - yi[k]) * w[k];
                }
            }

            loss += part;
        }

        return loss;
    }

    /// <summary>The gradient with respect to each measurement's projected marginal.</summary>
    public void Gradient(double[][] projections, double[][] gradients)
    {
        for (var i = 0; i < y.Length; i++)
        {
            ReadOnlySpan<double> p = projections[i], yi = y[i], w = inverseStd[i];
            var g = gradients[i].AsSpan();
            for (var k = 0; k < p.Length; k++)
            {
                g[k] = kind == MarginalLossKind.L2 ? (p[k] - yi[k]) * w[k] * w[k] : Math.Sign(p[k] - yi[k]) * w[k];
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
            if (maps[i] is { } map)
            {
                FactorKernels.AddExpanded(cliqueGradients[cliqueOf[i]], map, gradients[i]);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Add(cliqueGradients[cliqueOf[i]], gradients[i], cliqueGradients[cliqueOf[i]]);
            }
        }
    }

    /// <summary><c>sum_i &lt;g_i, a_i - b_i&gt;</c> over measurements.</summary>
    public static double Dot(double[][] gradients, double[][] a, double[][] b)
    {
        double dot = 0;
        for (var i = 0; i < gradients.Length; i++)
        {
            ReadOnlySpan<double> g = gradients[i], ai = a[i], bi = b[i];
            for (var k = 0; k < g.Length; k++)
            {
                dot += g[k] * (ai[k] - bi[k]);
            }
        }

        return dot;
    }

    /// <summary>The tree the measurements are laid out on.</summary>
    public JunctionTree Tree => tree;
}
