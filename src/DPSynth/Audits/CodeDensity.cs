using DPSynth.Data;

namespace DPSynth.Audits;

/// <summary>
/// A density on encoded rows fitted to a table: the mixture
/// <c>p(x) = lambda * count(x) / n + (1 - lambda) * prod_c (n_c(x_c) + alpha) / (n + alpha * K_c)</c>
/// of the empirical row distribution and a smoothed product of the 1-way marginals.
/// </summary>
/// <remarks>
/// The empirical part makes the density sharp where a table repeats rows (what a leaky synthesizer does); the product
/// part keeps it positive and ranks rows by how typical their values are. A row of the fitted table itself can be
/// scored leave-one-out (its own count removed), which the density-ratio attack needs for holdout candidates: their
/// reference density must not contain them.
/// </remarks>
internal sealed class CodeDensity
{
    private const double Lambda = 0.5;
    private const double Alpha = 0.5;

    private readonly GowerDistance distance;
    private readonly RowMultiset rows;
    private readonly int[][] marginals;
    private readonly int n;

    public CodeDensity(EncodedTable table, GowerDistance distance)
    {
        this.distance = distance;
        n = table.RowCount;
        rows = new RowMultiset(PackedRows.Pack(table, distance));
        marginals = new int[table.Domain.Count][];
        var codes = new int[n];
        for (var c = 0; c < marginals.Length; c++)
        {
            marginals[c] = new int[table.Domain.Size(c)];
            table.Columns[c].CopyTo(codes);
            foreach (var code in codes)
            {
                marginals[c][code]++;
            }
        }
    }

    /// <summary>
    /// The log density of each row of <paramref name="queries"/>; when <paramref name="leaveOneOut"/>, each query is a
    /// row of the fitted table and is removed from the counts before it is scored.
    /// </summary>
    public double[] LogDensity(EncodedTable queries, bool leaveOneOut)
    {
        var packed = PackedRows.Pack(queries, distance);
        var result = new double[queries.RowCount];
        var self = leaveOneOut ? 1 : 0;
        var total = n - self;
        var raw = new int[distance.ColumnCount];
        for (var q = 0; q < result.Length; q++)
        {
            packed.RawRow(q, distance, raw);
            var logProduct = 0.0;
            for (var c = 0; c < raw.Length; c++)
            {
                var k = marginals[c].Length;
                logProduct += Math.Log((marginals[c][raw[c]] - self + Alpha) / (total + (Alpha * k)));
            }

            var count = rows.Count(packed.Row(q)) - self;
            var product = Math.Log(1 - Lambda) + logProduct;
            if (count <= 0 || total <= 0)
            {
                result[q] = product;
                continue;
            }

            var empirical = Math.Log(Lambda * count / total);
            var max = Math.Max(empirical, product);
            result[q] = max + Math.Log(Math.Exp(empirical - max) + Math.Exp(product - max));
        }

        return result;
    }
}
