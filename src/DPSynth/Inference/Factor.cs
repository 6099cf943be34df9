using System.Numerics.Tensors;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// A dense table of doubles over a clique (row-major, last attribute fastest): a log-potential, a log-probability or
/// a count vector. Immutable: every operation returns a new factor.
/// </summary>
/// <remarks>
/// Operations by group. Reshaping: <see cref="Expand"/> (broadcast to a superset). Aggregation:
/// <see cref="SumOnto"/>, <see cref="LogSumExpOnto"/>, <see cref="Sum"/>, <see cref="LogSumExp"/>. Element-wise:
/// <see cref="Exp"/>, <see cref="Log"/>, <see cref="Normalize"/>. Binary: <see cref="Add"/> (broadcast onto the
/// union). Hot loops (belief propagation, estimation) call <see cref="FactorKernels"/> on reused buffers instead.
/// </remarks>
public sealed class Factor
{
    private readonly double[] values;

    /// <summary>Creates a factor, copying <paramref name="values"/> (one per cell of <paramref name="clique"/>).</summary>
    public Factor(Domain domain, Clique clique, ReadOnlySpan<double> values)
        : this(domain, clique, values.ToArray())
    {
    }

    private Factor(Domain domain, Clique clique, double[] owned)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(clique);
        if (clique.Count > 0 && clique[clique.Count - 1] >= domain.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(clique), $"Clique {clique} names an attribute outside the domain.");
        }

        var cells = clique.CellCount(domain);
        if (owned.Length != cells)
        {
            throw new ArgumentException($"Clique {clique} has {cells} cells but {owned.Length} values were given.");
        }

        Domain = domain;
        Clique = clique;
        this.values = owned;
    }

    /// <summary>The domain the clique's attributes come from.</summary>
    public Domain Domain { get; }

    /// <summary>The attributes this factor is over.</summary>
    public Clique Clique { get; }

    /// <summary>The values, row-major.</summary>
    public ReadOnlySpan<double> Values => values;

    /// <summary>Number of cells.</summary>
    public int CellCount => values.Length;

    /// <summary>A factor of zeros (a uniform log-potential).</summary>
    public static Factor Zeros(Domain domain, Clique clique)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(clique);
        return new Factor(domain, clique, new double[checked((int)clique.CellCount(domain))]);
    }

    /// <summary>Broadcasts this factor to a superset clique.</summary>
    /// <remarks>Effectively computes <c>result[i] = this[map[i]]</c> with <c>map</c> projecting superset cells.</remarks>
    public Factor Expand(Clique superset)
    {
        ArgumentNullException.ThrowIfNull(superset);
        var map = IndexMap.Create(Domain, superset, Clique);
        var result = new double[map.SourceCells];
        FactorKernels.AddExpanded(result, map, values);
        return new Factor(Domain, superset, result);
    }

    /// <summary>Adds two factors after broadcasting both to the union of their cliques (a product in log space).</summary>
    public Factor Add(Factor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckSameDomain(other);
        var union = Clique.Union(other.Clique);
        var result = new double[checked((int)union.CellCount(Domain))];
        FactorKernels.AddExpanded(result, IndexMap.Create(Domain, union, Clique), values);
        FactorKernels.AddExpanded(result, IndexMap.Create(Domain, union, other.Clique), other.values);
        return new Factor(Domain, union, result);
    }

    /// <summary>Sums onto a subset clique.</summary>
    /// <remarks>Effectively computes <c>result[j] = sum_{i: map[i]=j} this[i]</c>.</remarks>
    public Factor SumOnto(Clique subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        var map = IndexMap.Create(Domain, Clique, subset);
        var result = new double[map.TargetCells];
        FactorKernels.SumOnto(values, map, result);
        return new Factor(Domain, subset, result);
    }

    /// <summary>Log-sum-exp onto a subset clique (marginalization in log space).</summary>
    /// <remarks>Effectively computes <c>result[j] = log sum_{i: map[i]=j} exp(this[i])</c>.</remarks>
    public Factor LogSumExpOnto(Clique subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        var map = IndexMap.Create(Domain, Clique, subset);
        var result = new double[map.TargetCells];
        FactorKernels.LogSumExpOnto(values, map, result, new double[map.SourceCells + map.TargetCells]);
        return new Factor(Domain, subset, result);
    }

    /// <summary>The sum of all values.</summary>
    public double Sum() => TensorPrimitives.Sum<double>(values);

    /// <summary>The log of the sum of the exponentials of all values.</summary>
    public double LogSumExp() => FactorKernels.LogSumExp(values, new double[values.Length]);

    /// <summary>Element-wise exponential.</summary>
    public Factor Exp()
    {
        var result = new double[values.Length];
        TensorPrimitives.Exp(values, result);
        return new Factor(Domain, Clique, result);
    }

    /// <summary>Element-wise natural logarithm.</summary>
    public Factor Log()
    {
        var result = new double[values.Length];
        TensorPrimitives.Log(values, result);
        return new Factor(Domain, Clique, result);
    }

    /// <summary>Scales non-negative values so they sum to <paramref name="total"/>.</summary>
    public Factor Normalize(double total = 1.0)
    {
        var sum = Sum();
        if (!(sum > 0))
        {
            throw new InvalidOperationException($"Cannot normalize a factor whose values sum to {sum}.");
        }

        var result = new double[values.Length];
        TensorPrimitives.Multiply(values, total / sum, result);
        return new Factor(Domain, Clique, result);
    }

    /// <summary>Wraps an array without copying; the caller hands over ownership.</summary>
    internal static Factor Own(Domain domain, Clique clique, double[] values) => new(domain, clique, values);

    /// <summary>The backing array, for kernels that read it in place.</summary>
    internal double[] Buffer => values;

    private void CheckSameDomain(Factor other)
    {
        if (!ReferenceEquals(Domain, other.Domain) && !Domain.Equals(other.Domain))
        {
            throw new ArgumentException("Factors over different domains cannot be combined.", nameof(other));
        }
    }
}
