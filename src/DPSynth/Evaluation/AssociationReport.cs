using System.Collections.Immutable;

namespace DPSynth.Evaluation;

/// <summary>Association similarity between real and synthetic rows over every pair of columns.</summary>
/// <param name="Pairs">Every pair, in column order.</param>
public sealed record AssociationReport(ImmutableArray<PairAssociation> Pairs)
{
    /// <summary>Mean |difference| in Cramér's V over the pairs measured with it (NaN when there are none).</summary>
    public double MeanCramersVDifference => Mean(AssociationMeasure.CramersV);

    /// <summary>Mean |difference| in Spearman's rho over the pairs measured with it (NaN when there are none).</summary>
    public double MeanSpearmanDifference => Mean(AssociationMeasure.Spearman);

    /// <summary>The five pairs with the largest difference for <paramref name="measure"/>, largest first.</summary>
    public ImmutableArray<PairAssociation> Worst(AssociationMeasure measure, int count = 5) =>
        [.. Pairs.Where(p => p.Measure == measure).OrderByDescending(p => p.Difference).Take(count)];

    private double Mean(AssociationMeasure measure)
    {
        var selected = Pairs.Where(p => p.Measure == measure).ToList();
        return selected.Count == 0 ? double.NaN : selected.Average(p => p.Difference);
    }
}
