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
/// for a vector call) the map is general, in runs: the source's trailing attributes span <see cref="Run"/> cells, and
/// cell <c>i</c> maps to <c>Bases[i / Run] + Offsets[i % Run]</c>, because a target cell's index is a sum of one term
/// per attribute. That holds <c>SourceCells / Run + Run</c> integers where a table per cell held <c>SourceCells</c>
/// (4 bytes a cell of the source for every map: hundreds of MB on an 80 MB model), and a kernel reads only the source.
/// </remarks>
internal sealed class IndexMap
{
    /// <summary>Slices shorter than this use the general form: a vector call per 2-8 cells costs more than it saves.</summary>
    private const int MinimumInner = 16;

    /// <summary>A general map's runs are at least this long (unless the whole source is shorter).</summary>
    private const int MinimumRun = 256;

    private IndexMap(int sourceCells, int targetCells, int outer, int kept, int inner)
    {
        SourceCells = sourceCells;
        TargetCells = targetCells;
        Outer = outer;
        Kept = kept;
        Inner = inner;
        Bases = [];
        Offsets = [];
        Stretches = [];
    }

    private IndexMap(int sourceCells, int targetCells, int[] bases, int[] offsets)
    {
        SourceCells = sourceCells;
        TargetCells = targetCells;
        Bases = bases;
        Offsets = offsets;
        Run = offsets.Length;
        IsGeneral = true;
        OffsetsAreZero = Array.TrueForAll(offsets, o => o == 0);
        var identity = true;
        for (var q = 0; q < offsets.Length && identity; q++)
        {
            identity = offsets[q] == q;
        }

        OffsetsAreIdentity = identity;
        Stretches = OffsetsAreZero || OffsetsAreIdentity ? [] : OffsetStretch.Cut(offsets);
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

    /// <summary>True when kernels should use the general form (<see cref="Run"/>, <see cref="Bases"/>, <see cref="Offsets"/>).</summary>
    public bool IsGeneral { get; }

    /// <summary>Cells of a run of the general form (0 in the blocked form).</summary>
    public int Run { get; }

    /// <summary>Per run of the general form, the target cell its first source cell maps to less its offset.</summary>
    public int[] Bases { get; }

    /// <summary>Per cell of a run of the general form, the part of its target cell its run's attributes give.</summary>
    public int[] Offsets { get; }

    /// <summary>Every offset is 0: a run maps onto one target cell (its attributes are summed out).</summary>
    public bool OffsetsAreZero { get; }

    /// <summary><c>Offsets[q] = q</c>: a run maps onto consecutive target cells.</summary>
    public bool OffsetsAreIdentity { get; }

    /// <summary>
    /// A general run whose offsets are neither all 0 nor the identity, cut into stretches (empty otherwise): where the
    /// offsets repeat a short consecutive pattern (<c>0,1,0,1,...</c>: a small kept attribute after a summed-out one),
    /// the kernels keep that pattern's few sums in registers instead of reading and writing a target cell every cell.
    /// </summary>
    public OffsetStretch[] Stretches { get; }

    /// <summary>The target cell of source cell <paramref name="i"/>.</summary>
    public int Cell(int i) => IsGeneral ? Bases[i / Run] + Offsets[i % Run] : i / Inner % Kept;

    /// <summary>
    /// Walks the source cells in order, keeping the target cell without a division per cell (a loop over every cell of a
    /// clique, such as the projector's messages, pays two divisions a cell with <see cref="Cell"/>).
    /// </summary>
    public struct Cursor
    {
        private readonly IndexMap map;
        private int position;
        private int block;

        /// <summary>A cursor at source cell 0.</summary>
        public Cursor(IndexMap map)
        {
            this.map = map;
            Cell = map.Cell(0);
        }

        /// <summary>The target cell of the current source cell.</summary>
        public int Cell { get; private set; }

        /// <summary>Moves to the next source cell.</summary>
        public void Next()
        {
            if (map.IsGeneral)
            {
                // position: the cell within its run; block: the run.
                if (++position == map.Run)
                {
                    position = 0;
                    block++;
                }

                Cell = block < map.Bases.Length ? map.Bases[block] + map.Offsets[position] : -1;
                return;
            }

            // position: the cell within its inner block; Cell: the kept index, which wraps after Kept blocks.
            if (++position == map.Inner)
            {
                position = 0;
                Cell = Cell + 1 == map.Kept ? 0 : Cell + 1;
            }
        }
    }

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
            return new IndexMap(sourceCells, 1, 1, 1, sourceCells);
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
                return new IndexMap(sourceCells, targetCells, outer, targetCells, inner);
            }
        }

        var strides = MarginalCounter.Strides(domain, target);
        return General(domain, source, sourceCells, targetCells, p =>
        {
            var t = target.IndexOf(source[p]);
            return [.. Enumerable.Range(0, domain.Size(source[p])).Select(d => t >= 0 ? d * strides[t] : 0)];
        });
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

        // A coarse cell's index is a sum of one term per attribute too: group(code) times the coarse stride.
        var coarseStrides = new int[target.Count];
        for (int p = target.Count - 1, stride = 1; p >= 0; p--)
        {
            coarseStrides[p] = stride;
            stride *= coarsening.Groups[p];
        }

        return General(domain, source, checked((int)source.CellCount(domain)), coarsening.CellCount, p =>
        {
            var t = target.IndexOf(source[p]);
            var size = domain.Size(source[p]);
            return [.. Enumerable.Range(0, size).Select(d => t >= 0 ? Coarsening.GroupOf(d, size, coarsening.Groups[t]) * coarseStrides[t] : 0)];
        });
    }

    /// <summary>
    /// The general form from each source attribute's term (<paramref name="termsOf"/>(p)[code], 0 for an attribute not
    /// in the target): the trailing attributes whose cells first reach <see cref="MinimumRun"/> form the run.
    /// </summary>
    private static IndexMap General(Domain domain, Clique source, int sourceCells, int targetCells, Func<int, int[]> termsOf)
    {
        var k = source.Count;
        var terms = Enumerable.Range(0, k).Select(termsOf).ToArray();
        var split = k;
        var run = 1;
        while (split > 0 && run < MinimumRun)
        {
            split--;
            run *= domain.Size(source[split]);
        }

        return new IndexMap(sourceCells, targetCells, Sums(terms[..split]), Sums(terms[split..]));
    }

    /// <summary>Every cell of the attributes' product (row-major) with the sum of its attributes' terms.</summary>
    private static int[] Sums(int[][] terms)
    {
        var cells = 1;
        foreach (var t in terms)
        {
            cells = checked(cells * t.Length);
        }

        var sums = new int[cells];
        var digits = new int[terms.Length];
        var sum = terms.Sum(t => t[0]);
        for (var i = 0; i < cells; i++)
        {
            sums[i] = sum;

            // Odometer, last attribute fastest, keeping the sum of terms up to date.
            for (var p = terms.Length - 1; p >= 0; p--)
            {
                sum -= terms[p][digits[p]];
                if (++digits[p] < terms[p].Length)
                {
                    sum += terms[p][digits[p]];
                    break;
                }

                digits[p] = 0;
                sum += terms[p][0];
            }
        }

        return sums;
    }
}

