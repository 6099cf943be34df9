using System.Globalization;
using System.Text;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// Writes one column entry of a drafted schema from its <see cref="ColumnProfile"/>, once the file's missing tokens
/// are known. Every entry it writes encodes every value of the column it was drafted from, so the draft passes
/// <c>schema check</c> on that file.
/// </summary>
/// <remarks>
/// <para>Numbers (all non-missing values parse): an integer column (one cell per value up to
/// <see cref="SchemaInference.MaxPerValueCells"/> values, else <see cref="SchemaInference.DraftBins"/> bins), or a
/// continuous one with <see cref="SchemaInference.DraftBins"/> bins. Integers written with leading zeros or a plus sign
/// (<c>0170</c>) are codes: an integer column would decode them as <c>170</c>, so they become categories.</para>
/// <para>Otherwise <c>true</c>/<c>false</c> only: boolean; else categorical with the values seen, numbers first by value
/// (<see cref="NumbersFirstOrder"/>). A column with more than <see cref="SchemaInference.MaxCategories"/> distinct values
/// (an identifier, free text) or with no value at all gets one placeholder category and <c>on_out_of_domain: other</c>,
/// with a comment: it still encodes, but carries no information until someone decides.</para>
/// <para>The column is <c>nullable</c> when a missing token occurs in it.</para>
/// </remarks>
internal static class ColumnDraft
{
    /// <summary>The category a column with too many or no values gets, so the draft still reads and encodes.</summary>
    public const string Placeholder = "__unlisted__";

    private const string ReadFromData = "    # READ FROM THE DATA: replace with a public bound";

    /// <summary>Appends the entry of column <paramref name="name"/> to <paramref name="yaml"/>.</summary>
    public static void Write(StringBuilder yaml, string name, ColumnProfile column, IReadOnlyCollection<string> missingTokens)
    {
        yaml.Append("  - name: ").Append(SchemaInference.Quote(name)).Append('\n');
        var labels = column.OtherTexts.Keys.Where(t => !missingTokens.Contains(t)).ToArray();
        var numbersOnly = labels.Length == 0 && !column.TooManyOtherTexts && column.NumberCount > 0;
        var codes = column.AllIntegers && !column.CanonicalIntegers && !column.TooManyNumberTexts;
        if (!(numbersOnly && !codes && TryWriteNumeric(yaml, column)))
        {
            WriteLabels(yaml, column, labels, missingTokens);
        }

        if (column.MissingCount(missingTokens) > 0)
        {
            yaml.Append("    nullable: true\n");
        }
    }

    /// <summary>A boolean or categorical entry, or the placeholder of a column with too many or no values.</summary>
    private static void WriteLabels(
        StringBuilder yaml, ColumnProfile column, string[] labels, IReadOnlyCollection<string> missingTokens)
    {
        if (column.NumberCount == 0 && labels.Length == 0 && !column.TooManyOtherTexts)
        {
            yaml.Append("    type: categorical\n");
            yaml.Append("    # no values, only missing ones: declare the public categories\n");
            yaml.Append("    categories: [").Append(SchemaInference.Quote(PlaceholderFor(missingTokens))).Append("]\n");
        }
        else if (column.NumberCount == 0 && !column.TooManyOtherTexts && labels.All(v => v is "true" or "false"))
        {
            yaml.Append("    type: boolean\n");
        }
        else if (column.TooManyOtherTexts || column.TooManyNumberTexts
                 || labels.Length + column.NumberTexts.Count > SchemaInference.MaxCategories)
        {
            yaml.Append("    type: categorical\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    # more than {SchemaInference.MaxCategories} distinct values: an identifier or free")
                .Append(" text? Drop or\n    # generalise it. As drafted, every value goes to the \"other\" cell and the column tells nothing.\n");
            yaml.Append("    categories: [").Append(SchemaInference.Quote(PlaceholderFor(missingTokens))).Append("]\n");
            yaml.Append("    on_out_of_domain: other\n");
        }
        else
        {
            var categories = labels.Concat(column.NumberTexts).ToArray();
            Array.Sort(categories, NumbersFirstOrder.Instance);
            yaml.Append("    type: categorical\n");
            if (labels.Length == 0 && column.AllIntegers && !column.CanonicalIntegers)
            {
                yaml.Append("    # codes written with leading zeros or a sign: kept as categories, in numeric order\n");
            }

            yaml.Append("    # READ FROM THE DATA: replace with the public list of categories\n");
            yaml.Append("    categories: [").AppendJoin(", ", categories.Select(SchemaInference.Quote)).Append("]\n");
        }
    }

    /// <summary>An integer or continuous entry; false (nothing written) when the range is too wide for doubles.</summary>
    private static bool TryWriteNumeric(StringBuilder yaml, ColumnProfile column)
    {
        var inv = CultureInfo.InvariantCulture;
        if (column.AllIntegers)
        {
            yaml.Append("    type: integer\n");
            yaml.Append(inv, $"    min: {column.MinInteger}{ReadFromData}\n");
            yaml.Append(inv, $"    max: {column.MaxInteger}{ReadFromData}\n");
            var range = column.MaxInteger - column.MinInteger + 1;
            if (range > SchemaInference.MaxPerValueCells)
            {
                yaml.Append(inv, $"    bins: {SchemaInference.DraftBins}\n");

                // Industry or place codes look like numbers; equal-width bins would mix unrelated codes.
                if (!column.TooManyNumberTexts && column.NumberTexts.Count * 4L < range)
                {
                    yaml.Append(inv, $"    # only {column.NumberTexts.Count} distinct values in this range:")
                        .Append(" if they are codes, make the column categorical\n");
                }
            }

            return true;
        }

        // Bin arithmetic needs max - min finite, and bins that doubles can tell apart; else one bin (or a point).
        var (min, max) = (column.MinNumber, column.MaxNumber > column.MinNumber ? column.MaxNumber : column.MinNumber + 1);
        if (!double.IsFinite(max - min))
        {
            return false;
        }

        var bins = SchemaInference.DraftBins;
        if (Binning.ContinuousEqualWidth(min, max, bins) is null)
        {
            (max, bins) = (column.MaxNumber, 1);
        }

        yaml.Append("    type: continuous\n");
        yaml.Append(inv, $"    min: {min:R}{ReadFromData}\n");
        yaml.Append(inv, $"    max: {max:R}{ReadFromData}\n");
        yaml.Append(inv, $"    bins: {bins}\n");
        return true;
    }

    /// <summary>The placeholder category, lengthened in the unlikely case that it is a missing token.</summary>
    internal static string PlaceholderFor(IReadOnlyCollection<string> missingTokens)
    {
        var placeholder = Placeholder;
        while (missingTokens.Contains(placeholder))
        {
            placeholder += "_";
        }

        return placeholder;
    }
}
