using System.Numerics.Tensors;
using DPSynth.Data;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// A fitted graphical model: a junction tree, log-potentials on its maximal cliques, the calibrated marginals they
/// imply and the estimated total (rows). Immutable. Answers marginal queries (<see cref="Project"/>) and samples rows
/// (<see cref="Sample(int, Random)"/>).
/// </summary>
public sealed class GraphicalModel
{
    private readonly double[][] potentials;
    private double[][]? logProbabilities;
    private readonly double[][] marginals;
    private CliqueVector? potentialVector;
    private CliqueVector? marginalVector;

    internal GraphicalModel(JunctionTree tree, double[][] potentials, double[][] marginals, double total)
    {
        Tree = tree;
        this.potentials = potentials;
        this.marginals = marginals;
        Total = total;
    }

    /// <summary>The domain.</summary>
    public Domain Domain => Tree.Domain;

    /// <summary>The junction tree the model lives on.</summary>
    public JunctionTree Tree { get; }

    /// <summary>The estimated number of rows; every marginal sums to it.</summary>
    public double Total { get; }

    /// <summary>The log-potentials, one factor per maximal clique (the warm start of the next estimation).</summary>
    public CliqueVector Potentials => potentialVector ??= Vector(potentials);

    /// <summary>The calibrated marginals on the count scale, one factor per maximal clique.</summary>
    public CliqueVector Marginals => marginalVector ??= Vector(marginals);

    /// <summary>
    /// The model whose distribution is proportional to <c>exp(sum of potentials)</c>, on the count scale
    /// <paramref name="total"/>; each potential is added to the first maximal clique of <paramref name="tree"/> that
    /// contains it.
    /// </summary>
    public static GraphicalModel FromPotentials(JunctionTree tree, CliqueVector potentials, double total)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(potentials);
        if (!(total > 0 && double.IsFinite(total)))
        {
            throw new ArgumentOutOfRangeException(nameof(total), "The total must be positive and finite.");
        }

