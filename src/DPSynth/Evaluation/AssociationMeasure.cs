namespace DPSynth.Evaluation;

/// <summary>Which association statistic compares a pair of columns.</summary>
public enum AssociationMeasure
{
    /// <summary>Cramér's V, for pairs with at least one categorical column (ordered columns taken by bin).</summary>
    CramersV,

    /// <summary>Spearman's rank correlation, for pairs of ordered (numeric or date) columns.</summary>
    Spearman,
}
