using DPSynth.Data;

namespace DPSynth.Evaluation;

/// <summary>
/// Compares how strongly each pair of columns is associated in the real and the synthetic table: Cramér's V for pairs
/// with a categorical column, Spearman's rho for pairs of ordered (numeric or date) columns. Both tables are encoded
/// under the same schema, so ordered columns are compared by bin; a missing cell ranks after every value.
/// </summary>
/// <remarks>Reads the real rows without noise: an internal figure, never part of a public release.</remarks>
public static class AssociationSimilarity
{
    /// <summary>Computes the association of every pair of columns in both tables.</summary>
    /// <param name="real">The real rows.</param>
    /// <param name="synthetic">The synthetic rows, over the same domain.</param>
    /// <param name="ordered">Per column: true when its codes are ordered bins (integer, continuous, date).</param>
    public static AssociationReport Compare(EncodedTable real, EncodedTable synthetic, IReadOnlyList<bool> ordered)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(ordered);
        if (!real.Domain.Equals(synthetic.Domain))
        {
            throw new ArgumentException("The real and synthetic tables must share one domain.", nameof(synthetic));
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(ordered.Count, real.Domain.Count);
        var pairs = new List<PairAssociation>();
        var d = real.Domain;
        for (var a = 0; a < d.Count; a++)
        {
            for (var b = a + 1; b < d.Count; b++)
            {
                var measure = ordered[a] && ordered[b] ? AssociationMeasure.Spearman : AssociationMeasure.CramersV;
                pairs.Add(new PairAssociation(
                    d.Names[a], d.Names[b], measure, Measure(real, a, b, measure), Measure(synthetic, a, b, measure)));
            }
        }

        return new AssociationReport([.. pairs]);
    }

    private static double Measure(EncodedTable table, int a, int b, AssociationMeasure measure)
    {
        var counts = ContingencyTable.Count(table, a, b);
        int rows = table.Domain.Size(a), columns = table.Domain.Size(b);
        return measure == AssociationMeasure.Spearman
            ? SpearmanCorrelation.FromCounts(counts, rows, columns)
            : CramersV.FromCounts(counts, rows, columns);
    }
}
