using System.Globalization;

namespace DPSynth.Data.Discovery;

/// <summary>What one field of a column holds, as the type probe of DP discovery counts it.</summary>
public enum FieldClass
{
    /// <summary>A missing token.</summary>
    Missing = 0,

    /// <summary>An integer within +-2^53 written plainly (no leading zeros or plus sign).</summary>
    Integer = 1,

    /// <summary>Another finite number.</summary>
    Number = 2,

    /// <summary>Anything else (a label).</summary>
    Text = 3,
}

/// <summary>Classifies fields (a per-field map: it depends on that field alone).</summary>
public static class FieldClassifier
{
    /// <summary>The number of classes, the length of a probe's count vector.</summary>
    public const int Count = 4;

    private const long MaxSafeInteger = 1L << 53;

    /// <summary>The class of a trimmed field.</summary>
    public static FieldClass Of(string text, IReadOnlySet<string> missingTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(missingTokens);
        if (missingTokens.Contains(text))
        {
            return FieldClass.Missing;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
            && whole >= -MaxSafeInteger && whole <= MaxSafeInteger && text == whole.ToString(CultureInfo.InvariantCulture))
        {
            return FieldClass.Integer;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? FieldClass.Number
            : FieldClass.Text;
    }
}
