using DPSynth.Inference.Kernels;

namespace DPSynth.Inference;

/// <summary>
/// Two-pass sum-product belief propagation in log space on a <see cref="JunctionTree"/>: log-potentials on the
/// maximal cliques in, calibrated clique marginals out. One instance owns its message buffers and reuses them, so a
/// steady-state call allocates nothing. Not thread-safe: use one instance per thread.
/// </summary>
/// <remarks>
/// Upward pass (children before parents): <c>up_c = LSE_{C_c \ S_c}(theta_c + sum_{children d} up_d)</c>, added into the
/// parent's belief. Downward pass (parents first): once the parent's marginal is known, the child's marginal is its
/// upward belief times the separator's marginal over the upward message (Hugin's update in probability space, see
/// <see cref="Run"/>). The per-target maximum of the upward log-sum-exp keeps every upward message finite when the
/// potentials are; a potential of <c>-inf</c> (a structural zero, <see cref="StructuralZeros"/>) can make a message
/// <c>-inf</c>, and its cells then get probability exactly 0. Afterwards every clique holds its marginal
/// <c>total * P(C_c)</c>.
/// </remarks>
public sealed class BeliefPropagation
{
    private readonly double[][] up;
    private readonly double[][] sums;
    private readonly double[][] ratios;
    private readonly double[] chunkMax;
    private readonly double[] chunkSum;
    private readonly bool[] written;
    private readonly IndexMap[] rootMaps;
    private readonly double[][] rootMessages;

    /// <summary>Per clique, its children's maps and upward messages when its own log-sum-exp adds them on the way
    /// (<see cref="FactorKernels.AddsMessagesInLogSumExp"/>), else null: then no partial belief is written for it.</summary>
    private readonly IndexMap[]?[] childMaps;
    private readonly double[]?[][] childMessages;

    /// <summary>Per clique, whether its own log-sum-exp (the root's normalisation) is the first to read its potentials,
    /// so the kernel can take a step on the way (piece by piece where it can, else in a pass of its own first); else its
    /// first child's message reads them, and a step writes them before the upward pass.</summary>
    private readonly bool[] kernelReadsFirst;

