using System.Globalization;

namespace DPSynth.Data;

/// <summary>
/// What one column of a CSV file looks like, gathered in one pass for <see cref="SchemaInference"/>: its numbers (count,
/// bounds, whether all are integers written plainly), its distinct texts, and how often each text that is not a number
/// occurs. Which of those texts are missing tokens is decided only after the whole file was read
/// (<see cref="MissingTokenDetection"/>), so the profile keeps them apart from the numbers.
/// </summary>
/// <remarks>
/// Memory is bounded: at most <see cref="SchemaInference.MaxCategories"/> + 1 distinct texts are kept per kind (numbers,
/// other texts); past that the profile only records that there were too many.
/// </remarks>
internal sealed class ColumnProfile
{
    // Integers beyond 2^53 would lose precision in the double bounds of a schema's Binning.
    private const long MaxSafeInteger = 1L << 53;

    private readonly HashSet<string> explicitMissing;
    private readonly HashSet<string> numberTexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> otherTexts = new(StringComparer.Ordinal);

    /// <summary>A profile that treats exactly <paramref name="explicitMissing"/> as missing (empty: decide later).</summary>
    public ColumnProfile(HashSet<string> explicitMissing)
    {
        this.explicitMissing = explicitMissing;
    }

    /// <summary>True when some field had white space around it (the draft then trims).</summary>
    public bool Padded { get; private set; }

    /// <summary>Fields equal to an explicitly given missing token.</summary>
    public long ExplicitMissingCount { get; private set; }

    /// <summary>Fields that parse as finite numbers (and are not an explicit missing token).</summary>
    public long NumberCount { get; private set; }

    /// <summary>True while every number is an integer within +-2^53.</summary>
    public bool AllIntegers { get; private set; } = true;

    /// <summary>
    /// True while every integer is written as <c>long.ToString</c> writes it back: no leading zeros or plus sign. An
    /// integer column decodes <c>007</c> as <c>7</c>, so codes written with leading zeros are drafted as categories.
    /// </summary>
    public bool CanonicalIntegers { get; private set; } = true;

    /// <summary>The smallest integer (when <see cref="AllIntegers"/>).</summary>
    public long MinInteger { get; private set; } = long.MaxValue;

    /// <summary>The largest integer (when <see cref="AllIntegers"/>).</summary>
    public long MaxInteger { get; private set; } = long.MinValue;

    /// <summary>The smallest number.</summary>
    public double MinNumber { get; private set; } = double.PositiveInfinity;

    /// <summary>The largest number.</summary>
    public double MaxNumber { get; private set; } = double.NegativeInfinity;

    /// <summary>The distinct texts of the numbers (when not <see cref="TooManyNumberTexts"/>).</summary>
    public IReadOnlyCollection<string> NumberTexts => numberTexts;

    /// <summary>True when there were more than <see cref="SchemaInference.MaxCategories"/> distinct number texts.</summary>
    public bool TooManyNumberTexts { get; private set; }

    /// <summary>
    /// Each distinct text that is not a number, with its count; past <see cref="TooManyOtherTexts"/>, only the common
    /// missing tokens.
    /// </summary>
    public IReadOnlyDictionary<string, long> OtherTexts => otherTexts;

    /// <summary>True when there were more than <see cref="SchemaInference.MaxCategories"/> distinct other texts.</summary>
    public bool TooManyOtherTexts { get; private set; }

    /// <summary>Adds one field (untrimmed).</summary>
    public void Add(string raw)
    {
        var text = raw.Trim();
        Padded |= text.Length != raw.Length;
        if (explicitMissing.Contains(text))
        {
            ExplicitMissingCount++;
            return;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            if (!TooManyOtherTexts || MissingTokenDetection.IsCommon(text))
            {
                otherTexts[text] = otherTexts.GetValueOrDefault(text) + 1;
                if (otherTexts.Count > SchemaInference.MaxCategories)
                {
                    // Keep the common missing tokens' counts: the column may still be nullable.
                    TooManyOtherTexts = true;
                    foreach (var key in otherTexts.Keys.Where(k => !MissingTokenDetection.IsCommon(k)).ToArray())
                    {
                        otherTexts.Remove(key);
                    }
                }
            }

            return;
        }

        NumberCount++;
        MinNumber = Math.Min(MinNumber, number);
        MaxNumber = Math.Max(MaxNumber, number);
        if (!TooManyNumberTexts && numberTexts.Add(text) && numberTexts.Count > SchemaInference.MaxCategories)
        {
            TooManyNumberTexts = true;
            numberTexts.Clear();
        }

        if (AllIntegers && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
            && Math.Abs(whole) <= MaxSafeInteger)
        {
            MinInteger = Math.Min(MinInteger, whole);
            MaxInteger = Math.Max(MaxInteger, whole);
            CanonicalIntegers &= text == whole.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            AllIntegers = false;
        }
    }

    /// <summary>Fields equal to one of <paramref name="tokens"/> (explicit tokens, or detected ones among the other texts).</summary>
    public long MissingCount(IReadOnlyCollection<string> tokens)
    {
        var count = ExplicitMissingCount;
        foreach (var token in tokens)
        {
            count += otherTexts.GetValueOrDefault(token);
        }

        return count;
    }
}
