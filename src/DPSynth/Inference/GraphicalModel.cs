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
    private ModelProjector? projector;
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
    /// Inside one maximal clique it is a sum of that clique's marginal. Otherwise it is <see cref="ModelProjector"/>'s
    /// sum-product messages over the smallest subtree that covers <paramref name="clique"/>: the one projection path of
    /// the engine, which AIM's candidate scoring uses too.
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

        return Projector.Project(clique);
    }

    /// <summary>Samples <paramref name="rows"/> rows with the "round" method (see <see cref="RowSampler"/>).</summary>
    public EncodedTable Sample(int rows, Random random) => RowSampler.Sample(this, rows, random);

    /// <summary>Samples <c>floor(Total)</c> rows, as the reference does by default.</summary>
    public EncodedTable Sample(Random random) => RowSampler.Sample(this, RowSampler.DefaultRows(this), random);

    /// <summary>
    /// The model's projector (made once: it holds the separator marginals). The model is immutable, so two threads that
    /// race here make two equal projectors.
    /// </summary>
    internal ModelProjector Projector => projector ??= new ModelProjector(this);

    /// <summary>The count-scale marginal array of maximal clique <paramref name="index"/> (not copied: do not modify).</summary>
    internal double[] MarginalOf(int index) => marginals[index];

    private CliqueVector Vector(double[][] arrays)
    {
        var factors = new Factor[arrays.Length];
        for (var c = 0; c < arrays.Length; c++)
        {
            factors[c] = new Factor(Domain, Tree.MaximalCliques[c], arrays[c]);
        }

        return new CliqueVector(Domain, factors);
    }
}
