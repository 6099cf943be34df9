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
/// The per-target maximum of <see cref="FactorKernels.LogSumExpOnto(ReadOnlySpan{double}, IndexMap, Span{double}, Span{double})"/> keeps every upward message finite
/// when the potentials are; a potential of <c>-inf</c> (a structural zero, <see cref="StructuralZeros"/>) can make a
/// message <c>-inf</c>, and those cells are set to <c>-inf</c> rather than computed as <c>-inf - -inf</c> = NaN. The downward sums run on the marginals (see
/// <see cref="Run"/>). Afterwards every clique holds its marginal <c>total * P(C_c)</c>.
/// </remarks>
public sealed class BeliefPropagation
{
    private readonly double[][] up;
    private readonly double[][] down;
    private readonly double[] scratch;
    private readonly double[] chunkMax;
    private readonly double[] chunkSum;
    private readonly bool[] written;
    private readonly IndexMap[] rootMaps;
    private readonly double[][] rootMessages;

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
        chunkMax = new double[FactorKernels.ChunkCount((int)largestClique)];
        chunkSum = new double[chunkMax.Length];
        written = new bool[m];
        var rootChildren = Enumerable.Range(0, m).Where(c => tree.Parents[c] == tree.Root).ToArray();
        rootMaps = [.. rootChildren.Select(tree.ParentToSeparator)];
        rootMessages = [.. rootChildren.Select(c => up[c])];
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
        var mu = NewCliqueArrays(Tree);
        Run(theta, total, NewCliqueArrays(Tree), mu);
        var factors = new Factor[mu.Length];
        for (var i = 0; i < mu.Length; i++)
        {
            factors[i] = Factor.Own(Tree.Domain, Tree.MaximalCliques[i], mu[i]);
        }

        return new CliqueVector(Tree.Domain, factors);
    }

    /// <summary>
    /// Runs both passes: <paramref name="mu"/>[c] receives the count-scale marginal <c>total * P(C_c)</c>; returns
    /// <c>log Z</c>. <paramref name="partial"/> is workspace (one array per clique) for the upward-pass beliefs.
    /// </summary>
    /// <remarks>
    /// <para>Upward, a clique's partial belief <c>theta_c + sum_{children} up_d</c> is written by the first child's
    /// message (<c>partial = theta + expand(up)</c>), so leaves are read straight from <paramref name="theta"/> and no
    /// clique is copied. The root's messages are added inside
    /// <see cref="FactorKernels.NormalizedExp(double[], IndexMap[], double[][], double, double[], double[], double[])"/>, which
    /// gives its marginal and <c>log Z</c> without writing its belief.</para>
    /// <para>The downward pass works in probability space: once a parent's marginal <c>mu_p</c> is known,
    /// <c>LSE_{C_p \ S}(belief_p) = log(sum_{C_p \ S} mu_p) - log(total) + log Z</c>, so a plain sum replaces a
    /// log-sum-exp over the (largest) parent cliques, and the child's marginal is
    /// <c>exp(partial_c + expand(down_c) - log Z + log total)</c> in one pass. A separator cell whose probability
    /// underflows to 0 gives a <c>-inf</c> message: those child cells have probability below 1e-308 and get 0, their
    /// value to double precision; upward messages stay finite, so no <c>-inf - -inf</c> arises.</para>
    /// </remarks>
    internal double Run(double[][] theta, double total, double[][] partial, double[][] mu)
    {
        var order = Tree.Preorder;
        Array.Clear(written);
        for (var k = order.Length - 1; k > 0; k--)
        {
            var c = order[k];
            var parent = Tree.Parents[c];
            FactorKernels.LogSumExpOnto(written[c] ? partial[c] : theta[c], Tree.ChildToSeparator(c), up[c], scratch);
            if (parent != Tree.Root)
            {
                FactorKernels.AddExpanded(
                    written[parent] ? partial[parent] : theta[parent], Tree.ParentToSeparator(c), up[c], partial[parent], false);
                written[parent] = true;
            }
        }

        // The root's messages are added chunk by chunk inside the normalisation: its belief is never written.
        var root = Tree.Root;
        var logZ = FactorKernels.NormalizedExp(theta[root], rootMaps, rootMessages, total, mu[root], chunkMax, chunkSum);
        for (var k = 1; k < order.Length; k++)
        {
            var c = order[k];
            var message = down[c];
            FactorKernels.SumOnto(mu[Tree.Parents[c]], Tree.ParentToSeparator(c), message);

            // message = log(sum) + log Z - log total - up (the downward message), then + log total - log Z for the
            // child's normalisation: the two shifts cancel, leaving log(sum) - up.
            TensorPrimitives.Log(message, message);
            TensorPrimitives.Subtract(message, up[c], message);
            FixStructuralZeros(message, up[c]);
            FactorKernels.AddExpanded(written[c] ? partial[c] : theta[c], Tree.ChildToSeparator(c), message, mu[c], true);
        }

        return logZ;
    }

    /// <summary>
    /// Where the child's upward message is <c>-inf</c> (every cell of the child behind that separator cell is a structural
    /// zero), the parent's marginal there is exactly 0 too, and <c>log 0 - (-inf)</c> is NaN: the message is <c>-inf</c>,
    /// so those child cells get probability 0, their exact value.
    /// </summary>
    private static void FixStructuralZeros(double[] message, double[] up)
    {
        for (var s = 0; s < message.Length; s++)
        {
            if (double.IsNegativeInfinity(up[s]))
            {
                message[s] = double.NegativeInfinity;
            }
        }
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
