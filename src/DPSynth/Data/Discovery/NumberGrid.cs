namespace DPSynth.Data.Discovery;

/// <summary>
/// The public, data-independent candidates from which DP quantiles choose bounds and bin edges
/// (docs/schema-reference.md#dp-discovery): sorted, distinct, spanning [-1e15, 1e15]. Values outside the grid are
/// clamped onto its ends before counting, a per-row map that keeps the quantile's sensitivity.
/// </summary>
public sealed class NumberGrid
{
    /// <summary>The public range every grid spans: [-<see cref="Limit"/>, <see cref="Limit"/>].</summary>
    public const double Limit = 1e15;

    /// <summary>Grid points per factor of ten on the logarithmic parts.</summary>
    public const int StepsPerDecade = 40;

    /// <summary>Integers up to this magnitude are all candidates of the integer grid.</summary>
    public const long DenseIntegers = 1000;

    private readonly double[] points;

    private NumberGrid(IEnumerable<double> points)
    {
        this.points = [.. points.Distinct().Order()];
    }

    /// <summary>
    /// The integer grid: every integer in [-1000, 1000], then round(10^(3 + k/40)) and its negative up to 10^15 (about
    /// 3,000 points; 6% apart beyond 1000).
    /// </summary>
    public static NumberGrid Integers { get; } = new(IntegerPoints());

    /// <summary>
    /// The real grid: 0 and +-10^(k/40) from 10^-6 to 10^15 (about 1,700 points, 6% apart).
    /// </summary>
    public static NumberGrid Reals { get; } = new(RealPoints());

    /// <summary>The candidates, ascending.</summary>
    public ReadOnlySpan<double> Points => points;

    /// <summary>How many candidates.</summary>
    public int Count => points.Length;

    /// <summary>
    /// The cell of <paramref name="value"/>: the index of the first candidate at or above it, clamped to the last one.
    /// Counting a value in its cell and summing cells 0..j gives the number of (clamped) values at or below candidate j.
    /// </summary>
    public int CellOf(double value)
    {
        var index = Array.BinarySearch(points, value);
        index = index >= 0 ? index : ~index;
        return Math.Min(index, points.Length - 1);
    }

    private static IEnumerable<double> IntegerPoints()
    {
        for (var v = -DenseIntegers; v <= DenseIntegers; v++)
        {
            yield return v;
        }

        for (var k = 1; k <= (15 - 3) * StepsPerDecade; k++)
        {
            var v = Math.Round(Math.Pow(10, 3 + ((double)k / StepsPerDecade)));
            yield return v;
            yield return -v;
        }
    }

    private static IEnumerable<double> RealPoints()
    {
        yield return 0;
        for (var k = -6 * StepsPerDecade; k <= 15 * StepsPerDecade; k++)
        {
            // Parse the shortest text so the schema shows the same number the grid holds.
            var v = double.Parse(Math.Pow(10, (double)k / StepsPerDecade).ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
            yield return v;
            yield return -v;
        }
    }
}
