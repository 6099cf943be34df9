using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// Conditional and rebalanced sampling from a fitted model. Both are post-processing of the model (a DP output), so
/// they cost no privacy budget and never read the private rows.
/// </summary>
/// <remarks>
/// <para>Conditioning on evidence E multiplies the model's distribution by the indicator of E: each fixed attribute
/// gets a log-potential that is 0 at its value and <see cref="LogZero"/> elsewhere, belief propagation recalibrates
/// the tree, and the "round" sampler of <see cref="RowSampler"/> then draws every other column from P(· | E).</para>
/// <para>Rebalancing one attribute to requested shares splits the rows over its values by the same randomized
/// rounding as the sampler (floors, then the remainder by fractional parts), samples each value's rows from the model
/// conditioned on it, and shuffles the rows together. The attribute's counts are therefore within one row of
/// <c>rows x share</c>.</para>
/// <para>A condition the model gives zero probability is refused: such rows would be invented, not sampled. So is a
/// rebalancing with a positive share for a value the model rules out, checked on the shares before the rounding.</para>
/// </remarks>
public static class ConditionalSampler
{
    /// <summary>
    /// The log-potential of an excluded value. Finite, so log-sum-exp never computes <c>-inf - (-inf)</c>; its exponential,
    /// relative to any real potential, is exactly 0 in double precision.
    /// </summary>
    public const double LogZero = -1e250;