    /// <summary>Creates the message buffers for <paramref name="tree"/>.</summary>
    public BeliefPropagation(JunctionTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        Tree = tree;
        var m = tree.MaximalCliques.Length;
        up = new double[m][];
        sums = new double[m][];
        ratios = new double[m][];
        long largestClique = 1;
        for (var i = 0; i < m; i++)
        {
            var sepCells = (int)tree.Separators[i].CellCount(tree.Domain);
            up[i] = new double[sepCells];
            sums[i] = new double[sepCells];
            ratios[i] = new double[sepCells];
            largestClique = Math.Max(largestClique, tree.MaximalCliques[i].CellCount(tree.Domain));
        }

        chunkMax = new double[FactorKernels.ChunkCount((int)largestClique)];
        chunkSum = new double[chunkMax.Length];
        written = new bool[m];
        var rootChildren = Enumerable.Range(0, m).Where(c => tree.Parents[c] == tree.Root).ToArray();
        rootMaps = [.. rootChildren.Select(tree.ParentToSeparator)];
        rootMessages = [.. rootChildren.Select(c => up[c])];
        childMaps = new IndexMap[]?[m];
        childMessages = new double[]?[m][];
        kernelReadsFirst = new bool[m];
        for (var p = 0; p < m; p++)
        {
            // In the upward pass's order (reverse preorder), so the messages are added in the order the partial
            // belief would have summed them: the same bits.
            var children = tree.Preorder.Skip(1).Reverse().Where(c => tree.Parents[c] == p).ToArray();
            if (p != tree.Root && children.Length > 0 && FactorKernels.AddsMessagesInLogSumExp(tree.ChildToSeparator(p)))
            {
                childMaps[p] = [.. children.Select(tree.ParentToSeparator)];
                childMessages[p] = [.. children.Select(c => up[c])];
            }

            kernelReadsFirst[p] = p == tree.Root || children.Length == 0 || childMaps[p] is not null;
        }
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
    /// <para>Upward, a clique's partial belief <c>b_c = theta_c + sum_{children} up_d</c> is written by the first child's
    /// message (<c>partial = theta + expand(up)</c>), so leaves are read straight from <paramref name="theta"/> and no
    /// clique is copied; a clique whose every separator cell owns one block of its cells gets its children's messages
    /// inside its log-sum-exp instead, and no partial belief at all. Its message to the parent is
    /// <c>up_c[s] = m_s + log sum_s</c> with <c>m_s</c> the largest <c>b_c</c> behind separator cell <c>s</c> and
    /// <c>sum_s = sum exp(b_c - m_s)</c>; the exponentials <c>E_c = exp(b_c - m_s)</c> are kept in <c>mu[c]</c>, free
    /// until the downward pass, and the sums beside them. The root's messages are added inside
    /// <see cref="FactorKernels.NormalizedExp(double[], IndexMap[], double[][], double, double[], double[], double[], PotentialStep)"/>, which
    /// gives its marginal and <c>log Z</c> without writing its belief.</para>
    /// <para>Downward, once the parent's marginal <c>mu_p</c> is known, the child's is
    /// <c>exp(b_c + log(sum_{C_p \ S} mu_p) - up_c) = E_c * (sum_{C_p \ S} mu_p)[s] / sum_s</c>: one multiplication a
    /// cell, where the log-space form took a second exponential of every cell. A cell whose <c>E_c</c> underflowed to 0
    /// has probability below <c>total * 1e-308</c> and gets 0, its value to double precision; a separator cell whose
    /// sum is 0 (every cell behind it a structural zero) has marginal 0 and gets ratio 0, so no <c>0 / 0</c> arises.</para>
    /// <para>Where <paramref name="steps"/> has an entry for a clique, that step writes <paramref name="theta"/>'s array
    /// for it (and must target that array): piece by piece inside the root's normalisation or a log-sum-exp whose every
    /// separator cell owns one block, in a pass of its own just before any other log-sum-exp of the clique, and all at
    /// once before the upward pass where a child's message reads the potentials first. The same bits either way.</para>
    /// </remarks>
    internal double Run(double[][] theta, double total, double[][] partial, double[][] mu, PotentialStep?[]? steps = null)
    {
        var order = Tree.Preorder;
        Array.Clear(written);
        if (steps is not null)
        {
            if (steps.Length != theta.Length)
            {
                throw new ArgumentException($"{steps.Length} steps for {theta.Length} cliques.", nameof(steps));
            }

            for (var c = 0; c < steps.Length; c++)
            {
                if (steps[c] is { } step && !ReferenceEquals(step.Target, theta[c]))
                {
                    throw new ArgumentException($"The step of clique {c} does not write its potentials.", nameof(steps));
                }
            }

            for (var c = 0; c < steps.Length; c++)
            {
                if (steps[c] is { } step && !kernelReadsFirst[c])
                {
                    step.WriteAll();
                }
            }
        }

        PotentialStep? StepOf(int c) => steps is not null && kernelReadsFirst[c] ? steps[c] : null;
        for (var k = order.Length - 1; k > 0; k--)
        {
            var c = order[k];
            var parent = Tree.Parents[c];
            if (childMaps[c] is { } maps)
            {
                FactorKernels.LogSumExpOnto(theta[c], maps, childMessages[c]!, Tree.ChildToSeparator(c), up[c], sums[c], mu[c], StepOf(c));
            }
            else
            {
                FactorKernels.LogSumExpOnto(written[c] ? partial[c] : theta[c], Tree.ChildToSeparator(c), up[c], sums[c], mu[c], StepOf(c));
            }

            if (parent != Tree.Root && childMaps[parent] is null)
            {
                FactorKernels.AddExpanded(
                    written[parent] ? partial[parent] : theta[parent], Tree.ParentToSeparator(c), up[c], partial[parent], false);
                written[parent] = true;
            }
        }

        // The root's messages are added chunk by chunk inside the normalisation: its belief is never written.
        var root = Tree.Root;
        var logZ = FactorKernels.NormalizedExp(theta[root], rootMaps, rootMessages, total, mu[root], chunkMax, chunkSum, StepOf(root));
        for (var k = 1; k < order.Length; k++)
        {
            var c = order[k];
            var sum = sums[c];
            var ratio = ratios[c];
            FactorKernels.SumOnto(mu[Tree.Parents[c]], Tree.ParentToSeparator(c), ratio);
            for (var s = 0; s < ratio.Length; s++)
            {
                ratio[s] = sum[s] > 0 ? ratio[s] / sum[s] : 0;
            }

            FactorKernels.MultiplyExpanded(mu[c], Tree.ChildToSeparator(c), ratio);
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
