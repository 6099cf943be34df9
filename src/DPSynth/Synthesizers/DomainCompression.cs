using System.Collections.Immutable;
using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// MST's rare-category compression (privacy-details.md section 4): per attribute, the values whose noisy 1-way count is
/// at least a threshold (3 sigma_1) are kept, the others merge into one extra cell (added only when at least one value
/// was dropped). Built from the noisy measurement alone, so it is post-processing of a DP output; recoding the table
/// with it is a fixed row-wise map, so later sensitivities are unchanged.
/// </summary>
internal sealed class DomainCompression
{
    private readonly int[][] forward;
    private readonly int[][] kept;
    private readonly int[][] dropped;

    private DomainCompression(Domain original, int[][] forward, int[][] kept, int[][] dropped)
    {
        Original = original;
        this.forward = forward;
        this.kept = kept;
        this.dropped = dropped;
        var sizes = new int[original.Count];
        for (var a = 0; a < sizes.Length; a++)
        {
            sizes[a] = kept[a].Length + (dropped[a].Length > 0 ? 1 : 0);
        }

        Compressed = new Domain(original.Names, sizes);
        Recoding = new CodeRecoding(original, Compressed, forward);
    }

    /// <summary>The input's domain.</summary>
    public Domain Original { get; }

    /// <summary>The compressed domain: same attributes, kept values first (in order), then the merged cell if any.</summary>
    public Domain Compressed { get; }

    /// <summary>The map of original codes onto <see cref="Compressed"/>, for a marginal source to count through.</summary>
    public CodeRecoding Recoding { get; }

    /// <summary>True when at least one value of some attribute was merged.</summary>
    /// <remarks>
    /// Asked of the merge itself, never of the domains' sizes: an attribute that drops exactly one value keeps its size
    /// (the merged cell takes the dropped value's place) yet moves every later value down one code, so a compression
    /// with equal sizes may still recode the table, and dropping its map would mislabel the decoded values.
    /// </remarks>
    public bool MergesAnything => Array.Exists(dropped, d => d.Length > 0);

    /// <summary>
    /// The compression for noisy 1-way counts <paramref name="noisyOneWay"/>[a] (one vector per attribute).
    /// </summary>
    /// <remarks>
    /// With structural <paramref name="zeros"/>, rare values merge only with values the zeros treat alike (the same
    /// forbidden combinations in every mask, <see cref="StructuralZeros.ValueClasses"/>): the merged cell's mask is then
    /// that of any of its values, and expanding it to any of them keeps every constraint. When the rare values of an
    /// attribute fall in several classes, the class with the most of them merges and the others stay. The classes come
    /// from the public schema, so this is still post-processing of the noisy counts.
    /// </remarks>
    public static DomainCompression FromNoisyOneWay(
        Domain domain, IReadOnlyList<long[]> noisyOneWay, double threshold, StructuralZeros? zeros = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(noisyOneWay);
        var forward = new int[domain.Count][];
        var kept = new int[domain.Count][];
        var dropped = new int[domain.Count][];
        for (var a = 0; a < domain.Count; a++)
        {
            var y = noisyOneWay[a];
            var classes = zeros?.ValueClasses(domain, a);
            var rare = Enumerable.Range(0, y.Length).Where(v => y[v] < threshold).ToArray();
            var mergedClass = classes is null || rare.Length == 0
                ? -1
                : rare.GroupBy(v => classes[v]).OrderByDescending(g => g.Count()).ThenBy(g => g.First()).First().Key;
            var keep = new List<int>();
            var drop = new List<int>();
            for (var v = 0; v < y.Length; v++)
            {
                (y[v] >= threshold || (classes is not null && classes[v] != mergedClass) ? keep : drop).Add(v);
            }

            kept[a] = [.. keep];
            dropped[a] = [.. drop];
            forward[a] = new int[y.Length];
            for (var v = 0; v < y.Length; v++)
            {
                forward[a][v] = keep.Count;
            }

            for (var i = 0; i < keep.Count; i++)
            {
                forward[a][keep[i]] = i;
            }
        }

        return new DomainCompression(domain, forward, kept, dropped);
    }

