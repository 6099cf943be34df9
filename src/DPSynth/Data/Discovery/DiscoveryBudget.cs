using DPSynth.Privacy;

namespace DPSynth.Data.Discovery;

/// <summary>
/// How DP domain discovery splits its rho over its mechanisms (docs/privacy.md#domain-discovery), from public facts only
/// (the budget, the number of columns, the number of bins): a tenth for the type probe and nine tenths for the domains,
/// both shared equally by the columns; a numeric column spends half of its share on its two bounds and half on its inner
/// bin edges. The threshold's delta is shared equally by the columns too.
/// </summary>
/// <param name="Total">The rho of all discovery mechanisms together (what the in-process accountant allows).</param>
/// <param name="ThresholdDelta">The probability, over all columns, that some label held by a single row is kept.</param>
/// <param name="Columns">The number of columns discovered (public: read from the header).</param>
/// <param name="Bins">The bins a binned numeric column gets (at least 2).</param>
public sealed record DiscoveryBudget(Rho Total, double ThresholdDelta, int Columns, int Bins)
{
    /// <summary>The share of the type probe, over all columns.</summary>
    public static Rational ProbeShare { get; } = new(1, 10);

    /// <summary>One column's probe: a Gaussian measurement of its four class counts.</summary>
    public Rho ProbePerColumn => new(Total.Value * ProbeShare / Columns);

    /// <summary>One column's domain: a thresholded histogram, or two bounds and the inner edges.</summary>
    public Rho DomainPerColumn => new(Total.Value * (Rational.One - ProbeShare) / Columns);

    /// <summary>Each of a numeric column's two bound quantiles: a quarter of its domain share.</summary>
    public Rho BoundQuantile => new(DomainPerColumn.Value / 4);

    /// <summary>Each of a numeric column's <see cref="Bins"/> - 1 inner edge quantiles: half its domain share, shared.</summary>
    public Rho EdgeQuantile => new(DomainPerColumn.Value / (2 * (Bins - 1)));

    /// <summary>
    /// The threshold's delta for one column's histogram (a union bound over the columns), rounded down: the quotient
    /// rounded to nearest is often above the exact one (1e-10 / 3), and then the columns' deltas added up to more
    /// than <see cref="ThresholdDelta"/>.
    /// </summary>
    public double DeltaPerColumn => Rounding.Down(ThresholdDelta / Columns);
}
