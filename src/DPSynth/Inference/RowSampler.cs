using DPSynth.Data;
using DPSynth.Marginals;

namespace DPSynth.Inference;

/// <summary>
/// Samples synthetic rows from a <see cref="GraphicalModel"/> with Private-PGM's "round" method (post-processing:
/// it sees only the model, and takes an explicit <see cref="Random"/>).
/// </summary>
/// <remarks>
/// <para>Attributes are drawn in reverse elimination order. Attribute <c>a</c>'s parents are the attributes already
/// drawn in the union of the maximal cliques containing <c>a</c>; by the elimination property they and <c>a</c> lie in
/// one maximal clique, so <c>P(parents, a)</c> is a sum of that clique's marginal. Rows are grouped by their parent
/// values; a group of <c>k</c> rows gets <c>k * P(a | parents)</c> rows of each value of <c>a</c>, floored, and the
/// remainder goes to that many distinct values drawn without replacement with probability proportional to the
/// fractional parts (Efraimidis-Spirakis keys, equal in law to successive weighted draws); the values are then
/// shuffled over the group's rows. A slice that sums to zero falls back to uniform (the reference divides by zero).</para>
/// <para>Rounding bound: for the first attribute, each value's count differs from <c>n * P(value)</c> by less than 1;
/// for a later one, by less than 1 per parent group, so a sampled marginal of <c>(parents, a)</c> is within 1 per cell
/// of the model's conditional times the sampled parent counts.</para>
/// <para>The per-attribute step takes the already-drawn columns as its only input, so conditioning on evidence
/// (fixed columns placed first in the order) can be added without changing it.</para>
/// </remarks>
public static class RowSampler
{
    /// <summary><c>floor(Total)</c>, the reference's default number of rows.</summary>
    public static int DefaultRows(GraphicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (int)Math.Min(int.MaxValue, Math.Floor(model.Total));
    }

    /// <summary>Samples <paramref name="rows"/> rows (stratified, <see cref="RowAssignment.Stratified"/>).</summary>
    public static EncodedTable Sample(GraphicalModel model, int rows, Random random) =>
        Sample(model, rows, random, RowAssignment.Stratified);

    /// <summary>Samples <paramref name="rows"/> rows, handing each group's values to its rows as <paramref name="assignment"/> says.</summary>
    public static EncodedTable Sample(GraphicalModel model, int rows, Random random, RowAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var domain = model.Domain;
        var tree = model.Tree;
        var codes = new int[domain.Count][];
        var drawn = new bool[domain.Count];
        var workspace = new Workspace(rows);
        for (var k = tree.EliminationOrder.Length - 1; k >= 0; k--)
        {
            var a = tree.EliminationOrder[k];
            var parents = new List<int>();
            foreach (var c in tree.MaximalCliques)
            {
                if (!c.Contains(a))
                {
                    continue;
                }

                foreach (var b in c.Attributes)
                {
                    if (drawn[b] && !parents.Contains(b))
                    {
                        parents.Add(b);
                    }
                }
            }

            parents.Add(a);
            var clique = new Clique(parents);
            var strata = assignment == RowAssignment.Stratified ? StratifiedRows.Order(domain, codes, clique, rows, random) : null;
            codes[a] = SampleAttribute(model, clique, a, codes, rows, random, workspace, strata);
            drawn[a] = true;
        }

        var columns = new EncodedColumn[domain.Count];
        for (var a = 0; a < columns.Length; a++)
        {
            columns[a] = EncodedColumn.FromCodes(domain.Size(a), codes[a]);
        }

        return new EncodedTable(domain, columns);
    }