    /// <summary>The probability the model gives to <paramref name="evidence"/> (1 when it is empty).</summary>
    public static double Probability(GraphicalModel model, Evidence evidence)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Values.Count == 0)
        {
            return 1;
        }

        if (ProjectsWithinModel(model, evidence.Attributes))
        {
            var marginal = model.Project(evidence.Attributes);
            return marginal[evidence.Cell()] / model.Total;
        }

        return ProbabilityByPropagation(model, evidence);
    }

    /// <summary>
    /// Whether the model's marginal of <paramref name="clique"/>, with the messages that compute it, is no larger than the
    /// model (<see cref="ModelProjector.WorkingCells"/>, from structure alone): always inside one maximal clique.
    /// </summary>
    private static bool ProjectsWithinModel(GraphicalModel model, Clique clique)
    {
        if (model.Tree.IndexOfSmallestContaining(clique) >= 0)
        {
            return true;
        }

        return Saturating.Add(Saturating.Cells(model.Domain, clique), model.Projector.WorkingCells(clique)) <= model.Tree.CellCount;
    }

    /// <summary>
    /// <see cref="Probability"/> by evidence propagation: <c>P(E) = Z(theta + log 1[E]) / Z(theta)</c>, two runs of belief
    /// propagation on model-sized arrays.
    /// </summary>
    /// <remarks>
    /// Used when projecting the evidence would outgrow the model: its marginal has the product of the attributes' sizes
    /// as cells (a dozen wide attributes is beyond any memory), only to read one of them, while this needs three arrays
    /// the size of the model whatever the evidence. Both log-normalisers have relative error near the machine's,
    /// so the ratio keeps full relative precision; it is clamped to 1, which rounding can pass when E rules nothing out.
    /// </remarks>
    internal static double ProbabilityByPropagation(GraphicalModel model, Evidence evidence)
    {
        var tree = model.Tree;
        var theta = BeliefPropagation.Fold(tree, model.Potentials);
        var partial = BeliefPropagation.NewCliqueArrays(tree);
        var mu = BeliefPropagation.NewCliqueArrays(tree);
        var propagation = new BeliefPropagation(tree);
        var logZ = propagation.Run(theta, 1, partial, mu);
        foreach (var (attribute, code) in evidence.Values)
        {
            var single = Clique.Of(attribute);
            var target = tree.IndexOfSmallestContaining(single);
            FactorKernels.AddExpanded(theta[target], IndexMap.Create(tree.Domain, tree.MaximalCliques[target], single), Indicator(tree.Domain, attribute, code));
        }

        var logZGiven = propagation.Run(theta, 1, partial, mu);
        return double.IsNegativeInfinity(logZGiven) ? 0 : Math.Min(1, Math.Exp(logZGiven - logZ));
    }

    /// <summary>
    /// The model conditioned on <paramref name="evidence"/>, on the count scale <c>Total x P(evidence)</c>.
    /// </summary>
    /// <exception cref="InputException">The model gives the evidence zero probability.</exception>
    public static GraphicalModel Condition(GraphicalModel model, Evidence evidence)
    {
        var p = Probability(model, evidence);
        if (!(p > 0))
        {
            throw new InputException(Messages.ConditionHasZeroProbability(evidence.ToString()));
        }

        if (evidence.Values.Count == 0)
        {
            return model;
        }

        var domain = model.Domain;
        var indicators = new List<Factor>();
        foreach (var (attribute, code) in evidence.Values)
        {
            indicators.Add(new Factor(domain, Clique.Of(attribute), Indicator(domain, attribute, code)));
        }

        var potentials = model.Potentials.Combine(new CliqueVector(domain, indicators));
        return GraphicalModel.FromPotentials(model.Tree, potentials, model.Total * p);
    }

    /// <summary>The log-indicator of <c>attribute = code</c>: 0 at the value, <see cref="LogZero"/> elsewhere.</summary>
    private static double[] Indicator(Domain domain, int attribute, int code)
    {
        var values = new double[domain.Size(attribute)];
        Array.Fill(values, LogZero);
        values[code] = 0;
        return values;
    }

    /// <summary>Samples <paramref name="rows"/> rows that all satisfy <paramref name="evidence"/>.</summary>
    /// <exception cref="InputException">The model gives the evidence zero probability.</exception>
    public static EncodedTable SampleConditioned(GraphicalModel model, Evidence evidence, int rows, Random random) =>
        Condition(model, evidence).Sample(rows, random);

    /// <summary>
    /// Samples <paramref name="rows"/> rows whose <paramref name="attribute"/> takes each value in the requested
    /// <paramref name="shares"/> (non-negative, summing to 1), every row also satisfying <paramref name="evidence"/>.
    /// </summary>
    /// <exception cref="InputException">A value with a positive share has zero probability under the model (and evidence).</exception>
    public static EncodedTable SampleRebalanced(
        GraphicalModel model, int attribute, IReadOnlyList<double> shares, Evidence evidence, int rows, Random random)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(shares);
        RequirePossible(model, evidence, attribute, Enumerable.Range(0, shares.Count).Where(v => shares[v] > 0));
        return DrawRebalanced(model, attribute, shares, evidence, rows, random);
    }

    /// <summary><see cref="SampleRebalanced"/> for a request already checked (<see cref="RequirePossible"/>).</summary>
    internal static EncodedTable DrawRebalanced(
        GraphicalModel model, int attribute, IReadOnlyList<double> shares, Evidence evidence, int rows, Random random) =>
        SampleWithCounts(model, attribute, RebalancedCounts(shares, model.Domain.Size(attribute), rows, random), evidence, random);

    /// <summary>
    /// Refuses, before any row is drawn, a request the model rules out: <paramref name="evidence"/> itself, or any of
    /// the <paramref name="values"/> of <paramref name="attribute"/> (those with a positive share) together with it.
    /// </summary>
    /// <remarks>
    /// Checked on the request, not on the rounded counts: a small share of an impossible value would otherwise be refused
    /// or silently dropped depending on whether the rounding happened to give it a row (that is, on the seed).
    /// </remarks>
    /// <exception cref="InputException">The model gives the evidence, or one value with it, zero probability.</exception>
    internal static void RequirePossible(GraphicalModel model, Evidence evidence, int attribute, IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(values);
        if (!(Probability(model, evidence) > 0))
        {
            throw new InputException(Messages.ConditionHasZeroProbability(evidence.ToString()));
        }

        if (attribute < 0)
        {
            return;
        }

        var joint = evidence.Attributes.Union(Clique.Of(attribute));
        if (evidence.Values.ContainsKey(attribute) || ProjectsWithinModel(model, joint))
        {
            // As Probability answers each: one cell of a projection no larger than the model, or a propagation when the
            // evidence already fixes the attribute across cliques (a request SampleWithCounts refuses).
            foreach (var check in values.Select(v => evidence.With(attribute, v)))
            {
                if (!(Probability(model, check) > 0))
                {
                    throw new InputException(Messages.ConditionHasZeroProbability(check.ToString()));
                }
            }

            return;
        }

        // Across cliques, P(E, a = v) = P(E) P(a = v | E) with P(E) > 0: one conditioned model answers every value,
        // where a propagation per value would cost two runs of belief propagation each.
        var given = Condition(model, evidence).Project(Clique.Of(attribute));
        foreach (var v in values)
        {
            if (!(given[v] > 0))
            {
                throw new InputException(Messages.ConditionHasZeroProbability(evidence.With(attribute, v).ToString()));
            }
        }
    }

    /// <summary>
    /// Splits <paramref name="rows"/> over the <paramref name="size"/> cells in the requested <paramref name="shares"/>
    /// (floors, then the remainder by fractional parts): each count is within one row of <c>rows x share</c>.
    /// </summary>
    internal static int[] RebalancedCounts(IReadOnlyList<double> shares, int size, int rows, Random random)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNotEqual(shares.Count, size);
        var weights = new double[size];
        for (var v = 0; v < size; v++)
        {
            weights[v] = shares[v] >= 0 && double.IsFinite(shares[v])
                ? shares[v]
                : throw new ArgumentOutOfRangeException(nameof(shares), "Shares must be finite and non-negative.");
        }

        var counts = new int[size];
        RowSampler.Round(weights, rows, random, counts);
        return counts;
    }

    /// <summary>
    /// Samples exactly <paramref name="counts"/>[v] rows with <paramref name="attribute"/> = v (each also satisfying
    /// <paramref name="evidence"/>), shuffled together.
    /// </summary>
    /// <exception cref="InputException">
    /// A value with a positive count has zero probability under the model (and evidence).
    /// </exception>
    internal static EncodedTable SampleWithCounts(
        GraphicalModel model, int attribute, IReadOnlyList<int> counts, Evidence evidence, Random random)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var size = model.Domain.Size(attribute);
        ArgumentOutOfRangeException.ThrowIfNotEqual(counts.Count, size);
        if (evidence.Values.ContainsKey(attribute))
        {
            throw new ArgumentException("The rebalanced attribute cannot also be conditioned.", nameof(evidence));
        }

        var parts = new List<EncodedTable>();
        for (var v = 0; v < size; v++)
        {
            if (counts[v] > 0)
            {
                parts.Add(SampleConditioned(model, evidence.With(attribute, v), counts[v], random));
            }
        }

        return ShuffledConcatenation(model.Domain, parts, random);
    }

    private static EncodedTable ShuffledConcatenation(Domain domain, List<EncodedTable> parts, Random random)
    {
        var total = parts.Sum(p => p.RowCount);
        var order = new int[total];
        for (var i = 0; i < total; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        var columns = new EncodedColumn[domain.Count];
        var codes = new int[total];
        for (var a = 0; a < domain.Count; a++)
        {
            var at = 0;
            foreach (var part in parts)
            {
                var column = part.Columns[a];
                for (var r = 0; r < part.RowCount; r++)
                {
                    codes[order[at++]] = column[r];
                }
            }

            columns[a] = EncodedColumn.FromCodes(domain.Size(a), codes);
        }

        return new EncodedTable(domain, columns);
    }
}