        var theta = BeliefPropagation.Fold(tree, potentials);
        var mu = BeliefPropagation.NewCliqueArrays(tree);
        new BeliefPropagation(tree).Run(theta, total, BeliefPropagation.NewCliqueArrays(tree), mu);
        return new GraphicalModel(tree, theta, mu, total);
    }

    /// <summary>
    /// The model's marginal of <paramref name="clique"/> on the count scale (row-major; sums to <see cref="Total"/>).
    /// </summary>
    /// <remarks>
    /// Inside one maximal clique it is a sum of that clique's marginal. Otherwise it is variable elimination in log
    /// space over the smallest subtree whose cliques cover <paramref name="clique"/>, using
    /// <c>P(subtree) = prod_C P(C) / prod_S P(S)</c>; its cost grows with the cells of the intermediate tables.
    /// </remarks>
    public double[] Project(Clique clique)
    {
        ArgumentNullException.ThrowIfNull(clique);
        if (clique.Count > 0 && clique[clique.Count - 1] >= Domain.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(clique), $"Clique {clique} names an attribute outside the domain.");
        }

        var inside = Tree.IndexOfSmallestContaining(clique);
        if (inside >= 0)
        {
            var result = new double[checked((int)clique.CellCount(Domain))];
            FactorKernels.SumOnto(marginals[inside], IndexMap.Create(Domain, Tree.MaximalCliques[inside], clique), result);
            return result;
        }

        var logP = EliminateOnto(clique);
        var counts = new double[logP.CellCount];
        TensorPrimitives.Exp(logP.Values, counts);
        TensorPrimitives.Multiply(counts, Total, counts);
        return counts;
    }

    /// <summary>Samples <paramref name="rows"/> rows with the "round" method (see <see cref="RowSampler"/>).</summary>
    public EncodedTable Sample(int rows, Random random) => RowSampler.Sample(this, rows, random);

    /// <summary>Samples <c>floor(Total)</c> rows, as the reference does by default.</summary>
    public EncodedTable Sample(Random random) => RowSampler.Sample(this, RowSampler.DefaultRows(this), random);

    /// <summary>The count-scale marginal array of maximal clique <paramref name="index"/> (not copied: do not modify).</summary>
    internal double[] MarginalOf(int index) => marginals[index];

    /// <summary><c>log P(C)</c> per maximal clique (<c>-inf</c> where the probability underflowed), computed once.</summary>
    private double[][] LogProbabilities()
    {
        if (logProbabilities is null)
        {
            var logs = new double[marginals.Length][];
            for (var c = 0; c < logs.Length; c++)
            {
                logs[c] = new double[marginals[c].Length];
                TensorPrimitives.Log(marginals[c], logs[c]);
                TensorPrimitives.Subtract(logs[c], Math.Log(Total), logs[c]);
            }

            logProbabilities = logs;
        }

        return logProbabilities;
    }

    private CliqueVector Vector(double[][] arrays)
    {
        var factors = new Factor[arrays.Length];
        for (var c = 0; c < arrays.Length; c++)
        {
            factors[c] = new Factor(Domain, Tree.MaximalCliques[c], arrays[c]);
        }

        return new CliqueVector(Domain, factors);
    }

    private Factor EliminateOnto(Clique target)
    {
        var m = Tree.MaximalCliques.Length;
        var neighbours = new List<int>[m];
        for (var i = 0; i < m; i++)
        {
            neighbours[i] = [];
        }

        for (var i = 0; i < m; i++)
        {
            if (Tree.Parents[i] >= 0)
            {
                neighbours[i].Add(Tree.Parents[i]);
                neighbours[Tree.Parents[i]].Add(i);
            }
        }

        // Prune leaves whose target attributes all lie in their neighbour (by running intersection, that neighbour
        // is on the path to every other clique holding them), until the subtree is minimal.
        var kept = new bool[m];
        Array.Fill(kept, true);
        var remaining = m;
        for (var changed = true; changed && remaining > 1;)
        {
            changed = false;
            for (var i = 0; i < m && remaining > 1; i++)
            {
                if (!kept[i])
                {
                    continue;
                }

                var only = -1;
                var degree = 0;
                foreach (var j in neighbours[i])
                {
                    if (kept[j])
                    {
                        degree++;
                        only = j;
                    }
                }

                if (degree == 1 && Tree.MaximalCliques[i].Intersect(target).IsSubsetOf(Tree.MaximalCliques[only]))
                {
                    kept[i] = false;
                    remaining--;
                    changed = true;
                }
            }
        }

        var factors = new List<Factor>();
        var variables = Clique.Empty;
        for (var i = 0; i < m; i++)
        {
            if (!kept[i])
            {
                continue;
            }

            var logP = new Factor(Domain, Tree.MaximalCliques[i], LogProbabilities()[i]);
            factors.Add(logP);
            variables = variables.Union(logP.Clique);
            var parent = Tree.Parents[i];
            if (parent >= 0 && kept[parent])
            {
                var separator = logP.LogSumExpOnto(Tree.Separators[i]);
                var negated = new double[separator.CellCount];
                for (var s = 0; s < negated.Length; s++)
                {
                    // An underflowed (-inf) separator cell has an all -inf clique slice: 0/0 is 0 here, not NaN.
                    negated[s] = double.IsNegativeInfinity(separator.Values[s]) ? double.NegativeInfinity : -separator.Values[s];
                }
                factors.Add(new Factor(Domain, separator.Clique, negated));
            }
        }

        foreach (var v in variables.Except(target).Attributes)
        {
            // Eliminate v: combine every factor mentioning it, then log-sum-exp it out.
            Factor? combined = null;
            for (var k = factors.Count - 1; k >= 0; k--)
            {
                if (factors[k].Clique.Contains(v))
                {
                    combined = combined is null ? factors[k] : combined.Add(factors[k]);
                    factors.RemoveAt(k);
                }
            }

            if (combined is not null)
            {
                factors.Add(combined.LogSumExpOnto(combined.Clique.Except(Clique.Of(v))));
            }
        }

        var result = new Factor(Domain, target, new double[checked((int)target.CellCount(Domain))]);
        foreach (var f in factors)
        {
            result = result.Add(f);
        }

        return result;
    }
}