    /// <summary>Draws attribute <paramref name="a"/> given the other (already drawn) attributes of <paramref name="clique"/>.</summary>
    /// <remarks>
    /// With <paramref name="strata"/> (a permutation of the rows), rows enter their parent groups in that order and
    /// each group's values are interleaved evenly (<see cref="StratifiedRows.Interleave"/>) instead of shuffled.
    /// </remarks>
    private static int[] SampleAttribute(
        GraphicalModel model, Clique clique, int a, int[][] codes, int rows, Random random, Workspace ws, int[]? strata)
    {
        var domain = model.Domain;
        var marginal = model.Project(clique);
        var strides = MarginalCounter.Strides(domain, clique);
        var position = clique.IndexOf(a);
        var strideA = strides[position];
        var sizeA = domain.Size(a);
        var result = new int[rows];

        // offset[r] = the clique cell of row r's parent values with a = 0.
        var offset = ws.Offset;
        Array.Clear(offset);
        for (var j = 0; j < clique.Count; j++)
        {
            if (j == position)
            {
                continue;
            }

            var column = codes[clique[j]];
            var stride = strides[j];
            for (var r = 0; r < rows; r++)
            {
                offset[r] += column[r] * stride;
            }
        }

        // Counting sort of rows by offset: rows of one parent group become contiguous in `order`.
        var groupStart = new int[marginal.Length + 1];
        for (var r = 0; r < rows; r++)
        {
            groupStart[offset[r] + 1]++;
        }

        for (var cell = 0; cell < marginal.Length; cell++)
        {
            groupStart[cell + 1] += groupStart[cell];
        }

        var order = ws.Order;
        var next = (int[])groupStart.Clone();
        for (var i = 0; i < rows; i++)
        {
            var r = strata is null ? i : strata[i];
            order[next[offset[r]]++] = r;
        }

        var weights = ws.Weights(sizeA);
        var allocation = ws.Allocation(sizeA);
        var values = ws.Values;
        for (var cell = 0; cell < marginal.Length; cell++)
        {
            var count = groupStart[cell + 1] - groupStart[cell];
            if (count == 0)
            {
                continue;
            }

            for (var v = 0; v < sizeA; v++)
            {
                weights[v] = marginal[cell + (v * strideA)];
            }

            Round(weights, count, random, allocation);
            var group = values.AsSpan(0, count);
            if (strata is null)
            {
                var filled = 0;
                for (var v = 0; v < sizeA; v++)
                {
                    group.Slice(filled, allocation[v]).Fill(v);
                    filled += allocation[v];
                }

                random.Shuffle(group);
            }
            else
            {
                StratifiedRows.Interleave(allocation, random, group, ws.Keys(count));
            }

            for (var i = 0; i < count; i++)
            {
                result[order[groupStart[cell] + i]] = group[i];
            }
        }

        return result;
    }

    /// <summary>
    /// Splits <paramref name="count"/> into <paramref name="allocation"/> proportionally to <paramref name="weights"/>:
    /// floors, plus one for <c>count - sum(floors)</c> distinct cells drawn without replacement proportionally to the
    /// fractional parts. Overwrites <paramref name="weights"/>.
    /// </summary>
    internal static void Round(Span<double> weights, int count, Random random, Span<int> allocation)
    {
        double sum = 0;
        foreach (var w in weights)
        {
            sum += w > 0 ? w : 0;
        }

        var uniform = !(sum > 0) || !double.IsFinite(sum);
        var assigned = 0;
        var largest = 0;
        for (var v = 0; v < weights.Length; v++)
        {
            largest = weights[v] > weights[largest] ? v : largest;
        }

        for (var v = 0; v < weights.Length; v++)
        {
            var scaled = uniform ? (double)count / weights.Length : Math.Max(0, weights[v]) * count / sum;
            var whole = Math.Min(count, (int)Math.Floor(scaled));
            allocation[v] = whole;
            assigned += whole;

            // Efraimidis-Spirakis key log(U)/frac: the largest keys are a weighted sample without replacement.
            var fraction = scaled - whole;
            weights[v] = fraction > 0 ? Math.Log(1.0 - random.NextDouble()) / fraction : double.NegativeInfinity;
        }

        for (var extra = count - assigned; extra > 0; extra--)
        {
            var best = 0;
            for (var v = 1; v < weights.Length; v++)
            {
                if (weights[v] > weights[best])
                {
                    best = v;
                }
            }

            // If rounding error left fewer positive fractions than units, the most likely cell takes the rest: the sum
            // stays exact, and a cell of weight 0 (a structural zero) never gets a row.
            best = double.IsNegativeInfinity(weights[best]) ? largest : best;
            allocation[best]++;
            weights[best] = double.NegativeInfinity;
        }
    }

    /// <summary>Buffers reused across attributes.</summary>
    private sealed class Workspace(int rows)
    {
        private double[] weights = [];
        private int[] allocation = [];

        public int[] Offset { get; } = new int[rows];

        public int[] Order { get; } = new int[rows];

        public int[] Values { get; } = new int[rows];

        private double[] keys = [];

        public Span<double> Keys(int count)
        {
            if (keys.Length < count)
            {
                keys = new double[Math.Max(count, keys.Length * 2)];
            }

            return keys.AsSpan(0, count);
        }

        public Span<double> Weights(int size)
        {
            if (weights.Length < size)
            {
                weights = new double[size];
            }

            return weights.AsSpan(0, size);
        }

        public Span<int> Allocation(int size)
        {
            if (allocation.Length < size)
            {
                allocation = new int[size];
            }

            return allocation.AsSpan(0, size);
        }
    }
}
