using System.Numerics.Tensors;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// The model's marginals of many candidate cliques, for AIM and MWEM+PGM's scores. A clique inside one maximal clique
/// is a sum of that clique's marginal (<see cref="GraphicalModel.Project"/>). Any other clique is answered by sum-product
/// messages along the smallest subtree of the junction tree that covers it, carrying only the clique's own attributes
/// across separators. Read-only after construction (its caches are thread-safe), so safe to call from several threads.
/// </summary>
/// <remarks>
/// <para>On the subtree, <c>P(C_1 ... C_m) = prod_i mu_i / prod_(i,j) mu_(C_i ∩ C_j)</c> (the junction-tree
/// factorisation of calibrated marginals). Leaves first, clique <c>C</c> sends its parent the table over
/// <c>S ∪ R</c> (<c>S</c> the separator, <c>R</c> the candidate's attributes at or below <c>C</c> and not in <c>S</c>)
/// <c>m(s, r) = (1 / mu_S(s)) sum_{x in C: x_S = s} mu_C(x) prod_j m_j(x_Sj, r_j)</c>, the product over its children
/// <c>j</c>: the conditional <c>P(r | s)</c>. The root sends no separator and keeps the count scale, so its message sums to
/// the total.</para>
/// <para>The sum runs over the cells of <c>C</c> and writes, per cell, a contiguous row of <c>|R|</c> cells: no table
/// over <c>C × R</c> is ever built. Computing it in probability space is exact enough: every message below the root
/// is a conditional probability in [0, 1], so a product of them cannot overflow, and a message is a sum of non-negative
/// terms (a cell whose separator marginal is 0 has marginal 0 and contributes nothing). A log-space version that built the
/// <c>C × R</c> tables allocated about 2 GB per AIM round on adult once the model's largest clique reached 40,000
/// cells, which made the garbage collector hold several hundred MB.</para>
/// </remarks>
internal sealed class ModelProjector
{
    /// <summary>Rows shorter than this are added with a scalar loop (a vector call costs more than it saves).</summary>
    private const int MinimumVectorRow = 16;

    private readonly GraphicalModel model;
    private readonly JunctionTree tree;
    private readonly List<int>[] neighbours;
    private readonly double[][] separatorMarginals;

    /// <summary>Prepares the tree's adjacency and the separator marginals of <paramref name="model"/>.</summary>
    public ModelProjector(GraphicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        tree = model.Tree;
        var m = tree.MaximalCliques.Length;
        neighbours = new List<int>[m];
        separatorMarginals = new double[m][];
        for (var i = 0; i < m; i++)
        {
            neighbours[i] = [];
        }

        for (var i = 0; i < m; i++)
        {
            if (tree.Parents[i] >= 0)
            {
                neighbours[i].Add(tree.Parents[i]);
                neighbours[tree.Parents[i]].Add(i);
                separatorMarginals[i] = new double[checked((int)tree.Separators[i].CellCount(tree.Domain))];
                FactorKernels.SumOnto(model.MarginalOf(i), tree.ChildToSeparator(i), separatorMarginals[i]);
            }
        }
    }

    /// <summary>The model's marginal of <paramref name="clique"/> on the count scale (row-major).</summary>
    public double[] Project(Clique clique)
    {
        ArgumentNullException.ThrowIfNull(clique);
        var result = new double[checked((int)clique.CellCount(tree.Domain))];
        Project(clique, result, new Scratch());
        return result;
    }

    /// <summary>
    /// Writes the model's marginal of <paramref name="clique"/> (row-major, <paramref name="destination"/> exactly its
    /// cells) using <paramref name="scratch"/>'s buffers for the messages: scoring candidates one after another then
    /// allocates only when a message is larger than any before it.
    /// </summary>
    public void Project(Clique clique, Span<double> destination, Scratch scratch)
    {
        ArgumentNullException.ThrowIfNull(clique);
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, clique.CellCount(tree.Domain), nameof(destination));
        if (clique.Count == 0)
        {
            destination[0] = model.Project(clique)[0];
            return;
        }

        var messages = new Message?[neighbours.Length];
        var plan = Plan(clique);
        foreach (var (c, to) in plan)
        {
            messages[c] = Send(c, to, clique, messages, scratch);
        }

