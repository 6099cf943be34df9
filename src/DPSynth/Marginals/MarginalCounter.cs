using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Marginals;

/// <summary>
/// Counts marginals of an <see cref="EncodedTable"/>: for a clique <c>(a_1 &lt; ... &lt; a_k)</c> the cell of a row is
/// <c>sum_j code(a_j) * stride_j</c> with <c>stride_k = 1</c> and <c>stride_j = stride_{j+1} * size(a_{j+1})</c>
/// (row-major, last attribute fastest).
/// </summary>
/// <remarks>
/// Rows are processed in chunks of <see cref="ChunkRows"/>: the chunk's cell indices are built column by column with
/// <see cref="EncodedColumn.AccumulateScaled"/> (a vectorizable loop), then counted. The batch API gives each worker a
/// contiguous range of cliques and walks the row chunks once per range, so the code columns of a chunk stay in cache
/// while all of that range's cliques are counted. Parallelising over cliques measured faster than over row chunks:
/// it needs no per-thread copies of the count vectors and no merge.
/// </remarks>
public static class MarginalCounter
{
    /// <summary>Rows per chunk: 4,096 int indices (16 KB) stay in L1 with the column slices.</summary>
    public const int ChunkRows = 4096;

    /// <summary>The marginal (counts, row-major) of <paramref name="clique"/> in <paramref name="table"/>.</summary>
    public static double[] Count(EncodedTable table, Clique clique)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(clique);
        var counts = new double[CheckedCells(table.Domain, clique)];
        var index = new int[Math.Min(ChunkRows, Math.Max(1, table.RowCount))];
        var strides = Strides(table.Domain, clique);
        for (var start = 0; start < table.RowCount; start += ChunkRows)
        {
            var length = Math.Min(ChunkRows, table.RowCount - start);
            CountChunk(table, clique, strides, start, index.AsSpan(0, length), counts);
        }

