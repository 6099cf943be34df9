using DPSynth.Data;

namespace DPSynth.Audits;

/// <summary>
/// Exact nearest-neighbour search under a <see cref="GowerDistance"/> over the rows of a reference table.
/// </summary>
/// <remarks>
/// <para>Exact, not approximate: every answer equals a brute-force scan (tested). It is fast because codes are small
/// integers. The reference rows form a prefix tree (a trie) over the columns, low-cardinality categorical columns
/// first, so rows sharing a prefix share its partial distance. Each query builds a lookup table of its per-column
/// distance units to every code, then does a branch-and-bound walk of the tree, closest child first: a subtree is
/// skipped as soon as its prefix distance reaches the best (or, for two neighbours, the second-best) distance found,
/// since column distances are never negative. Exact duplicates are answered from a hash of the rows
/// (distance 0). Queries run in parallel on all cores.</para>
/// </remarks>
public sealed class NearestNeighbourIndex
{
    private readonly GowerDistance distance;
    private readonly RowMultiset multiset;
    private readonly int depth;

    // Level d of the tree: node i has lookup index codes[d][i] (column order[d]) and children
    // childStart[d][i] .. childStart[d][i + 1] - 1 at level d + 1; a leaf (last level) holds counts[i] equal rows.
    private readonly int[][] codes;
    private readonly int[][] childStart;
    private readonly int[] counts;

