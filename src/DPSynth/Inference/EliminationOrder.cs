using System.Collections.Immutable;
using System.Numerics;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// A greedy elimination order of every domain attribute over the graph whose edges join attributes that share a
/// clique, with the maximal cliques of the triangulated graph it induces.
/// </summary>
/// <remarks>
/// Eliminating attribute <c>a</c> joins all its remaining neighbours (fill edges); <c>{a} ∪ neighbours(a)</c> is then a
/// clique of the triangulated (chordal) graph, and every maximal clique arises this way. Graphs are bit sets (one
/// <see cref="ulong"/> word per 64 attributes), so a whole order on adult's 14 attributes takes microseconds: cheap
/// enough for AIM's "model size if this clique were added" question on every candidate of every round.
/// </remarks>
public sealed class EliminationOrder
{
    private EliminationOrder(ImmutableArray<int> order, ImmutableArray<Clique> maximalCliques, long cellCount)
    {
        Order = order;
        MaximalCliques = maximalCliques;
        CellCount = cellCount;
    }

    /// <summary>Every attribute of the domain, in elimination order.</summary>
    public ImmutableArray<int> Order { get; }

    /// <summary>The maximal cliques of the triangulated graph, in the elimination order of the attribute that made each.</summary>
    public ImmutableArray<Clique> MaximalCliques { get; }

    /// <summary>The sum of the maximal cliques' cell counts (saturates at <see cref="long.MaxValue"/>).</summary>
    public long CellCount { get; }

    /// <summary>Computes the order and maximal cliques for <paramref name="cliques"/> over <paramref name="domain"/>.</summary>
    public static EliminationOrder Compute(Domain domain, IEnumerable<Clique> cliques, EliminationHeuristic heuristic)
    {
        var graph = Graph.Build(domain, cliques);
        var order = new int[domain.Count];
        var eliminationCliques = new ulong[domain.Count][];
        var cells = graph.Eliminate(heuristic, order, eliminationCliques);
        var maximal = ImmutableArray.CreateBuilder<Clique>();
        for (var i = 0; i < eliminationCliques.Length; i++)
        {
            if (Graph.IsMaximal(eliminationCliques, i))
            {
                maximal.Add(new Clique(Graph.Members(eliminationCliques[i])));
            }
        }

        return new EliminationOrder([.. order], maximal.ToImmutable(), cells);
    }

    /// <summary>
    /// The total cells of the maximal cliques of the triangulation of <paramref name="cliques"/> (plus
    /// <paramref name="extra"/> when given), without building cliques or factors.
    /// </summary>
    public static long CellCountOf(
        Domain domain, IEnumerable<Clique> cliques, Clique? extra = null, EliminationHeuristic heuristic = EliminationHeuristic.MinWeight)
    {
        var graph = Graph.Build(domain, cliques);
        if (extra is not null)
        {
            graph.AddClique(extra);
        }

        return graph.Eliminate(heuristic, null, null);
    }

    /// <summary>An attribute graph as bit sets; cheap to copy and to eliminate.</summary>
    internal sealed class Graph
    {
        private readonly int n;
        private readonly int words;
        private readonly int[] sizes;
        private readonly ulong[] adjacency;
        private readonly bool[] inClique;

        private Graph(int n, int[] sizes, ulong[] adjacency, bool[] inClique)
        {
            this.n = n;
            words = (n + 63) / 64;
            this.sizes = sizes;
            this.adjacency = adjacency;
            this.inClique = inClique;
        }

        public static Graph Build(Domain domain, IEnumerable<Clique> cliques)
        {
            ArgumentNullException.ThrowIfNull(domain);
            ArgumentNullException.ThrowIfNull(cliques);
            var n = domain.Count;
            var graph = new Graph(n, [.. domain.Sizes], new ulong[n * ((n + 63) / 64)], new bool[n]);
            foreach (var c in cliques)
            {
                graph.AddClique(c ?? throw new ArgumentException("A clique is null.", nameof(cliques)));
            }

            return graph;
        }

        public Graph Copy() => new(n, sizes, (ulong[])adjacency.Clone(), (bool[])inClique.Clone());

        public void AddClique(Clique clique)
        {
            foreach (var a in clique.Attributes)
            {
                if (a >= n)
                {
                    throw new ArgumentOutOfRangeException(nameof(clique), $"Clique {clique} names an attribute outside the domain.");
                }

                inClique[a] = true;
                foreach (var b in clique.Attributes)
                {
                    if (a != b)
                    {
                        adjacency[(a * words) + (b >> 6)] |= 1UL << (b & 63);
                    }
                }
            }
        }

