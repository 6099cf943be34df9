using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference.Kernels;

/// <summary>
/// Maps each cell of a source clique to the cell of a subset (target) clique it projects onto. Built once per
/// (clique, subset) pair and cached by its owner (<see cref="JunctionTree"/>, the estimator).
/// </summary>
/// <remarks>
/// When the target's attributes are consecutive positions of the source, the source is viewed as a
/// <c>[Outer][Kept][Inner]</c> array whose middle axis is the target: kernels then work on contiguous slices with
/// <c>TensorPrimitives</c> instead of an index per cell. Otherwise (or when the contiguous runs are too short to pay
/// for a vector call) <see cref="Map"/> holds <c>map[i]</c> for every source cell.
/// </remarks>
internal sealed class IndexMap
{
    /// <summary>Slices shorter than this use the per-cell map: a vector call per 2-8 cells costs more than it saves.</summary>
    private const int MinimumInner = 16;

    private IndexMap(int sourceCells, int targetCells, int outer, int kept, int inner, int[]? map)
    {
        SourceCells = sourceCells;
        TargetCells = targetCells;
        Outer = outer;
        Kept = kept;
        Inner = inner;
        Map = map;
    }

    /// <summary>Cells of the source clique.</summary>
    public int SourceCells { get; }

    /// <summary>Cells of the target clique.</summary>
    public int TargetCells { get; }

    /// <summary>Product of the sizes of source axes before the target's (blocked form).</summary>
    public int Outer { get; }

    /// <summary>Product of the target's sizes (blocked form; equals <see cref="TargetCells"/>).</summary>
    public int Kept { get; }

    /// <summary>Product of the sizes of source axes after the target's (blocked form).</summary>
    public int Inner { get; }

    /// <summary>The per-cell map, or null in the blocked form.</summary>
    public int[]? Map { get; }

    /// <summary>True when kernels should use the per-cell <see cref="Map"/>.</summary>
    public bool IsGeneral => Map is not null;

    /// <summary>Builds the map from <paramref name="source"/> cells onto <paramref name="target"/> (a subset) cells.</summary>
    public static IndexMap Create(Domain domain, Clique source, Clique target)
    {
        if (!target.IsSubsetOf(source))
        {
            throw new ArgumentException($"{target} is not a subset of {source}.", nameof(target));
        }

        var sourceCells = checked((int)source.CellCount(domain));
        var targetCells = checked((int)target.CellCount(domain));
        if (target.Count == 0)
        {
            // Everything sums onto one cell: one contiguous slice.
            return new IndexMap(sourceCells, 1, 1, 1, sourceCells, null);
        }

        var first = source.IndexOf(target[0]);
        var last = source.IndexOf(target[target.Count - 1]);
        if (last - first + 1 == target.Count)
        {
            int outer = 1, inner = 1;
            for (var p = 0; p < first; p++)
            {
                outer *= domain.Size(source[p]);
            }

            for (var p = last + 1; p < source.Count; p++)
            {
                inner *= domain.Size(source[p]);
            }

            if (inner == 1 || inner >= MinimumInner)
            {
                return new IndexMap(sourceCells, targetCells, outer, targetCells, inner, null);
            }
        }

        return new IndexMap(sourceCells, targetCells, 0, 0, 0, BuildMap(domain, source, target, sourceCells));
    }

    /// <summary>
    /// Builds the map from <paramref name="source"/> cells onto the coarse cells of <paramref name="target"/> (a subset)
    /// under <paramref name="coarsening"/>: the projection followed by the coarsening's <c>Q</c>, always per cell.
    /// </summary>
    public static IndexMap Coarse(Domain domain, Clique source, Clique target, Coarsening coarsening)
    {
        ArgumentNullException.ThrowIfNull(coarsening);
        if (!target.IsSubsetOf(source))
        {
            throw new ArgumentException($"{target} is not a subset of {source}.", nameof(target));
        }

        for (var p = 0; p < target.Count; p++)
        {
            if (coarsening.Sizes.Length != target.Count || coarsening.Sizes[p] != domain.Size(target[p]))
            {
                throw new ArgumentException($"The coarsening {coarsening} does not fit {target}.", nameof(coarsening));
            }
        }

        var sourceCells = checked((int)source.CellCount(domain));
        var map = BuildMap(domain, source, target, sourceCells);
        var coarse = coarsening.CellMap();
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = coarse[map[i]];
        }

        return new IndexMap(sourceCells, coarsening.CellCount, 0, 0, 0, map);
    }

    private static int[] BuildMap(Domain domain, Clique source, Clique target, int sourceCells)
    {
        var map = new int[sourceCells];
        var targetStrides = MarginalCounter.Strides(domain, target);
        var k = source.Count;
        var sizes = new int[k];
        var strideOf = new int[k];
        for (var p = 0; p < k; p++)
        {
            sizes[p] = domain.Size(source[p]);
            var t = target.IndexOf(source[p]);
            strideOf[p] = t >= 0 ? targetStrides[t] : 0;
        }

        // Odometer over source cells (last axis fastest), tracking the target cell incrementally.
        var digits = new int[k];
        var cell = 0;
        for (var i = 0; i < sourceCells; i++)
        {
            map[i] = cell;
            for (var p = k - 1; p >= 0; p--)
            {
                digits[p]++;
                cell += strideOf[p];
                if (digits[p] < sizes[p])
                {
                    break;
                }

                cell -= strideOf[p] * sizes[p];
                digits[p] = 0;
            }
        }

        return map;
    }
}