    /// <summary>Indexes the rows of <paramref name="reference"/>, which must have at least one row.</summary>
    public NearestNeighbourIndex(EncodedTable reference, GowerDistance distance)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distance);
        distance.CheckDomain(reference.Domain);
        if (reference.RowCount == 0)
        {
            throw new ArgumentException("The reference table has no rows.", nameof(reference));
        }

        this.distance = distance;
        RowCount = reference.RowCount;
        var packed = PackedRows.Pack(reference, distance);
        multiset = new RowMultiset(packed);
        var order = ColumnOrder(distance.Spec);
        depth = Math.Max(1, order.Length);
        (codes, childStart, counts) = BuildTree(packed, order);
    }

    /// <summary>The number of reference rows.</summary>
    public int RowCount { get; }

    /// <summary>The number of nodes of the prefix tree (at most rows times columns).</summary>
    public long NodeCount
    {
        get
        {
            long nodes = 0;
            foreach (var level in codes)
            {
                nodes += level.Length;
            }

            return nodes;
        }
    }

    /// <summary>The distance of each row of <paramref name="queries"/> to its nearest reference row.</summary>
    public double[] Nearest(EncodedTable queries)
    {
        var units = Search(queries, 1, out _);
        return ToDistances(units);
    }

    /// <summary>
    /// The distances of each row of <paramref name="queries"/> to its nearest and second-nearest reference rows (the
    /// second is 1, the largest distance, when the reference has a single row).
    /// </summary>
    public (double[] Nearest, double[] Second) TwoNearest(EncodedTable queries)
    {
        var units = Search(queries, 2, out var second);
        return (ToDistances(units), ToDistances(second!));
    }

    /// <summary>For each row of <paramref name="queries"/>, how many reference rows equal it exactly.</summary>
    public int[] ExactMatchCounts(EncodedTable queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var packed = PackedRows.Pack(queries, distance);
        var result = new int[packed.RowCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = multiset.Count(packed.Row(i));
        }

        return result;
    }

    private double[] ToDistances(int[] units)
    {
        var result = new double[units.Length];
        for (var i = 0; i < units.Length; i++)
        {
            result[i] = distance.ToDistance(units[i]);
        }

        return result;
    }

    private int[] Search(EncodedTable queries, int neighbours, out int[]? second)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var packed = PackedRows.Pack(queries, distance);
        var first = new int[packed.RowCount];
        var secondUnits = neighbours == 2 ? new int[packed.RowCount] : null;
        Parallel.For(
            0,
            packed.RowCount,
            () => new Workspace(distance.TotalCells, distance.ColumnCount),
            (q, _, work) =>
            {
                var (d1, d2) = Query(packed, q, neighbours, work);
                first[q] = d1;
                if (secondUnits is not null)
                {
                    secondUnits[q] = d2;
                }

                return work;
            },
            _ => { });
        second = secondUnits;
        return first;
    }

    private (int First, int Second) Query(PackedRows queries, int q, int neighbours, Workspace work)
    {
        if (multiset.Count(queries.Row(q)) >= neighbours)
        {
            return (0, 0);
        }

        queries.RawRow(q, distance, work.Raw);
        distance.FillLookup(work.Raw, work.Lookup);

        // No reference row is farther than UnitsPerRow, so starting just above it keeps every first candidate.
        var search = new Best(distance.UnitsPerRow + 1, neighbours);
        if (distance.ColumnCount == 0)
        {
            search.Offer(0, counts[0]);
        }
        else
        {
            Visit(0, 0, codes[0].Length, 0, work.Lookup, ref search);
        }

        // With one reference row there is no second neighbour; report the largest distance.
        return (search.First, Math.Min(search.Second, distance.UnitsPerRow));
    }

    /// <summary>Branch and bound over nodes <paramref name="start"/> .. <paramref name="end"/>-1 of a level.</summary>
    private void Visit(int level, int start, int end, int partial, int[] lookup, ref Best best)
    {
        var levelCodes = codes[level];
        if (level == depth - 1)
        {
            for (var i = start; i < end; i++)
            {
                // Unchecked: partial < bound <= UnitsPerRow + 1 and one column adds at most UnitsPerColumn (< 2^31 in all).
                var s = unchecked(partial + lookup[levelCodes[i]]);
                if (s < best.Bound)
                {
                    best.Offer(s, counts[i]);
                }
            }

            return;
        }

        // Descend first into the closest child (the query's own code when present): the first leaves reached are then
        // near neighbours, so the bound is tight before the other subtrees are tried.
        var children = childStart[level];
        var closest = start;
        var closestUnits = int.MaxValue;
        for (var i = start; i < end; i++)
        {
            var units = lookup[levelCodes[i]];
            if (units < closestUnits)
            {
                closestUnits = units;
                closest = i;
            }
        }

        var first = unchecked(partial + closestUnits);
        if (first >= best.Bound)
        {
            return;
        }

        Visit(level + 1, children[closest], children[closest + 1], first, lookup, ref best);
        for (var i = start; i < end; i++)
        {
            var s = unchecked(partial + lookup[levelCodes[i]]);
            if (i != closest && s < best.Bound)
            {
                Visit(level + 1, children[i], children[i + 1], s, lookup, ref best);
            }
        }
    }

    /// <summary>
    /// The tree's column order: categorical columns by increasing cell count, then ordered columns by increasing cell
    /// count. Small fan-out near the root keeps the tree narrow, and categorical mismatches (a full unit each) raise
    /// the prefix distance fastest, so whole subtrees are cut early.
    /// </summary>
    private static int[] ColumnOrder(DistanceSpec spec)
    {
        var order = Enumerable.Range(0, spec.Columns.Length).ToArray();
        var keys = order.Select(c => ((spec.Columns[c].IsOrdered ? 1L : 0L) << 32) | (uint)spec.Columns[c].Cells).ToArray();
        Array.Sort(keys, order);
        return order;
    }

    private static (int[][] Codes, int[][] ChildStart, int[] Counts) BuildTree(PackedRows rows, int[] order)
    {
        var n = rows.RowCount;
        var width = rows.ColumnCount;
        var all = rows.Codes;
        var sorted = Enumerable.Range(0, n).ToArray();
        Array.Sort(sorted, (a, b) =>
        {
            for (var d = 0; d < order.Length; d++)
            {
                var cmp = all[(a * width) + order[d]].CompareTo(all[(b * width) + order[d]]);
                if (cmp != 0)
                {
                    return cmp;
                }
            }

            return 0;
        });

        if (order.Length == 0)
        {
            return ([[0]], [], [n]);
        }

        var levels = order.Length;
        var nodeCodes = new List<int>[levels];
        var starts = new List<int>[levels];
        for (var d = 0; d < levels; d++)
        {
            nodeCodes[d] = [];
            starts[d] = [];
        }

        var leafCounts = new List<int>();
        var previous = -1;
        foreach (var row in sorted)
        {
            // The first level where this row's prefix differs from the previous row's starts new nodes down to the leaf.
            var from = 0;
            if (previous >= 0)
            {
                while (from < levels && all[(row * width) + order[from]] == all[(previous * width) + order[from]])
                {
                    from++;
                }
            }

            if (from == levels)
            {
                leafCounts[^1]++;
                continue;
            }

            for (var d = from; d < levels; d++)
            {
                nodeCodes[d].Add(all[(row * width) + order[d]]);
                if (d + 1 < levels)
                {
                    // This node's children begin at the next level's next node.
                    starts[d].Add(nodeCodes[d + 1].Count);
                }
            }

            leafCounts.Add(1);
            previous = row;
        }

        var codes = new int[levels][];
        var childStart = new int[Math.Max(0, levels - 1)][];
        for (var d = 0; d < levels; d++)
        {
            codes[d] = [.. nodeCodes[d]];
            if (d + 1 < levels)
            {
                starts[d].Add(nodeCodes[d + 1].Count);
                childStart[d] = [.. starts[d]];
            }
        }

        return (codes, childStart, [.. leafCounts]);
    }

    /// <summary>The best one or two distances found so far, and the bound a subtree must beat to matter.</summary>
    private struct Best(int start, int neighbours)
    {
        public int First = start;

        public int Second = start;

        public readonly int Bound => neighbours == 1 ? First : Second;

        /// <summary>Offers <paramref name="count"/> reference rows at distance <paramref name="units"/> (below the bound).</summary>
        public void Offer(int units, int count)
        {
            if (units < First)
            {
                Second = count >= 2 ? units : First;
                First = units;
            }
            else
            {
                Second = units;
            }
        }
    }

    private sealed class Workspace(int cells, int columns)
    {
        public int[] Lookup { get; } = new int[cells];

        public int[] Raw { get; } = new int[columns];
    }
}