        /// <summary>
        /// Eliminates every attribute greedily; fills <paramref name="order"/> and the elimination cliques when given,
        /// and returns the total cells of the maximal cliques. Works on a copy of the adjacency.
        /// </summary>
        public long Eliminate(EliminationHeuristic heuristic, int[]? order, ulong[][]? cliquesOut)
        {
            var adj = (ulong[])adjacency.Clone();
            var marked = (bool[])inClique.Clone();
            var alive = new ulong[words];
            for (var a = 0; a < n; a++)
            {
                alive[a >> 6] |= 1UL << (a & 63);
            }

            var own = cliquesOut ?? new ulong[n][];
            var neighbours = new ulong[words];
            for (var step = 0; step < n; step++)
            {
                int best = -1;
                double bestCost = double.PositiveInfinity, bestWeight = double.PositiveInfinity;
                for (var a = 0; a < n; a++)
                {
                    if ((alive[a >> 6] & (1UL << (a & 63))) == 0)
                    {
                        continue;
                    }

                    var weight = marked[a] ? Weight(adj, a) : 1.0;
                    var cost = heuristic == EliminationHeuristic.MinFill ? Fill(adj, a) : weight;
                    if (cost < bestCost || (cost == bestCost && weight < bestWeight))
                    {
                        best = a;
                        bestCost = cost;
                        bestWeight = weight;
                    }
                }

                // The elimination clique: best and its remaining neighbours, which become pairwise adjacent.
                var row = adj.AsSpan(best * words, words);
                row.CopyTo(neighbours);
                var clique = new ulong[words];
                neighbours.CopyTo(clique, 0);
                clique[best >> 6] |= 1UL << (best & 63);
                own[step] = clique;
                if (order is not null)
                {
                    order[step] = best;
                }

                alive[best >> 6] &= ~(1UL << (best & 63));
                foreach (var u in Members(neighbours))
                {
                    var urow = adj.AsSpan(u * words, words);
                    for (var w = 0; w < words; w++)
                    {
                        urow[w] |= neighbours[w];
                    }

                    urow[u >> 6] &= ~(1UL << (u & 63));
                    urow[best >> 6] &= ~(1UL << (best & 63));
                    marked[u] = true;
                }
            }

            long total = 0;
            for (var i = 0; i < n; i++)
            {
                if (IsMaximal(own, i))
                {
                    total = Saturating.Add(total, Cells(own[i]));
                }
            }

            return total;
        }

        public static bool IsMaximal(ulong[][] cliques, int i)
        {
            for (var j = 0; j < cliques.Length; j++)
            {
                if (j != i && IsSubset(cliques[i], cliques[j]))
                {
                    // Equal sets cannot occur: the attribute eliminated first is missing from the later set.
                    return false;
                }
            }

            return true;
        }

        public static List<int> Members(ReadOnlySpan<ulong> set)
        {
            var members = new List<int>();
            for (var w = 0; w < set.Length; w++)
            {
                var bits = set[w];
                while (bits != 0)
                {
                    members.Add((w * 64) + BitOperations.TrailingZeroCount(bits));
                    bits &= bits - 1;
                }
            }

            return members;
        }

        private static bool IsSubset(ulong[] a, ulong[] b)
        {
            for (var w = 0; w < a.Length; w++)
            {
                if ((a[w] & ~b[w]) != 0)
                {
                    return false;
                }
            }

            return true;
        }

        private long Cells(ulong[] set)
        {
            long cells = 1;
            foreach (var a in Members(set))
            {
                cells = Saturating.Multiply(cells, sizes[a]);
            }

            return cells;
        }

        /// <summary>Cells of a and its current neighbours (as a double: only compared, exact below 2^53).</summary>
        private double Weight(ulong[] adj, int a)
        {
            double weight = sizes[a];
            for (var w = 0; w < words; w++)
            {
                var bits = adj[(a * words) + w];
                while (bits != 0)
                {
                    weight *= sizes[(w * 64) + BitOperations.TrailingZeroCount(bits)];
                    bits &= bits - 1;
                }
            }

            return weight;
        }

        /// <summary>Number of missing edges among a's current neighbours.</summary>
        private double Fill(ulong[] adj, int a)
        {
            long missing = 0;
            var row = adj.AsSpan(a * words, words);
            for (var w = 0; w < words; w++)
            {
                var bits = row[w];
                while (bits != 0)
                {
                    var u = (w * 64) + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    var urow = adj.AsSpan(u * words, words);
                    for (var v = 0; v < words; v++)
                    {
                        missing += BitOperations.PopCount(row[v] & ~urow[v]);
                    }

                    missing--; // u itself is in row but not in its own row.
                }
            }

            return missing / 2.0;
        }
    }
}
