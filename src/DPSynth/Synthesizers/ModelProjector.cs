using DPSynth.Inference;
using DPSynth.Marginals;

namespace DPSynth.Synthesizers;

/// <summary>
/// The model's marginals of many candidate cliques, for AIM and MWEM+PGM's scores. A clique inside one maximal clique
/// is a sum of that clique's marginal (<see cref="GraphicalModel.Project"/>). Any other clique is answered by sum-product
/// messages along the smallest subtree of the junction tree that covers it, carrying only the clique's own attributes
/// across separators, so the intermediate tables stay at about <c>|C| * |r|</c> cells; general variable elimination
/// can build much larger ones. Read-only after construction, so safe to call from several threads.
/// </summary>
/// <remarks>
/// On the subtree, <c>P(C_1 ... C_m) = prod_i mu_i / prod_(i,j) mu_(C_i ∩ C_j)</c> (the junction-tree factorisation of
/// calibrated marginals); with count-scale marginals the result is on the count scale too (m cliques over m - 1
/// separators). Computed in log space.
/// </remarks>
internal sealed class ModelProjector
{
    private readonly GraphicalModel model;
    private readonly JunctionTree tree;
    private readonly Factor[] logMarginals;
    private readonly List<int>[] neighbours;

    /// <summary>Prepares the log marginals and the tree's adjacency of <paramref name="model"/>.</summary>
    public ModelProjector(GraphicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        tree = model.Tree;
        var marginals = model.Marginals;
        var m = tree.MaximalCliques.Length;
        logMarginals = new Factor[m];
        neighbours = new List<int>[m];
        for (var i = 0; i < m; i++)
        {
            logMarginals[i] = marginals[i].Log();
            neighbours[i] = [];
        }

        for (var i = 0; i < m; i++)
        {
            if (tree.Parents[i] >= 0)
            {
                neighbours[i].Add(tree.Parents[i]);
                neighbours[tree.Parents[i]].Add(i);
            }
        }
    }

    /// <summary>The model's marginal of <paramref name="clique"/> on the count scale (row-major).</summary>
    public double[] Project(Clique clique)
    {
        ArgumentNullException.ThrowIfNull(clique);
        if (clique.Count == 0 || tree.IndexOfSmallestContaining(clique) >= 0)
        {
            return model.Project(clique);
        }

        // Root the tree at a clique holding the first attribute; keep the union of the paths to one holder of each
        // other attribute (the smallest subtree covering the clique, by the running intersection property).
        var root = Holder(clique[0]);
        var parent = new int[neighbours.Length];
        var order = new List<int>(neighbours.Length);
        Array.Fill(parent, -2);
        parent[root] = -1;
        order.Add(root);
        for (var k = 0; k < order.Count; k++)
        {
            foreach (var j in neighbours[order[k]])
            {
                if (parent[j] == -2)
                {
                    parent[j] = order[k];
                    order.Add(j);
                }
            }
        }

        var kept = new bool[neighbours.Length];
        foreach (var a in clique.Attributes)
        {
            for (var c = Holder(a); c >= 0 && !kept[c]; c = parent[c])
            {
                kept[c] = true;
            }
        }

        // Leaves first: each kept clique sends its parent a message over (separator ∪ clique attributes below it).
        var messages = new Factor?[neighbours.Length];
        for (var k = order.Count - 1; k >= 0; k--)
        {
            var c = order[k];
            if (!kept[c])
            {
                continue;
            }

            var belief = logMarginals[c];
            foreach (var j in neighbours[c])
            {
                if (j != parent[c] && messages[j] is { } message)
                {
                    belief = belief.Add(message).Add(Negate(logMarginals[c].LogSumExpOnto(tree.MaximalCliques[c].Intersect(tree.MaximalCliques[j]))));
                }
            }

            var keep = c == root
                ? clique
                : tree.MaximalCliques[c].Intersect(tree.MaximalCliques[parent[c]]).Union(clique.Intersect(belief.Clique));
            messages[c] = belief.LogSumExpOnto(keep);
        }

        return messages[root]!.Exp().Values.ToArray();
    }

    private int Holder(int attribute)
    {
        for (var i = 0; i < tree.MaximalCliques.Length; i++)
        {
            if (tree.MaximalCliques[i].Contains(attribute))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(attribute), $"Attribute {attribute} is in no clique of the model.");
    }

    private static Factor Negate(Factor factor)
    {
        var values = new double[factor.CellCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = -factor.Values[i];
        }

        return new Factor(factor.Domain, factor.Clique, values);
    }
}