    /// <summary>
    /// The 1-way measurement of attribute <paramref name="attribute"/> re-expressed on the compressed domain: kept cells
    /// as measured (std sigma_1), the merged cell as the raw sum of the dropped noisy cells (std sigma_1 sqrt(k)).
    /// </summary>
    public NoisyMarginal CompressMeasurement(int attribute, ReadOnlySpan<long> noisy, double sigma)
    {
        var keep = kept[attribute];
        var drop = dropped[attribute];
        if (drop.Length == 0)
        {
            var values = new double[noisy.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = noisy[i];
            }

            return new NoisyMarginal(Clique.Of(attribute), values, sigma);
        }

        var y = new double[keep.Length + 1];
        var std = new double[keep.Length + 1];
        for (var i = 0; i < keep.Length; i++)
        {
            y[i] = noisy[keep[i]];
            std[i] = sigma;
        }

        long merged = 0;
        foreach (var v in drop)
        {
            merged = checked(merged + noisy[v]);
        }

        y[^1] = merged;
        std[^1] = sigma * Math.Sqrt(drop.Length);
        return new NoisyMarginal(Clique.Of(attribute), y, sigma, std);
    }

    /// <summary>
    /// <paramref name="zeros"/> (over <see cref="Original"/>) re-expressed on <see cref="Compressed"/>: a compressed
    /// cell takes the mask of a value it stands for, which any other would give too when the compression was made with
    /// these zeros.
    /// </summary>
    public StructuralZeros Compress(StructuralZeros zeros)
    {
        ArgumentNullException.ThrowIfNull(zeros);
        if (zeros.IsEmpty || !MergesAnything)
        {
            return zeros;
        }

        var masks = new List<(Clique, ImmutableArray<bool>, string)>();
        for (var m = 0; m < zeros.Masks.Length; m++)
        {
            var (clique, allowed) = zeros.Masks[m];
            var compressed = new bool[checked((int)clique.CellCount(Compressed))];
            var digits = new int[clique.Count];
            for (var cell = 0; cell < compressed.Length; cell++)
            {
                var original = 0;
                for (var p = 0; p < clique.Count; p++)
                {
                    var a = clique[p];
                    var value = digits[p] < kept[a].Length ? kept[a][digits[p]] : dropped[a][0];
                    original = (original * Original.Size(a)) + value;
                }

                compressed[cell] = allowed[original];
                for (var p = clique.Count - 1; p >= 0 && ++digits[p] == Compressed.Size(clique[p]); p--)
                {
                    digits[p] = 0;
                }
            }

            masks.Add((clique, [.. compressed], zeros.Labels[m]));
        }

        return StructuralZeros.Create(Compressed, masks);
    }

    /// <summary>The table recoded onto <see cref="Compressed"/>.</summary>
    public EncodedTable Compress(EncodedTable data) => Recoding.Apply(data);

    /// <summary>
    /// Maps sampled rows back onto <see cref="Original"/>: kept cells to their value, the merged cell to one of its
    /// values drawn uniformly with the post-processing generator.
    /// </summary>
    public EncodedTable Expand(EncodedTable sampled, Random random)
    {
        ArgumentNullException.ThrowIfNull(sampled);
        ArgumentNullException.ThrowIfNull(random);
        var columns = new EncodedColumn[Original.Count];
        var codes = new int[sampled.RowCount];
        for (var a = 0; a < columns.Length; a++)
        {
            var keep = kept[a];
            var drop = dropped[a];
            var column = sampled.Columns[a];
            for (var r = 0; r < codes.Length; r++)
            {
                var c = column[r];
                codes[r] = c < keep.Length ? keep[c] : drop[random.Next(drop.Length)];
            }

            columns[a] = EncodedColumn.FromCodes(Original.Size(a), codes);
        }

        return new EncodedTable(Original, columns);
    }

    /// <summary>The original values kept for attribute <paramref name="attribute"/>, in compressed-code order.</summary>
    public ImmutableArray<int> KeptValues(int attribute) => [.. kept[attribute]];

    /// <summary>The original values merged into the extra cell of attribute <paramref name="attribute"/>.</summary>
    public ImmutableArray<int> DroppedValues(int attribute) => [.. dropped[attribute]];

    /// <summary>The compressed code of original value <paramref name="value"/> of <paramref name="attribute"/>.</summary>
    public int CompressedCode(int attribute, int value) => forward[attribute][value];

    /// <summary>Rebuilds a compression from the kept values per attribute (a saved model's record of it).</summary>
    public static DomainCompression FromKeptValues(Domain original, IReadOnlyList<IReadOnlyList<int>> keptValues)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(keptValues);
        var fake = new long[original.Count][];
        for (var a = 0; a < original.Count; a++)
        {
            // Keeping exactly the listed values is the threshold rule on an indicator vector.
            fake[a] = new long[original.Size(a)];
            foreach (var v in keptValues[a])
            {
                fake[a][v] = 1;
            }
        }

        return FromNoisyOneWay(original, fake, 1);
    }

    /// <summary>The values merged per attribute (for tests and the manifest's count of merged values).</summary>
    public ImmutableArray<int> MergedCounts => [.. dropped.Select(d => d.Length)];
}
