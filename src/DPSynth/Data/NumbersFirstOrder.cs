using System.Globalization;

namespace DPSynth.Data;

/// <summary>
/// The order of a drafted category list: texts that are numbers first, by value (<c>1, 2, 10, 100</c>, where ordinal
/// order gives <c>1, 10, 100, 2</c>), equal values (<c>07</c> and <c>7</c>) in ordinal order of their text; then every
/// other text in ordinal order.
/// </summary>
internal sealed class NumbersFirstOrder : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static NumbersFirstOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        var xNumber = TryNumber(x, out var a);
        var yNumber = TryNumber(y, out var b);
        if (xNumber != yNumber)
        {
            return xNumber ? -1 : 1;
        }

        var byValue = xNumber ? a.CompareTo(b) : 0;
        return byValue != 0 ? byValue : string.CompareOrdinal(x, y);
    }

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
