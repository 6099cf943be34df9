using DPSynth.Data;

namespace DPSynth.Audits;

/// <summary>
/// Exact nearest-neighbour search under a <see cref="GowerDistance"/> over the rows of a reference table.
/// </summary>
/// <remarks>
/// <para>Exact, not approximate: every answer equals a brute-force scan (tested). It is fast because codes are small
/// integers. Each query builds a lookup table of its per-column distances to every code, so a candidate row costs one
/// table read and one addition per column. Reference rows are grouped into buckets by the codes of a few categorical
/// columns (chosen greedily to give at most about <c>4 sqrt(n)</c> buckets); the key columns' part of the distance is a
/// lower bound for the whole bucket, so a bucket whose bound already reaches the best distance found is skipped. The
/// query's own bucket is scanned first. Within a bucket a row is abandoned as soon as its partial sum reaches the best.
/// Exact duplicates are answered from a hash of the rows (distance 0). Queries run in parallel on all cores.</para>
/// </remarks>
public sealed class NearestNeighbourIndex
{
    private readonly GowerDistance distance;
    private readonly RowMultiset multiset;
    private readonly int[] keyColumns;
    private readonly int[] restColumns;
    private readonly int[] bucketStart;
    private readonly int[] bucketKeys;
    private readonly int[] restCodes;

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
        var maxBuckets = (int)Math.Clamp(4 * Math.Sqrt(RowCount), 1, 4096);
        var bucketOfRow = ChooseKeyColumns(reference, distance.Spec, maxBuckets, out keyColumns, out var bucketCount);
        var keySet = new bool[distance.ColumnCount];
        foreach (var k in keyColumns)
        {
            keySet[k] = true;
        }

        restColumns = [.. Enumerable.Range(0, distance.ColumnCount).Where(c => !keySet[c])];

        // Counting sort of the rows by bucket, so each bucket's rows are contiguous.
        bucketStart = new int[bucketCount + 1];
        foreach (var b in bucketOfRow)
        {
            bucketStart[b + 1]++;
        }

        for (var b = 0; b < bucketCount; b++)
        {
            bucketStart[b + 1] += bucketStart[b];
        }

