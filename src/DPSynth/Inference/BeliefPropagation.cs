using System.Numerics.Tensors;
using DPSynth.Inference.Kernels;

namespace DPSynth.Inference;

/// <summary>
/// Two-pass sum-product belief propagation in log space on a <see cref="JunctionTree"/>: log-potentials on the
/// maximal cliques in, calibrated clique marginals out. One instance owns its message buffers and reuses them, so a
/// steady-state call allocates nothing. Not thread-safe: use one instance per thread.
/// </summary>
/// <remarks>
/// Upward pass (children before parents): <c>up_c = LSE_{C_c \ S_c}(theta_c + sum_{children d} up_d)</c>, added into the
/// parent's belief. Downward pass (parents first): the parent's belief is then complete, and
/// <c>down_c = LSE_{C_p \ S_c}(belief_p) - up_c</c> (Hugin-style: <c>up_c</c> is constant over the summed-out
/// attributes, so subtracting it after the sum equals leaving it out before), which is added into the child's belief.
/// The per-target maximum of <see cref="FactorKernels.LogSumExpOnto"/> keeps every upward message finite,
/// so the subtraction never meets <c>-inf - -inf</c>. The downward sums run on the marginals (see
/// <see cref="Run"/>). Afterwards <c>belief_c = log Z + log P(C_c)</c> for every clique.
/// </remarks>
public sealed class BeliefPropagation
{
    private readonly double[][] up;
    private readonly double[][] down;
    private readonly double[] scratch;

    /// <summary>Creates the message buffers for <paramref name="tree"/>.</summary>
    public BeliefPropagation(JunctionTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        Tree = tree;
        var m = tree.MaximalCliques.Length;
        up = new double[m][];
        down = new double[m][];
        long largestClique = 1, largestSeparator = 1;
        for (var i = 0; i < m; i++)
        {
            var sepCells = (int)tree.Separators[i].CellCount(tree.Domain);
            up[i] = new double[sepCells];
            down[i] = new double[sepCells];
            largestClique = Math.Max(largestClique, tree.MaximalCliques[i].CellCount(tree.Domain));
            largestSeparator = Math.Max(largestSeparator, sepCells);
        }

        // A message reads any clique onto any separator: the kernel needs both sizes at once.
        scratch = new double[largestClique + largestSeparator];
    }

    /// <summary>The tree messages run on.</summary>
    public JunctionTree Tree { get; }

    /// <summary>
    /// Calibrated marginals on the count scale (each sums to <paramref name="total"/>) of the distribution
    /// proportional to <c>exp(sum of potentials)</c>. <paramref name="potentials"/> may be over any cliques that each
    /// lie inside a maximal clique of the tree; each is added to the first such maximal clique.
    /// </summary>
    public CliqueVector Calibrate(CliqueVector potentials, double total)
    {
        ArgumentNullException.ThrowIfNull(potentials);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        var theta = Fold(Tree, potentials);
        var beliefs = NewCliqueArrays(Tree);
        var mu = NewCliqueArrays(Tree);
        Run(theta, total, beliefs, mu);
        var factors = new Factor[mu.Length];
        for (var i = 0; i < mu.Length; i++)
        {
            factors[i] = Factor.Own(Tree.Domain, Tree.MaximalCliques[i], mu[i]);
        }

        return new CliqueVector(Tree.Domain, factors);
    }

    /// <summary>
    /// Runs both passes. <paramref name="beliefs"/>[c] receives <c>log Z + log P(C_c)</c> (up to cells whose
    /// probability underflows, which become <c>-inf</c>) and <paramref name="mu"/>[c] the count-scale marginal
    /// <c>total * P(C_c)</c>; returns <c>log Z</c>.
    /// </summary>
    /// <remarks>
    /// The downward pass works in probability space: once a parent's belief is complete its marginal <c>mu_p</c> is
    /// needed anyway, and <c>LSE_{C_p \ S}(belief_p) = log(sum_{C_p \ S} mu_p) - log(total) + log Z</c>, so a
    /// plain sum replaces a second log-sum-exp over the (largest) parent cliques. A separator cell whose probability
    /// underflows to 0 gives a <c>-inf</c> message: those child cells have probability below 1e-308 and get 0, which
    /// is their value to double precision; upward messages stay finite, so no <c>-inf - -inf</c> arises.
    /// </remarks>
    internal double Run(double[][] theta, double total, double[][] beliefs, double[][] mu)
    {
        var order = Tree.Preorder;
        for (var c = 0; c < theta.Length; c++)
        {
            theta[c].AsSpan().CopyTo(beliefs[c]);
        }

        for (var k = order.Length - 1; k > 0; k--)
        {
            var c = order[k];
            FactorKernels.LogSumExpOnto(beliefs[c], Tree.ChildToSeparator(c), up[c], scratch);
            FactorKernels.AddExpanded(beliefs[Tree.Parents[c]], Tree.ParentToSeparator(c), up[c]);
        }

        var root = Tree.Root;
        var max = TensorPrimitives.Max<double>(beliefs[root]);
        FactorKernels.ExpShifted(beliefs[root], -max, mu[root]);
        var sum = TensorPrimitives.Sum<double>(mu[root]);
        var logZ = max + Math.Log(sum);
        TensorPrimitives.Multiply(mu[root], total / sum, mu[root]);
        var logTotal = Math.Log(total);
        for (var k = 1; k < order.Length; k++)
        {
            var c = order[k];
            var message = down[c];
            FactorKernels.SumOnto(mu[Tree.Parents[c]], Tree.ParentToSeparator(c), message);
            TensorPrimitives.Log(message, message);
            TensorPrimitives.Add(message, logZ - logTotal, message);
            TensorPrimitives.Subtract(message, up[c], message);
            FactorKernels.AddExpanded(beliefs[c], Tree.ChildToSeparator(c), message);
            FactorKernels.ExpShifted(beliefs[c], logTotal - logZ, mu[c]);
        }

        return logZ;
    }

    /// <summary>One zeroed array per maximal clique.</summary>
    internal static double[][] NewCliqueArrays(JunctionTree tree)
    {
        var arrays = new double[tree.MaximalCliques.Length][];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = new double[tree.MaximalCliques[i].CellCount(tree.Domain)];
        }

        return arrays;
    }

    /// <summary>Adds each factor, broadcast, to the first maximal clique containing it.</summary>
    internal static double[][] Fold(JunctionTree tree, CliqueVector potentials)
    {
        var theta = NewCliqueArrays(tree);
        foreach (var f in potentials)
        {
            var target = -1;
            for (var i = 0; i < tree.MaximalCliques.Length && target < 0; i++)
            {
                if (f.Clique.IsSubsetOf(tree.MaximalCliques[i]))
                {
                    target = i;
                }
            }

            if (target < 0)
            {
                throw new ArgumentException($"Potential {f.Clique} lies in no maximal clique of the tree.", nameof(potentials));
            }

            FactorKernels.AddExpanded(theta[target], IndexMap.Create(tree.Domain, tree.MaximalCliques[target], f.Clique), f.Values);
        }

        return theta;
    }
}