        return counts;
    }

    /// <summary>
    /// The marginals of all <paramref name="cliques"/> (same order), counted in one pass over the rows per worker,
    /// on all cores.
    /// </summary>
    public static double[][] CountMany(EncodedTable table, IReadOnlyList<Clique> cliques)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(cliques);
        var results = new double[cliques.Count][];
        for (var c = 0; c < cliques.Count; c++)
        {
            ArgumentNullException.ThrowIfNull(cliques[c], nameof(cliques));
            results[c] = new double[CheckedCells(table.Domain, cliques[c])];
        }

        AddMany(table, cliques, results);
        return results;
    }

    /// <summary>
    /// Adds the marginals of <paramref name="cliques"/> in <paramref name="table"/> to <paramref name="counts"/> (same
    /// order, each of its clique's cell count), as <see cref="CountMany"/> counts them: a source that reads its rows in
    /// chunks counts each chunk into the same vectors.
    /// </summary>
    internal static void AddMany(EncodedTable table, IReadOnlyList<Clique> cliques, double[][] counts)
    {
        var results = counts;
        var strides = new int[cliques.Count][];
        for (var c = 0; c < cliques.Count; c++)
        {
            if (results[c].Length != CheckedCells(table.Domain, cliques[c]))
            {
                throw new ArgumentException($"The counts of clique {cliques[c]} have the wrong length.", nameof(counts));
            }

            strides[c] = Strides(table.Domain, cliques[c]);
        }

        if (cliques.Count == 0 || table.RowCount == 0)
        {
            return;
        }

        // About four ranges per core balances cliques of unequal cost without much scheduling overhead.
        var rangeSize = Math.Max(1, cliques.Count / (4 * Environment.ProcessorCount));
        Parallel.ForEach(Partitioner.Create(0, cliques.Count, rangeSize), range =>
        {
            var index = new int[Math.Min(ChunkRows, table.RowCount)];
            for (var start = 0; start < table.RowCount; start += ChunkRows)
            {
                var length = Math.Min(ChunkRows, table.RowCount - start);
                for (var c = range.Item1; c < range.Item2; c++)
                {
                    CountChunk(table, cliques[c], strides[c], start, index.AsSpan(0, length), results[c]);
                }
            }
        });
    }

    /// <summary>
    /// The cell of <paramref name="clique"/>'s marginal that each row falls in (row-major, as <see cref="Count"/>), written
    /// to <paramref name="destination"/> (one entry per row): the non-zero cells of a marginal far larger than the table,
    /// without its dense count vector.
    /// </summary>
    internal static void CellOfEachRow(EncodedTable table, Clique clique, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(clique);
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, table.RowCount, nameof(destination));
        CheckedCells(table.Domain, clique);
        var strides = Strides(table.Domain, clique);
        destination.Clear();
        for (var j = 0; j < clique.Count; j++)
        {
            table.Columns[clique[j]].AccumulateScaled(0, strides[j], destination);
        }
    }

    /// <summary>Row-major strides of the clique's attributes (last attribute has stride 1).</summary>
    internal static int[] Strides(Domain domain, Clique clique)
    {
        var strides = new int[clique.Count];
        var stride = 1;
        for (var j = clique.Count - 1; j >= 0; j--)
        {
            strides[j] = stride;
            stride = checked(stride * domain.Size(clique[j]));
        }

        return strides;
    }

    private static int CheckedCells(Domain domain, Clique clique)
    {
        if (clique.Count > 0 && clique[clique.Count - 1] >= domain.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(clique), $"Clique {clique} names an attribute outside the domain.");
        }

        var cells = clique.CellCount(domain);
        if (cells > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(clique), $"Clique {clique} has {cells} cells; too many for one array.");
        }

        return (int)cells;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountChunk(EncodedTable table, Clique clique, int[] strides, int start, Span<int> index, double[] counts)
    {
        if (TryCountBytes(table, clique, strides, start, index.Length, counts))
        {
            return;
        }

        index.Clear();
        for (var j = 0; j < clique.Count; j++)
        {
            table.Columns[clique[j]].AccumulateScaled(start, strides[j], index);
        }

        foreach (var cell in index)
        {
            counts[cell] += 1.0;
        }
    }

    /// <summary>
    /// The common case fused into one loop: up to three byte-coded columns, cell index and increment per row with
    /// no index buffer (3x fewer memory passes than building the index column by column). The cell index is below
    /// the clique's cell count, which was checked to fit in an int, so the arithmetic is unchecked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryCountBytes(EncodedTable table, Clique clique, int[] strides, int start, int length, double[] counts)
    {
        for (var j = 0; j < clique.Count; j++)
        {
            if (!table.Columns[clique[j]].IsByte)
            {
                return false;
            }
        }

        unchecked
        {
            switch (clique.Count)
            {
                case 1:
                {
                    var a = table.Columns[clique[0]].ByteCodes.Slice(start, length);
                    foreach (var code in a)
                    {
                        counts[code] += 1.0;
                    }

                    return true;
                }

                case 2:
                {
                    var a = table.Columns[clique[0]].ByteCodes.Slice(start, length);
                    var b = table.Columns[clique[1]].ByteCodes.Slice(start, length);
                    var sa = strides[0];
                    for (var i = 0; i < a.Length && i < b.Length; i++)
                    {
                        counts[(a[i] * sa) + b[i]] += 1.0;
                    }

                    return true;
                }

                case 3:
                {
                    var a = table.Columns[clique[0]].ByteCodes.Slice(start, length);
                    var b = table.Columns[clique[1]].ByteCodes.Slice(start, length);
                    var c = table.Columns[clique[2]].ByteCodes.Slice(start, length);
                    int sa = strides[0], sb = strides[1];
                    for (var i = 0; i < a.Length && i < b.Length && i < c.Length; i++)
                    {
                        counts[(a[i] * sa) + (b[i] * sb) + c[i]] += 1.0;
                    }

                    return true;
                }

                default:
                    return false;
            }
        }
    }
}