        var root = messages[plan[^1].Node]!;
        ToRowMajor(root, clique, destination);
        scratch.Return(root.Values);
    }

    /// <summary>
    /// The cells of all the messages that projecting onto <paramref name="clique"/> sends, from the model's structure and
    /// the domain only (no marginal is read): a fresh <see cref="Scratch"/> allocates at most these and the children's
    /// product row (at most the clique's cells). A message is <c>|S| |R|</c> cells, <c>S</c> a separator and <c>R</c>
    /// the clique's attributes below it and not in <c>S</c>, so it may be far larger than the clique or the model: the
    /// previous model's projection onto a 300,000-cell clique of the next one rented a single 9 GB message (a separator
    /// of 37,500 cells times 30,000 carried cells) where the model had 4.7M cells. Callers that must stay within a
    /// bound ask this first (<see cref="AcceleratedMirrorDescent.WarmStart"/>, AIM's and MWEM+PGM's filters).
    /// Saturates at <see cref="long.MaxValue"/>.
    /// </summary>
    public long WorkingCells(Clique clique)
    {
        ArgumentNullException.ThrowIfNull(clique);
        if (clique.Count == 0)
        {
            return 1;
        }

        var carried = new Clique?[neighbours.Length];
        long total = 0;
        foreach (var (c, to) in Plan(clique))
        {
            // The attributes a message carries: its own (not in the separator) and its children's, which are disjoint
            // by the running intersection property (an attribute in c and below a child is in their separator).
            var separator = to < 0 ? Clique.Empty : Separator(c, to);
            var attributes = clique.Intersect(tree.MaximalCliques[c]).Except(separator);
            foreach (var j in neighbours[c])
            {
                if (j != to && carried[j] is { } below)
                {
                    attributes = attributes.Union(below);
                }
            }

            carried[c] = attributes;
            total = Saturating.Add(total, Saturating.Multiply(Saturating.Cells(tree.Domain, separator), Saturating.Cells(tree.Domain, attributes)));
        }

        return total;
    }

    /// <summary>
    /// The cliques that send a message for <paramref name="clique"/>, children before parents, each with the clique it
    /// sends to (-1 at the root, which is last): the smallest maximal clique containing it, or else the smallest subtree
    /// covering it (by the running intersection property, the union of the paths from a holder of its first attribute to
    /// one holder of each other attribute).
    /// </summary>
    private (int Node, int To)[] Plan(Clique clique)
    {
        var inside = tree.IndexOfSmallestContaining(clique);
        if (inside >= 0)
        {
            return [(inside, -1)];
        }

        var root = Holder(clique[0]);
        var parent = new int[neighbours.Length];
        var order = new List<int>(neighbours.Length);
        Array.Fill(parent, -2);
        parent[root] = -1;
        order.Add(root);
        for (var k = 0; k < order.Count; k++)
        {
            foreach (var j in neighbours[order[k]])
            {
                if (parent[j] == -2)
                {
                    parent[j] = order[k];
                    order.Add(j);
                }
            }
        }

        var kept = new bool[neighbours.Length];
        foreach (var a in clique.Attributes)
        {
            for (var c = Holder(a); c >= 0 && !kept[c]; c = parent[c])
            {
                kept[c] = true;
            }
        }

        var plan = new List<(int, int)>();
        for (var k = order.Count - 1; k >= 0; k--)
        {
            if (kept[order[k]])
            {
                plan.Add((order[k], parent[order[k]]));
            }
        }

        return [.. plan];
    }

    /// <summary>The message of clique <paramref name="c"/> to <paramref name="to"/> (-1 at the root).</summary>
    private Message Send(int c, int to, Clique clique, Message?[] messages, Scratch scratch)
    {
        var cells = tree.MaximalCliques[c];
        var separator = to < 0 ? Clique.Empty : Separator(c, to);
        var own = clique.Intersect(cells).Except(separator);
        var toSeparator = to < 0 ? IndexMap.Create(tree.Domain, cells, Clique.Empty) : MapToSeparator(c, to);
        var toOwn = new Odometer(tree.Domain, cells, own);

        // Children in the kept subtree, each with its map onto the separator with c.
        var children = new List<(Message Message, IndexMap Map)>();
        var carried = new List<int>(own.Attributes.ToArray());
        var carriedCells = 1;
        foreach (var j in neighbours[c])
        {
            if (j != to && messages[j] is { } message)
            {
                children.Add((message, MapToSeparator(c, j)));
                carried.AddRange(message.Attributes);
                carriedCells = checked(carriedCells * message.Cells);
            }
        }

        var ownCells = checked((int)own.CellCount(tree.Domain));
        var row = checked(ownCells * carriedCells);
        var length = checked((int)separator.CellCount(tree.Domain) * row);
        var values = scratch.Rent(length);
        var mu = model.MarginalOf(c);
        var outer = children.Count > 1 ? scratch.Outer(carriedCells) : null;
        var separatorCell = new IndexMap.Cursor(toSeparator);
        var childCells = new IndexMap.Cursor[children.Count];
        for (var j = 0; j < childCells.Length; j++)
        {
            childCells[j] = new IndexMap.Cursor(children[j].Map);
        }

        for (var x = 0; x < mu.Length; x++)
        {
            // Children send conditionals P(r_j | s_j) (below), so the weight is mu_C(x) itself: no division here, and
            // every factor of the product is in [0, 1].
            var weight = mu[x];
            if (x > 0)
            {
                toOwn.Next();
                separatorCell.Next();
                for (var j = 0; j < childCells.Length; j++)
                {
                    childCells[j].Next();
                }
            }

            if (weight == 0)
            {
                continue;
            }

            var start = (separatorCell.Cell * row) + (toOwn.Target * carriedCells);
            if (children.Count == 0)
            {
                values[start] += weight;
            }
            else if (children.Count == 1)
            {
                var message = children[0].Message;
                var childRow = message.Values.AsSpan(childCells[0].Cell * carriedCells, carriedCells);
                AddScaled(childRow, weight, values.AsSpan(start, carriedCells));
            }
            else
            {
                // The product of the children's rows, in the order their attributes were appended to `carried`.
                outer![0] = 1;
                var filled = 1;
                for (var j = 0; j < children.Count; j++)
                {
                    var message = children[j].Message;
                    var childRow = message.Values.AsSpan(childCells[j].Cell * message.Cells, message.Cells);
                    for (var p = filled - 1; p >= 0; p--)
                    {
                        for (var q = message.Cells - 1; q >= 0; q--)
                        {
                            outer[(p * message.Cells) + q] = outer[p] * childRow[q];
                        }
                    }

                    filled *= message.Cells;
                }

                AddScaled(outer.AsSpan(0, carriedCells), weight, values.AsSpan(start, carriedCells));
            }
        }

        if (to >= 0)
        {
            // Divide each separator row by the separator's marginal: the message becomes P(r | s), in [0, 1] (a row sums
            // to mu_S(s)). Dividing at the parent instead, by the product of all its separators at once, overflows when
            // several separator cells are tiny (two below 1e-154 are enough), and Inf times an underflowed row is NaN.
            var marginal = separatorMarginals[EdgeIndex(c, to)];
            for (var s = 0; s < marginal.Length; s++)
            {
                var span = values.AsSpan(s * row, row);
                if (marginal[s] > 0)
                {
                    TensorPrimitives.Divide(span, marginal[s], span);
                }
                else
                {
                    span.Clear();
                }
            }
        }

        foreach (var (message, _) in children)
        {
            scratch.Return(message.Values); // read for the last time above
        }

        return new Message([.. carried], row, values, length);
    }

    /// <summary>The root's message (over the candidate's attributes in carried order) in row-major order of the clique.</summary>
    private void ToRowMajor(Message message, Clique clique, Span<double> result)
    {
        var strides = MarginalCounter.Strides(tree.Domain, clique);
        var k = message.Attributes.Length;
        var sizes = new int[k];
        var stride = new int[k];
        for (var p = 0; p < k; p++)
        {
            sizes[p] = tree.Domain.Size(message.Attributes[p]);
            stride[p] = strides[clique.IndexOf(message.Attributes[p])];
        }

        var digits = new int[k];
        var cell = 0;
        for (var i = 0; i < message.Length; i++)
        {
            result[cell] = message.Values[i];
            for (var p = k - 1; p >= 0; p--)
            {
                digits[p]++;
                cell += stride[p];
                if (digits[p] < sizes[p])
                {
                    break;
                }

                cell -= stride[p] * sizes[p];
                digits[p] = 0;
            }
        }
    }

    private static void AddScaled(ReadOnlySpan<double> source, double weight, Span<double> destination)
    {
        if (source.Length >= MinimumVectorRow)
        {
            TensorPrimitives.MultiplyAdd(source, weight, destination, destination);
            return;
        }

        for (var q = 0; q < source.Length; q++)
        {
            destination[q] += weight * source[q];
        }
    }

    /// <summary>The tree edge between neighbours <paramref name="c"/> and <paramref name="j"/>: the child's index.</summary>
    private int EdgeIndex(int c, int j) => tree.Parents[c] == j ? c : j;

    private Clique Separator(int c, int j) => tree.Separators[EdgeIndex(c, j)];

    /// <summary>The map from clique <paramref name="c"/>'s cells onto its separator with neighbour <paramref name="j"/>.
    /// </summary>
    private IndexMap MapToSeparator(int c, int j) =>
        tree.Parents[c] == j ? tree.ChildToSeparator(c) : tree.ParentToSeparator(j);

    private int Holder(int attribute)
    {
        for (var i = 0; i < tree.MaximalCliques.Length; i++)
        {
            if (tree.MaximalCliques[i].Contains(attribute))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(attribute), $"Attribute {attribute} is in no clique of the model.");
    }

    /// <summary>
    /// Walks the cells of a clique in row-major order and tracks the cell of a subset each one projects onto, with no
    /// per-cell map (a map of a 1M-cell clique is 4 MB, for every candidate that needs it).
    /// </summary>
    private sealed class Odometer
    {
        private readonly int[] sizes;
        private readonly int[] strides;
        private readonly int[] digits;

        public Odometer(Domain domain, Clique source, Clique target)
        {
            var targetStrides = MarginalCounter.Strides(domain, target);
            sizes = new int[source.Count];
            strides = new int[source.Count];
            digits = new int[source.Count];
            for (var p = 0; p < source.Count; p++)
            {
                sizes[p] = domain.Size(source[p]);
                var t = target.IndexOf(source[p]);
                strides[p] = t >= 0 ? targetStrides[t] : 0;
            }
        }

        /// <summary>The target cell of the current source cell (the first one after construction).</summary>
        public int Target { get; private set; }

        /// <summary>Moves to the next source cell.</summary>
        public void Next()
        {
            for (var p = sizes.Length - 1; p >= 0; p--)
            {
                digits[p]++;
                Target += strides[p];
                if (digits[p] < sizes[p])
                {
                    return;
                }

                Target -= strides[p] * sizes[p];
                digits[p] = 0;
            }
        }
    }

    /// <summary>
    /// A message over <c>separator × carried</c>, row-major with the carried attributes (in this order, last fastest)
    /// as the inner axis of <paramref name="Cells"/> cells: the first <paramref name="Length"/> values of a scratch buffer.
    /// </summary>
    private sealed record Message(int[] Attributes, int Cells, double[] Values, int Length);

    /// <summary>
    /// One thread's projection buffers: a pool of message buffers (a message's buffer goes back once its parent has read
    /// it) and the children's outer-product row, grown on demand and reused by every later projection. The pool never
    /// holds more buffers than messages were in flight at once, so scoring many candidates holds one candidate's
    /// messages at a time (a buffer per tree node instead grew to one root-sized buffer per node: 240 MB per thread
    /// on 30 columns of 1000 categories).
    /// </summary>
    internal sealed class Scratch
    {
        private readonly List<double[]> free = [];
        private double[] outer = [];

        /// <summary>Bytes held in the pool and the row (the figure the preflight estimate's scoring term bounds).</summary>
        public long ByteCount => (free.Sum(m => (long)m.Length) + outer.Length) * sizeof(double);

        /// <summary>A buffer of at least <paramref name="length"/> values, the first <paramref name="length"/> zeroed.</summary>
        public double[] Rent(int length)
        {
            var best = -1;
            for (var i = 0; i < free.Count; i++)
            {
                if (free[i].Length >= length && (best < 0 || free[i].Length < free[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var buffer = free[best];
                free.RemoveAt(best);
                buffer.AsSpan(0, length).Clear();
                return buffer;
            }

            if (free.Count > 0)
            {
                // None fits: the largest free one is replaced, so the pool does not grow by a buffer per size.
                free.Remove(free.MaxBy(b => b.Length)!);
            }

            return new double[length];
        }

        /// <summary>Gives a buffer back to the pool.</summary>
        public void Return(double[] buffer) => free.Add(buffer);

        /// <summary>A row of at least <paramref name="length"/> values (overwritten by the caller).</summary>
        public double[] Outer(int length) => outer.Length >= length ? outer : outer = new double[length];
    }
}
