using System.Collections.Immutable;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// Cells a model must give probability exactly 0: the compiled constraints of a schema, each a 0/1 mask over the cells
/// of a clique. The estimator adds each clique to the junction tree and keeps the log-potential of every forbidden cell
/// at <c>-inf</c>, so belief propagation, mirror descent, sampling, conditioning and rebalancing never put mass there.
/// Immutable.
/// </summary>
/// <remarks>
/// The masks come from the schema, which is public: applying them reads no data and spends no budget (post-processing of
/// public knowledge, docs/privacy.md). Product of masks = the indicator of rows that satisfy every constraint; the
/// constructor refuses masks that together leave no row possible, checked exactly by belief propagation on the masks'
/// own junction tree (the model would otherwise have no distribution to fit).
/// </remarks>
public sealed class StructuralZeros
{
    private StructuralZeros(ImmutableArray<(Clique Clique, ImmutableArray<bool> Allowed)> masks, ImmutableArray<string> labels)
    {
        Masks = masks;
        Labels = labels;
    }

    /// <summary>No structural zero.</summary>
    public static StructuralZeros None { get; } = new([], []);

    /// <summary>Each mask: a clique, and for every cell of it (row-major) whether it is allowed.</summary>
    public ImmutableArray<(Clique Clique, ImmutableArray<bool> Allowed)> Masks { get; }

    /// <summary>The constraint each mask came from, as written (for messages).</summary>
    public ImmutableArray<string> Labels { get; }

    /// <summary>True when there is no mask.</summary>
    public bool IsEmpty => Masks.IsEmpty;

    /// <summary>The masks' cliques (the estimator adds them to the junction tree).</summary>
    public IEnumerable<Clique> Cliques => Masks.Select(m => m.Clique);


    /// <summary>The structural zeros of <paramref name="schema"/>'s constraints.</summary>
    /// <exception cref="InputException">The constraints together rule out every row.</exception>
    public static StructuralZeros FromSchema(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Create(schema.Domain, schema.Constraints.Select(c => (new Clique(c.Columns), c.Allowed, c.Text)));
    }

    /// <summary>Masks over <paramref name="domain"/>: each clique with one flag per cell and a label.</summary>
    /// <exception cref="ArgumentException">A mask does not fit the domain.</exception>
    /// <exception cref="InputException">The masks together rule out every row.</exception>
    public static StructuralZeros Create(
        Domain domain, IEnumerable<(Clique Clique, ImmutableArray<bool> Allowed, string Label)> masks)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(masks);
        var list = masks.ToArray();
        if (list.Length == 0)
        {
            return None;
        }

        foreach (var (clique, allowed, label) in list)
        {
            if (clique.Count == 0 || clique[clique.Count - 1] >= domain.Count || allowed.Length != clique.CellCount(domain))
            {
                throw new ArgumentException($"The mask of '{label}' does not fit the domain.", nameof(masks));
            }
        }

        var zeros = new StructuralZeros([.. list.Select(m => (m.Clique, m.Allowed))], [.. list.Select(m => m.Label)]);
        zeros.CheckFeasible(domain);
        return zeros;
    }

    /// <summary>
    /// For each maximal clique of <paramref name="tree"/>, the sorted cells some mask contained in it forbids (every
    /// maximal clique holding a mask's clique gets it, so no warm start or fold can leave mass there).
    /// </summary>
    /// <exception cref="ArgumentException">A mask's clique lies in no maximal clique, or does not fit the tree's domain.</exception>
    internal int[][] ForbiddenCells(JunctionTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var result = new int[tree.MaximalCliques.Length][];
        for (var c = 0; c < result.Length; c++)
        {
            var maximal = tree.MaximalCliques[c];
            double[]? indicator = null;
            foreach (var (clique, allowed) in Masks)
            {
                if (!clique.IsSubsetOf(maximal))
                {
                    continue;
                }

                if (allowed.Length != clique.CellCount(tree.Domain))
                {
                    throw new ArgumentException($"A mask over {clique} does not fit the model's domain.", nameof(tree));
                }

                // Broadcast the mask's "forbidden" indicator onto the maximal clique: cell i is forbidden when > 0.
                indicator ??= new double[maximal.CellCount(tree.Domain)];
                var forbidden = new double[allowed.Length];
                for (var k = 0; k < forbidden.Length; k++)
                {
                    forbidden[k] = allowed[k] ? 0 : 1;
                }

                FactorKernels.AddExpanded(indicator, IndexMap.Create(tree.Domain, maximal, clique), forbidden);
            }

            result[c] = indicator is null ? [] : [.. Enumerable.Range(0, indicator.Length).Where(i => indicator[i] > 0)];
        }

        foreach (var (clique, _) in Masks)
        {
            if (tree.IndexOfSmallestContaining(clique) < 0)
            {
                throw new ArgumentException($"The mask over {clique} lies in no maximal clique of the tree.", nameof(tree));
            }
        }

        return result;
    }

    /// <summary>
    /// For each value of <paramref name="attribute"/>, a class number: two values share one when every mask gives them
    /// the same allowed combinations of the other attributes, so a row may swap one for the other without breaking a
    /// constraint. All values share class 0 when no mask involves the attribute.
    /// </summary>
    public int[] ValueClasses(Domain domain, int attribute)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var size = domain.Size(attribute);
        var signatures = new StringBuilder[size];
        for (var v = 0; v < size; v++)
        {
            signatures[v] = new StringBuilder();
        }

        foreach (var (clique, allowed) in Masks)
        {
            var position = clique.IndexOf(attribute);
            if (position < 0)
            {
                continue;
            }

            // Row-major: the attribute's digit of cell i is (i / stride) % size; each value's cells come in one order.
            var stride = 1;
            for (var p = clique.Count - 1; p > position; p--)
            {
                stride *= domain.Size(clique[p]);
            }

            for (var cell = 0; cell < allowed.Length; cell++)
            {
                signatures[cell / stride % size].Append(allowed[cell] ? '1' : '0');
            }
        }

        var classOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var classes = new int[size];
        for (var v = 0; v < size; v++)
        {
            var key = signatures[v].ToString();
            classes[v] = classOf.TryGetValue(key, out var c) ? c : classOf[key] = classOf.Count;
        }

        return classes;
    }

    /// <summary>Sets every forbidden cell of <paramref name="theta"/> (log-potentials per maximal clique) to <c>-inf</c>.</summary>
    internal static void Apply(int[][] forbidden, double[][] theta)
    {
        for (var c = 0; c < forbidden.Length; c++)
        {
            var cells = theta[c];
            foreach (var i in forbidden[c])
            {
                cells[i] = double.NegativeInfinity;
            }
        }
    }

    /// <summary>Refuses masks that leave no row possible: log Z of their product is <c>-inf</c>.</summary>
    private void CheckFeasible(Domain domain)
    {
        var tree = new JunctionTree(domain, Cliques);
        var theta = BeliefPropagation.NewCliqueArrays(tree);
        Apply(ForbiddenCells(tree), theta);
        var logZ = new BeliefPropagation(tree).Run(
            theta, 1, BeliefPropagation.NewCliqueArrays(tree), BeliefPropagation.NewCliqueArrays(tree));
        if (double.IsNegativeInfinity(logZ))
        {
            throw new InputException(Messages.ConstraintsContradict(Labels));
        }
    }
}
