using DPSynth.Schema;

namespace DPSynth.Data.Discovery;

/// <summary>
/// Decides a column's type and missing cell from its noisy probe counts alone (post-processing of a DP output;
/// docs/schema-reference.md#dp-discovery). A count at or below the noise floor is taken as absent.
/// </summary>
public static class TypeDecision
{
    /// <summary>Labels may be at most this share of a numeric column's fields (they are then bad rows, skipped).</summary>
    public const double MaxLabelShareOfNumbers = 0.01;

    /// <summary>
    /// Numeric when numbers pass the floor and labels stay at most the floor or 1% of the numbers; integer when the other
    /// numbers (decimals) stay at most the floor; categorical otherwise. A numeric column is always nullable (a missing
    /// value in a column without a missing cell would stop the run); a categorical one when its missing count passes the
    /// floor (else missing values go to its "other" cell).
    /// </summary>
    /// <param name="noisy">The noisy counts, indexed by <see cref="FieldClass"/>.</param>
    /// <param name="floor">The noise floor (a multiple of the probe's sigma).</param>
    public static (ColumnKind Kind, bool Nullable) Decide(ReadOnlySpan<long> noisy, double floor)
    {
        if (noisy.Length != FieldClassifier.Count)
        {
            throw new ArgumentException("A probe has one count per field class.", nameof(noisy));
        }

        var missing = Math.Max(0, noisy[(int)FieldClass.Missing]);
        var integers = Math.Max(0, noisy[(int)FieldClass.Integer]);
        var decimals = Math.Max(0, noisy[(int)FieldClass.Number]);
        var texts = Math.Max(0, noisy[(int)FieldClass.Text]);
        var numbers = (double)integers + decimals;
        if (numbers > floor && texts <= Math.Max(floor, MaxLabelShareOfNumbers * numbers))
        {
            return (decimals <= floor ? ColumnKind.Integer : ColumnKind.Continuous, true);
        }

        return (ColumnKind.Categorical, missing > floor);
    }
}
