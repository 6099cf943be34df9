using DPSynth.Schema;

namespace DPSynth.Marginals;

/// <summary>
/// A set of attribute indices, kept sorted and distinct, with value equality (arrays compare by reference, so this
/// type exists). The marginal of a clique is a dense count vector over the product of its attributes' domains,
/// row-major with the last attribute fastest.
/// </summary>
public sealed class Clique : IEquatable<Clique>
{
    private readonly int[] attributes;

    /// <summary>Creates a clique from attribute indices (any order; duplicates are rejected, indices must be &gt;= 0).</summary>
    public Clique(IEnumerable<int> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var sorted = attributes.ToArray();
        Array.Sort(sorted);
        for (var i = 0; i < sorted.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(sorted[i], nameof(attributes));
            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw new ArgumentException($"Attribute {sorted[i]} appears twice in a clique.", nameof(attributes));
            }
        }

        this.attributes = sorted;
    }

    private Clique(int[] sortedDistinct) => attributes = sortedDistinct;

    /// <summary>The clique with no attributes (its marginal has one cell: the total).</summary>
    public static Clique Empty { get; } = new(Array.Empty<int>());

    /// <summary>Creates a clique from the given attribute indices.</summary>
    public static Clique Of(params int[] attributes) => new((IEnumerable<int>)attributes);

    /// <summary>The attribute indices, ascending.</summary>
    public ReadOnlySpan<int> Attributes => attributes;

    /// <summary>Number of attributes.</summary>
    public int Count => attributes.Length;

    /// <summary>The <paramref name="index"/>-th smallest attribute.</summary>
    public int this[int index] => attributes[index];

    /// <summary>True when the clique holds <paramref name="attribute"/>.</summary>
    public bool Contains(int attribute) => Array.BinarySearch(attributes, attribute) >= 0;

    /// <summary>The position of <paramref name="attribute"/> in <see cref="Attributes"/>, or -1.</summary>
    public int IndexOf(int attribute)
    {
        var i = Array.BinarySearch(attributes, attribute);
        return i >= 0 ? i : -1;
    }

    /// <summary>True when every attribute of this clique is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(Clique other)
    {
        ArgumentNullException.ThrowIfNull(other);
        int i = 0, j = 0;
        while (i < attributes.Length && j < other.attributes.Length)
        {
            if (attributes[i] == other.attributes[j])
            {
                i++;
                j++;
            }
            else if (attributes[i] > other.attributes[j])
            {
                j++;
            }
            else
            {
                return false;
            }
        }

        return i == attributes.Length;
    }

    /// <summary>The attributes in either clique.</summary>
    public Clique Union(Clique other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new List<int>(attributes.Length + other.attributes.Length);
        int i = 0, j = 0;
        while (i < attributes.Length || j < other.attributes.Length)
        {
            if (j == other.attributes.Length || (i < attributes.Length && attributes[i] < other.attributes[j]))
            {
                result.Add(attributes[i++]);
            }
            else if (i == attributes.Length || other.attributes[j] < attributes[i])
            {
                result.Add(other.attributes[j++]);
            }
            else
            {
                result.Add(attributes[i++]);
                j++;
            }
        }

        return new Clique(result.ToArray());
    }

    /// <summary>The attributes in both cliques.</summary>
    public Clique Intersect(Clique other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new List<int>();
        foreach (var a in attributes)
        {
            if (other.Contains(a))
            {
                result.Add(a);
            }
        }

        return new Clique(result.ToArray());
    }

    /// <summary>This clique without the attributes of <paramref name="other"/>.</summary>
    public Clique Except(Clique other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new List<int>();
        foreach (var a in attributes)
        {
            if (!other.Contains(a))
            {
                result.Add(a);
            }
        }

        return new Clique(result.ToArray());
    }

    /// <summary>The number of cells of this clique's marginal in <paramref name="domain"/> (checked).</summary>
    public long CellCount(Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return domain.CellCount(attributes);
    }

    /// <inheritdoc />
    public bool Equals(Clique? other) =>
        other is not null && attributes.AsSpan().SequenceEqual(other.attributes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Clique);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var a in attributes)
        {
            hash.Add(a);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "(" + string.Join(",", attributes) + ")";
}