/// <summary>
/// Cells <c>[Start, Start + Length)</c> of a general map's run. With <c>Period &gt; 0</c> their offsets are
/// <c>First + (q - Start) % Period</c> and <c>Length</c> is a whole number of periods; with <c>Period = 0</c> they follow
/// no such pattern and are read one by one.
/// </summary>
internal readonly record struct OffsetStretch(int Start, int Length, int Period, int First)
{
    /// <summary>The patterns' periods: few enough sums to keep in registers.</summary>
    private static readonly int[] Periods = [1, 2, 4];

    /// <summary>A pattern pays for its own loop from this many cells.</summary>
    private const int MinimumCells = 16;

    /// <summary>Cuts a run's offsets into patterned stretches (the longest pattern at each cell) and the cells between.</summary>
    public static OffsetStretch[] Cut(int[] offsets)
    {
        var stretches = new List<OffsetStretch>();
        var irregular = -1;
        for (var q = 0; q < offsets.Length;)
        {
            var (period, length) = LongestPattern(offsets, q);
            if (length < MinimumCells)
            {
                irregular = irregular < 0 ? q : irregular;
                q++;
                continue;
            }

            if (irregular >= 0)
            {
                stretches.Add(new OffsetStretch(irregular, q - irregular, 0, 0));
                irregular = -1;
            }

            stretches.Add(new OffsetStretch(q, length, period, offsets[q]));
            q += length;
        }

        if (irregular >= 0)
        {
            stretches.Add(new OffsetStretch(irregular, offsets.Length - irregular, 0, 0));
        }

        return [.. stretches];
    }

    /// <summary>The period and length (whole periods) of the longest pattern starting at cell <paramref name="q"/>.</summary>
    private static (int Period, int Length) LongestPattern(int[] offsets, int q)
    {
        var best = (Period: 0, Length: 0);
        foreach (var p in Periods)
        {
            if (q + p > offsets.Length)
            {
                break;
            }

            var consecutive = true;
            for (var j = 1; j < p && consecutive; j++)
            {
                consecutive = offsets[q + j] == offsets[q] + j;
            }

            if (!consecutive)
            {
                continue;
            }

            var length = p;
            while (q + length < offsets.Length && offsets[q + length] == offsets[q + (length % p)])
            {
                length++;
            }

            length -= length % p;
            if (length > best.Length)
            {
                best = (p, length);
            }
        }

        return best;
    }
}
