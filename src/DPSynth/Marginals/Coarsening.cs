using System.Collections.Immutable;
using DPSynth.Schema;

namespace DPSynth.Marginals;

/// <summary>
/// A public, data-independent coarsening of a clique's marginal: each attribute's codes <c>0..n-1</c> are cut into
/// <c>g</c> contiguous groups, code <c>k</c> going to group <c>floor(k g / n)</c> (groups differ in size by at most one
/// code), and a coarse cell is one group per attribute. An attribute with <c>g = n</c> is kept as it is.
/// </summary>
/// <remarks>
/// The coarse marginal is the linear query <c>Q mu_r</c>, where <c>Q</c> adds the fine cells of each coarse cell.
/// Every fine cell lies in exactly one coarse cell, so adding or removing one record changes exactly one coarse count
/// by one: L2 (and L1) sensitivity 1, as for the fine marginal (docs/privacy.md section 12.3). The groups depend only
/// on the domain sizes and the public group counts, never on the data.
/// </remarks>
public sealed class Coarsening : IEquatable<Coarsening>
{
    /// <summary>Creates a coarsening of attributes with the given domain sizes into the given group counts (same order).</summary>
    /// <exception cref="ArgumentException">Different lengths, or a group count outside <c>1..size</c>.</exception>
    public Coarsening(IEnumerable<int> sizes, IEnumerable<int> groups)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(groups);
        Sizes = [.. sizes];
        Groups = [.. groups];
        if (Sizes.Length != Groups.Length)
        {
            throw new ArgumentException($"{Groups.Length} group counts for {Sizes.Length} attributes.", nameof(groups));
        }

        long cells = 1;
        for (var p = 0; p < Sizes.Length; p++)
        {
            if (Sizes[p] < 1 || Groups[p] < 1 || Groups[p] > Sizes[p])
            {
                throw new ArgumentOutOfRangeException(
                    nameof(groups), $"Attribute {p}: {Groups[p]} groups of {Sizes[p]} codes (need 1 <= groups <= codes).");
            }

            cells *= Groups[p];
        }

        CellCount = checked((int)cells);
    }

    /// <summary>The domain size of each attribute of the clique, in the clique's (ascending attribute) order.</summary>
    public ImmutableArray<int> Sizes { get; }

    /// <summary>The number of groups of each attribute (equal to its size when it is kept as it is).</summary>
    public ImmutableArray<int> Groups { get; }

    /// <summary>Cells of the coarse marginal: the product of the group counts.</summary>
    public int CellCount { get; }

    /// <summary>
    /// The coarsening of <paramref name="clique"/> that cuts each attribute of more than <paramref name="largest"/>
    /// codes into <paramref name="groups"/> groups, or null when no attribute is that large. Depends only on the public
    /// domain sizes and settings.
    /// </summary>
    public static Coarsening? For(Domain domain, Clique clique, int largest, int groups)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(clique);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(largest, groups);
        var sizes = new int[clique.Count];
        var counts = new int[clique.Count];
        var any = false;
        for (var p = 0; p < sizes.Length; p++)
        {
            sizes[p] = domain.Size(clique[p]);
            counts[p] = sizes[p] > largest ? groups : sizes[p];
            any |= counts[p] < sizes[p];
        }

        return any ? new Coarsening(sizes, counts) : null;
    }

    /// <summary>The group of code <paramref name="code"/> of an attribute of <paramref name="size"/> codes in <paramref name="groups"/> groups.</summary>
    public static int GroupOf(int code, int size, int groups) => (int)((long)code * groups / size);

    /// <summary>
    /// The coarse cell of every fine cell of the clique (row-major, last attribute fastest, in both): the matrix
    /// <c>Q</c> as a map.
    /// </summary>
    public int[] CellMap()
    {
        long fine = 1;
        foreach (var s in Sizes)
        {
            fine *= s;
        }

        var map = new int[checked((int)fine)];
        var k = Sizes.Length;
        var digits = new int[k];
        for (var i = 0; i < map.Length; i++)
        {
            var cell = 0;
            for (var p = 0; p < k; p++)
            {
                cell = (cell * Groups[p]) + GroupOf(digits[p], Sizes[p], Groups[p]);
            }

            map[i] = cell;
            for (var p = k - 1; p >= 0 && ++digits[p] == Sizes[p]; p--)
            {
                digits[p] = 0;
            }
        }

        return map;
    }

    /// <summary>Adds the fine marginal <paramref name="fine"/> into the coarse cells: <c>coarse = Q fine</c>.</summary>
    public static void Aggregate(ReadOnlySpan<double> fine, ReadOnlySpan<int> cellMap, Span<double> coarse)
    {
        if (fine.Length != cellMap.Length)
        {
            throw new ArgumentException($"{fine.Length} fine cells for a map of {cellMap.Length}.", nameof(fine));
        }

        coarse.Clear();
        for (var i = 0; i < fine.Length; i++)
        {
            coarse[cellMap[i]] += fine[i];
        }
    }

    /// <summary>A short public description, e.g. <c>85/10 x 15</c> (codes/groups of each attribute).</summary>
    public override string ToString() =>
        string.Join(" x ", Sizes.Select((s, p) => Groups[p] == s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{s}/{Groups[p]}")));

    /// <inheritdoc />
    public bool Equals(Coarsening? other) =>
        other is not null && Sizes.AsSpan().SequenceEqual(other.Sizes.AsSpan()) && Groups.AsSpan().SequenceEqual(other.Groups.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Coarsening);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        for (var p = 0; p < Sizes.Length; p++)
        {
            hash.Add(Sizes[p]);
            hash.Add(Groups[p]);
        }

        return hash.ToHashCode();
    }
}
