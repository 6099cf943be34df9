using System.Collections.Concurrent;
using DPSynth.Data;
using DPSynth.Marginals;

namespace DPSynth.Synthesizers;

/// <summary>
/// The data's marginal of one candidate clique, kept for scoring in whichever form is smaller: dense counts when the
/// clique has at most as many cells as the table has rows, otherwise only its non-zero cells (at most one per row).
/// Either way it takes at most <c>8 min(cells, rows)</c> bytes, so holding every candidate's marginal costs
/// O(candidates x rows), never O(candidates x domain): 435 pairs of 1000-category columns are 3.5 GB dense and 17 MB
/// here for 5,000 rows.
/// </summary>
/// <remarks>Private: built from the rows and read only by the exact selection scores and the charged measurement.</remarks>
internal sealed class TrueMarginal
{
    /// <summary>Dense cells per request to a source that is not in memory: 2^22 cells, 32 MB of counts.</summary>
    public const long BatchCells = 1L << 22;

    private readonly double[]? dense;
    private readonly int[]? cells;
    private readonly int[]? counts;

    private TrueMarginal(int length, double[]? dense, int[]? cells, int[]? counts)
    {
        Length = length;
        this.dense = dense;
        this.cells = cells;
        this.counts = counts;
    }

    /// <summary>The marginal's cell count.</summary>
    public int Length { get; }

    /// <summary>True when the counts are stored densely.</summary>
    public bool IsDense => dense is not null;

    /// <summary>Bytes of the stored counts (the figure the preflight estimate bounds by <c>8 min(cells, rows)</c>).</summary>
    public long ByteCount => dense is not null ? (long)dense.Length * sizeof(double) : (long)cells!.Length * 2 * sizeof(int);

    /// <summary>
    /// The marginals of <paramref name="cliques"/> (same order) from a marginal source. Rows in memory are counted in the
    /// smaller form directly; other sources (DuckDB, PostgreSQL) are asked for batches of at most
    /// <see cref="BatchCells"/> dense cells (or one larger clique), so little more than one batch of dense marginals
    /// exists at once before each is kept in its smaller form.
    /// </summary>
    public static TrueMarginal[] CountMany(IMarginalSource source, IReadOnlyList<Clique> cliques)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(cliques);
        if (source is InMemoryMarginalSource memory)
        {
            return CountMany(memory.Table, cliques);
        }

        var result = new TrueMarginal[cliques.Count];
        var start = 0;
        while (start < cliques.Count)
        {
            // As many cliques as fit BatchCells dense cells (at least one): one request, which a SQL source answers
            // with one scan, and a bounded amount of dense counts alive before each is kept in its smaller form.
            var end = start;
            long cells = 0;
            while (end < cliques.Count && (end == start || cells + cliques[end].CellCount(source.Domain) <= BatchCells))
            {
                cells += cliques[end].CellCount(source.Domain);
                end++;
            }

            var dense = source.Count([.. cliques.Skip(start).Take(end - start)]);
            for (var i = start; i < end; i++)
            {
                result[i] = FromDense(dense[i - start]);
                dense[i - start] = [];
            }

            start = end;
        }

