using DPSynth.Schema;

namespace DPSynth.Marginals.Sql;

/// <summary>
/// Cliques a SQL source counts with one <c>GROUP BY GROUPING SETS</c> query (one scan of the rows), and the columns that
/// query groups by. A batch holds distinct cliques over at most <see cref="MaxColumns"/> columns (the most
/// <c>GROUPING(...)</c> takes in PostgreSQL, whose 32-bit mask then names each set), at most <see cref="MaxSets"/> sets,
/// and at most <see cref="MaxCells"/> cells (a larger clique gets a batch of its own), so the engine's hash tables and the
/// dense results of one batch stay small.
/// </summary>
internal sealed class SqlCountBatch
{
    /// <summary>Most columns in one batch: PostgreSQL's <c>GROUPING</c> accepts at most 31 arguments.</summary>
    public const int MaxColumns = 31;

    /// <summary>Most grouping sets in one query.</summary>
    public const int MaxSets = 64;

    /// <summary>Most cells (summed over the batch's cliques) before a new batch starts: 2^22 cells, 32 MB of counts.</summary>
    public const long MaxCells = 1L << 22;

    private readonly List<int> cliques = [];
    private readonly SortedSet<int> columns = [];
    private readonly HashSet<Clique> distinct = [];
    private long cells;

    /// <summary>Indices (into the planned list) of this batch's cliques.</summary>
    public IReadOnlyList<int> Cliques => cliques;

    /// <summary>The attributes the batch groups by, ascending (the arguments of <c>GROUPING</c>, in this order).</summary>
    public IReadOnlyList<int> Columns => [.. columns];

    /// <summary>
    /// Splits <paramref name="cliques"/> into batches, in order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A clique names an attribute outside <paramref name="domain"/>, or has
    /// more cells than one array holds.</exception>
    public static List<SqlCountBatch> Plan(Domain domain, IReadOnlyList<Clique> cliques)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(cliques);
        var batches = new List<SqlCountBatch>();
        var current = new SqlCountBatch();
        for (var i = 0; i < cliques.Count; i++)
        {
            var clique = cliques[i] ?? throw new ArgumentNullException(nameof(cliques));
            if (clique.Count > 0 && clique[clique.Count - 1] >= domain.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(cliques), $"Clique {clique} names an attribute outside the domain.");
            }

            var size = clique.CellCount(domain);
            if (size > Array.MaxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(cliques), $"Clique {clique} has {size} cells; too many for one array.");
            }

            if (!current.Accepts(clique, size))
            {
                batches.Add(current);
                current = new SqlCountBatch();
            }

            current.Add(i, clique, size);
        }

        if (current.cliques.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    /// <summary>
    /// The value <c>GROUPING(columns...)</c> takes on the rows of <paramref name="clique"/>'s set: the rightmost column is
    /// the least significant bit, set when the set does not group by that column. 0 for a batch of one clique, which is
    /// counted with a plain <c>GROUP BY</c>.
    /// </summary>
    public long Mask(Clique clique)
    {
        ArgumentNullException.ThrowIfNull(clique);
        if (cliques.Count == 1)
        {
            return 0;
        }

        var ordered = Columns;
        long mask = 0;
        for (var k = 0; k < ordered.Count; k++)
        {
            if (!clique.Contains(ordered[k]))
            {
                mask |= 1L << (ordered.Count - 1 - k);
            }
        }

        return mask;
    }

    private bool Accepts(Clique clique, long size)
    {
        if (cliques.Count == 0)
        {
            return true;
        }

        var union = columns.Count;
        for (var j = 0; j < clique.Count; j++)
        {
            union += columns.Contains(clique[j]) ? 0 : 1;
        }

        return !distinct.Contains(clique) && union <= MaxColumns && cliques.Count < MaxSets && cells + size <= MaxCells;
    }

    private void Add(int index, Clique clique, long size)
    {
        cliques.Add(index);
        distinct.Add(clique);
        cells += size;
        for (var j = 0; j < clique.Count; j++)
        {
            columns.Add(clique[j]);
        }
    }
}
