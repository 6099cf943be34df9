using System.Collections.Immutable;

namespace DPSynth.Schema;

/// <summary>
/// The public domain of an encoded table: ordered attribute names and the number of cells (codes) of each.
/// Attribute <c>i</c> takes codes <c>0 .. Size(i)-1</c>. Immutable; compares by value.
/// </summary>
public sealed class Domain : IEquatable<Domain>
{
    private readonly ImmutableArray<string> names;
    private readonly ImmutableArray<int> sizes;
    private readonly Dictionary<string, int> indexByName;

    /// <summary>Creates a domain; names must be distinct and non-empty, sizes at least 1 and at most 65,536.</summary>
    public Domain(IEnumerable<string> names, IEnumerable<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(sizes);
        this.names = [.. names];
        this.sizes = [.. sizes];
        if (this.names.Length != this.sizes.Length)
        {
            throw new ArgumentException($"{this.names.Length} names but {this.sizes.Length} sizes.", nameof(sizes));
        }

        indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < this.names.Length; i++)
        {
            if (string.IsNullOrEmpty(this.names[i]))
            {
                throw new ArgumentException($"Attribute {i} has an empty name.", nameof(names));
            }

            if (!indexByName.TryAdd(this.names[i], i))
            {
                throw new ArgumentException($"Duplicate attribute name '{this.names[i]}'.", nameof(names));
            }

            if (this.sizes[i] < 1 || this.sizes[i] > MaxAttributeSize)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(sizes), $"Attribute '{this.names[i]}' has size {this.sizes[i]}; it must be in 1..{MaxAttributeSize}.");
            }
        }
    }

    /// <summary>The largest number of cells one attribute may have (codes fit in a <see cref="ushort"/>).</summary>
    public const int MaxAttributeSize = ushort.MaxValue + 1;

    /// <summary>Number of attributes.</summary>
    public int Count => names.Length;

    /// <summary>Attribute names, in order.</summary>
    public ImmutableArray<string> Names => names;

    /// <summary>Cell counts, in attribute order.</summary>
    public ImmutableArray<int> Sizes => sizes;

    /// <summary>The number of cells of attribute <paramref name="attribute"/>.</summary>
    public int Size(int attribute) => sizes[attribute];

    /// <summary>The index of the attribute named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => indexByName.TryGetValue(name, out var i) ? i : -1;

    /// <summary>
    /// The number of cells of the product of the given attributes' domains (checked: throws
    /// <see cref="OverflowException"/> past <see cref="long.MaxValue"/>).
    /// </summary>
    public long CellCount(ReadOnlySpan<int> attributes)
    {
        long cells = 1;
        foreach (var a in attributes)
        {
            cells = checked(cells * sizes[a]);
        }

        return cells;
    }

    /// <inheritdoc />
    public bool Equals(Domain? other) =>
        other is not null && names.SequenceEqual(other.names) && sizes.SequenceEqual(other.sizes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Domain);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < names.Length; i++)
        {
            hash.Add(names[i], StringComparer.Ordinal);
            hash.Add(sizes[i]);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", names.Select((n, i) => $"{n}:{sizes[i]}"));
}