        return result;
    }

    /// <summary>The marginals of <paramref name="cliques"/> (same order), each in its smaller form.</summary>
    public static TrueMarginal[] CountMany(EncodedTable table, IReadOnlyList<Clique> cliques)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(cliques);
        var result = new TrueMarginal[cliques.Count];
        var denseIndices = new List<int>();
        var sparseIndices = new List<int>();
        for (var i = 0; i < cliques.Count; i++)
        {
            (StoresDense(cliques[i].CellCount(table.Domain), table.RowCount) ? denseIndices : sparseIndices).Add(i);
        }

        var denseCounts = MarginalCounter.CountMany(table, [.. denseIndices.Select(i => cliques[i])]);
        for (var k = 0; k < denseIndices.Count; k++)
        {
            result[denseIndices[k]] = new TrueMarginal(denseCounts[k].Length, denseCounts[k], null, null);
        }

        if (sparseIndices.Count > 0)
        {
            // One row-cell buffer per worker, reused for every clique of its range.
            Parallel.ForEach(Partitioner.Create(0, sparseIndices.Count), range =>
            {
                var rowCells = new int[table.RowCount];
                for (var k = range.Item1; k < range.Item2; k++)
                {
                    var i = sparseIndices[k];
                    result[i] = Sparse(table, cliques[i], rowCells);
                }
            });
        }

        return result;
    }

    /// <summary>
    /// True when a marginal of <paramref name="cells"/> cells over <paramref name="rows"/> rows is stored densely (the
    /// rule <see cref="CountMany(EncodedTable, IReadOnlyList{Clique})"/> follows; the preflight estimate uses it too).
    /// </summary>
    public static bool StoresDense(long cells, long rows) => cells <= rows;

    /// <summary>The dense counts (a new array: the caller may keep or change it).</summary>
    public double[] ToDense()
    {
        if (dense is not null)
        {
            return (double[])dense.Clone();
        }

        var result = new double[Length];
        for (var k = 0; k < cells!.Length; k++)
        {
            result[cells[k]] = counts![k];
        }

        return result;
    }

    /// <summary>
    /// The coarse marginal <c>Q x</c> under a public coarsening of this marginal's clique (<paramref name="cellMap"/>:
    /// <see cref="Coarsening.CellMap"/>), kept in its smaller form like any other.
    /// </summary>
    public TrueMarginal Coarsened(Coarsening coarsening, ReadOnlySpan<int> cellMap)
    {
        ArgumentNullException.ThrowIfNull(coarsening);
        if (cellMap.Length != Length)
        {
            throw new ArgumentException($"A coarsening map of {cellMap.Length} cells for a marginal of {Length}.", nameof(cellMap));
        }

        var coarse = new double[coarsening.CellCount];
        if (dense is not null)
        {
            Coarsening.Aggregate(dense, cellMap, coarse);
        }
        else
        {
            for (var k = 0; k < cells!.Length; k++)
            {
                coarse[cellMap[cells[k]]] += counts![k];
            }
        }

        return FromDense(coarse);
    }

    /// <summary>
    /// The exact L1 distance to <paramref name="modelCounts"/> on the grid of <see cref="SelectionScore"/>:
    /// <c>sum_i |x_i 2^k - round(xhat_i 2^k)|</c>, the same integer whichever form the counts are stored in.
    /// </summary>
    public Int128 L1OnGrid(ReadOnlySpan<double> modelCounts)
    {
        if (modelCounts.Length != Length)
        {
            throw new ArgumentException("The true and model marginals have different cell counts.");
        }

        return dense is not null
            ? SelectionScore.L1OnGrid(dense, modelCounts)
            : SelectionScore.L1OnGrid(cells, counts, modelCounts);
    }

    // Dense counts kept as they are when there are no more cells than rows (the rule of StoresDense), else as non-zeros.
    private static TrueMarginal FromDense(double[] counts)
    {
        var rows = (long)Math.Round(counts.Sum());
        if (StoresDense(counts.Length, rows))
        {
            return new TrueMarginal(counts.Length, counts, null, null);
        }

        var nonZero = Enumerable.Range(0, counts.Length).Where(c => counts[c] != 0).ToArray();
        return new TrueMarginal(counts.Length, null, nonZero, [.. nonZero.Select(c => checked((int)counts[c]))]);
    }

    private static TrueMarginal Sparse(EncodedTable table, Clique clique, int[] rowCells)
    {
        MarginalCounter.CellOfEachRow(table, clique, rowCells);
        Array.Sort(rowCells);
        var distinct = 0;
        for (var r = 0; r < rowCells.Length; r++)
        {
            if (r == 0 || rowCells[r] != rowCells[r - 1])
            {
                distinct++;
            }
        }

        var cells = new int[distinct];
        var counts = new int[distinct];
        var k = -1;
        for (var r = 0; r < rowCells.Length; r++)
        {
            if (r == 0 || rowCells[r] != rowCells[r - 1])
            {
                cells[++k] = rowCells[r];
            }

            counts[k]++;
        }

        return new TrueMarginal(checked((int)clique.CellCount(table.Domain)), null, cells, counts);
    }
}
