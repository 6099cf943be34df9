namespace DPSynth.Data.Discovery;

/// <summary>The public choices of a DP domain discovery (<c>schema infer --dp</c>).</summary>
/// <param name="Header">True when the first record names the columns.</param>
/// <param name="Delimiter">The field separator.</param>
/// <param name="MissingTokens">The texts read as missing (trimmed), in the order the schema lists them.</param>
/// <param name="Bins">Bins of a binned numeric column (2 to <see cref="MaxBins"/>).</param>
public sealed record DiscoveryOptions(bool Header, string Delimiter, IReadOnlyList<string> MissingTokens, int Bins = DiscoveryOptions.DefaultBins)
{
    /// <summary>The default number of bins.</summary>
    public const int DefaultBins = 10;

    /// <summary>The most bins a column may ask for.</summary>
    public const int MaxBins = 100;

    /// <summary>The missing tokens used when none are given: the empty field, <c>NA</c>, <c>NULL</c> and <c>?</c>.</summary>
    public static IReadOnlyList<string> DefaultMissingTokens { get; } = ["", "NA", "NULL", "?"];

    /// <summary>At most this many labels are kept per categorical column (those with the highest noisy counts).</summary>
    public const int MaxCategories = 1000;

    /// <summary>Labels longer than this (in UTF-16 code units, after trimming) are never counted or kept.</summary>
    public const int MaxLabelLength = 200;

    /// <summary>Checks the public choices before anything is charged.</summary>
    /// <exception cref="Diagnostics.InputException">The delimiter is unusable, or the bins are out of range.</exception>
    public void Check()
    {
        CsvTextRows.CheckDelimiter(Delimiter);
        if (Bins is < 2 or > MaxBins)
        {
            throw new Diagnostics.InputException(Diagnostics.Messages.InferBinsOutOfRange(Bins, MaxBins));
        }
    }

    /// <summary>An integer column whose DP bounds span at most this many values gets one cell per value.</summary>
    public const int MaxPerValueCells = 100;
}