        var next = bucketStart[..^1];
        bucketKeys = new int[bucketCount * keyColumns.Length];
        restCodes = new int[checked(RowCount * restColumns.Length)];
        for (var r = 0; r < RowCount; r++)
        {
            var b = bucketOfRow[r];
            var at = next[b]++;
            var row = packed.Row(r);
            for (var k = 0; k < keyColumns.Length; k++)
            {
                bucketKeys[(b * keyColumns.Length) + k] = row[keyColumns[k]];
            }

            for (var t = 0; t < restColumns.Length; t++)
            {
                restCodes[(at * restColumns.Length) + t] = row[restColumns[t]];
            }
        }
    }

    /// <summary>The number of reference rows.</summary>
    public int RowCount { get; }

    /// <summary>The number of buckets the reference rows were grouped into.</summary>
    public int BucketCount => bucketStart.Length - 1;

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
        var counts = new int[packed.RowCount];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = multiset.Count(packed.Row(i));
        }

        return counts;
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
            () => new Workspace(distance.TotalCells, BucketCount, distance.ColumnCount),
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
        var row = queries.Row(q);
        var duplicates = multiset.Count(row);
        if (duplicates >= neighbours)
        {
            return (0, 0);
        }

        queries.RawRow(q, distance, work.Raw);
        distance.FillLookup(work.Raw, work.Lookup);
        var lookup = work.Lookup;
        var bounds = work.Bounds;
        var keys = keyColumns.Length;
        var own = 0;
        for (var b = 0; b < bounds.Length; b++)
        {
            var s = 0;
            var key = bucketKeys.AsSpan(b * keys, keys);
            for (var k = 0; k < key.Length; k++)
            {
                s += lookup[key[k]];
            }

            bounds[b] = s;
            if (s < bounds[own])
            {
                own = b;
            }
        }

        // No reference row is farther than UnitsPerRow, so starting just above it keeps every first candidate.
        var best1 = distance.UnitsPerRow + 1;
        var best2 = best1;
        ScanBucket(own, bounds[own], lookup, neighbours, ref best1, ref best2);
        for (var b = 0; b < bounds.Length; b++)
        {
            var bound = neighbours == 1 ? best1 : best2;
            if (b != own && bounds[b] < bound)
            {
                ScanBucket(b, bounds[b], lookup, neighbours, ref best1, ref best2);
            }
        }

        // With one reference row there is no second neighbour; report the largest distance.
        return (best1, Math.Min(best2, distance.UnitsPerRow));
    }

    private void ScanBucket(int bucket, int lowerBound, int[] lookup, int neighbours, ref int best1, ref int best2)
    {
        var width = restColumns.Length;
        var codes = restCodes;
        for (var j = bucketStart[bucket]; j < bucketStart[bucket + 1]; j++)
        {
            var bound = neighbours == 1 ? best1 : best2;
            var s = lowerBound;
            var start = j * width;
            var t = 0;

            // Sums stay below UnitsPerRow + one column (< 2^31) because the loop stops once s reaches the bound.
            for (; t < width; t++)
            {
                s += lookup[codes[start + t]];
                if (s >= bound)
                {
                    break;
                }
            }

            if (t < width || s >= bound)
            {
                continue;
            }

            if (s < best1)
            {
                best2 = best1;
                best1 = s;
            }
            else
            {
                best2 = s;
            }
        }
    }

    private static int[] ChooseKeyColumns(
        EncodedTable reference, DistanceSpec spec, int maxBuckets, out int[] keyColumns, out int bucketCount)
    {
        var n = reference.RowCount;
        var bucketOfRow = new int[n];
        var count = 1;
        var chosen = new List<int>();
        var used = new bool[spec.Columns.Length];
        var codes = new int[n];
        while (true)
        {
            var bestColumn = -1;
            var bestCount = count;
            for (var c = 0; c < spec.Columns.Length; c++)
            {
                // Only categorical columns: a mismatch there costs a full unit, so their bounds prune well.
                if (used[c] || spec.Columns[c].IsOrdered || spec.Columns[c].Cells < 2)
                {
                    continue;
                }

                reference.Columns[c].CopyTo(codes);
                var distinct = CountDistinct(bucketOfRow, codes, spec.Columns[c].Cells, maxBuckets);
                if (distinct > bestCount && distinct <= maxBuckets)
                {
                    bestCount = distinct;
                    bestColumn = c;
                }
            }

            if (bestColumn < 0)
            {
                break;
            }

            used[bestColumn] = true;
            chosen.Add(bestColumn);
            reference.Columns[bestColumn].CopyTo(codes);
            var ids = new Dictionary<long, int>();
            for (var r = 0; r < n; r++)
            {
                var composite = ((long)bucketOfRow[r] * spec.Columns[bestColumn].Cells) + codes[r];
                if (!ids.TryGetValue(composite, out var id))
                {
                    id = ids.Count;
                    ids.Add(composite, id);
                }

                bucketOfRow[r] = id;
            }

            count = ids.Count;
        }

        keyColumns = [.. chosen];
        bucketCount = count;
        return bucketOfRow;
    }

    private static int CountDistinct(int[] bucketOfRow, int[] codes, int cells, int limit)
    {
        var seen = new HashSet<long>();
        for (var r = 0; r < bucketOfRow.Length; r++)
        {
            seen.Add(((long)bucketOfRow[r] * cells) + codes[r]);
            if (seen.Count > limit)
            {
                break;
            }
        }

        return seen.Count;
    }

    private sealed class Workspace(int cells, int buckets, int columns)
    {
        public int[] Lookup { get; } = new int[cells];

        public int[] Bounds { get; } = new int[buckets];

        public int[] Raw { get; } = new int[columns];
    }
}
