using DPSynth.Privacy.Sampling;

namespace DPSynth.Privacy.Mechanisms;

/// <summary>
/// The thresholded (stability-based) histogram over an unbounded set of labels (docs/privacy.md#stability-histogram):
/// adds discrete Gaussian noise N_Z(0, sigma^2) to the count of every label that occurs, and keeps the labels whose noisy
/// count reaches <see cref="Threshold"/>. A label no row holds has no count and is never kept.
/// <list type="bullet">
/// <item>Neighbouring relation: add or remove one row (docs/privacy.md#neighbouring); each row holds at most one label
/// (the caller counts one value per row and column).</item>
/// <item>Sensitivity: one row moves one label's count by 1 (L2 sensitivity 1). When that count goes from 0 to 1 the label
/// appears, which no zCDP bound covers: it is kept with probability at most <see cref="FailureProbability"/>.</item>
/// <item>Cost: delta-approximate rho-zCDP (Bun and Steinke 2016, Definition 8.1) with rho = 1 / (2 sigma^2) and delta =
/// <see cref="FailureProbability"/>; the accountant is charged the rho, and the delta must be paid separately
/// (docs/privacy.md#stability-histogram says how <c>schema infer --dp</c> pays it).</item>
/// </list>
/// </summary>
/// <remarks>
/// Threshold: for sigma &gt;= 1 and an integer k &gt;= 1, P[Z &gt;= k] &lt;= exp(-(k - 1)^2 / (2 sigma^2)) (proved in
/// docs/privacy.md#stability-histogram); a label of count 1 is kept when 1 + Z &gt;= tau, so tau = 2 +
/// ceil(sigma sqrt(2 ln(1/delta))) keeps it with probability at most delta. Not thread-safe (one noise source).
/// </remarks>
[Proof("stability-histogram")]
public sealed class StabilityHistogram
{
    private readonly GaussianMechanism gaussian;

    private StabilityHistogram(GaussianMechanism gaussian, double failureProbability)
    {
        if (!(failureProbability > 0 && failureProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(failureProbability), failureProbability, "delta must be in (0, 1).");
        }

        if (gaussian.SigmaSquared < Rational.One)
        {
            // The tail bound behind the threshold needs sigma >= 1 (docs/privacy.md#stability-histogram).
            throw new ArgumentOutOfRangeException(nameof(gaussian), gaussian.SigmaSquared, "sigma must be at least 1.");
        }

        this.gaussian = gaussian;
        FailureProbability = failureProbability;
        Threshold = ThresholdFor(gaussian.SigmaSquared, failureProbability);
    }

    /// <summary>The probability bound delta that a label held by a single row is kept.</summary>
    public double FailureProbability { get; }

    /// <summary>The least noisy count that keeps a label.</summary>
    public long Threshold { get; }

    /// <summary>The noise's scale parameter sigma^2 (exact).</summary>
    public Rational SigmaSquared => gaussian.SigmaSquared;

    /// <summary>rho = 1 / (2 sigma^2): what the accountant must be charged before <see cref="Keep"/>.</summary>
    public PrivacyCost Cost => gaussian.Cost;

    /// <summary>
    /// The histogram that costs at most <paramref name="rho"/> (sigma^2 = 1/(2 rho), rounded up, and at least 1) and keeps a
    /// label of count 1 with probability at most <paramref name="failureProbability"/>; noise from the CSPRNG.
    /// </summary>
    public static StabilityHistogram For(Rho rho, double failureProbability)
    {
        var gaussian = GaussianMechanism.ForRho(rho);
        if (gaussian.SigmaSquared < Rational.One)
        {
            gaussian = GaussianMechanism.WithSigmaSquared(Rational.One);
        }

        return new StabilityHistogram(gaussian, failureProbability);
    }

    /// <summary>
    /// tau = 2 + ceil(sigma sqrt(2 ln(1/delta))), with sigma^2 rounded up to a double and the square root nudged up, so
    /// floating point can only raise the threshold (a rarer release, never a likelier one).
    /// </summary>
    public static long ThresholdFor(Rational sigmaSquared, double failureProbability)
    {
        var s2 = Rounding.ToDoubleUp(sigmaSquared);
        var margin = Rounding.Up(Math.Sqrt(Rounding.Up(2 * s2 * Rounding.Up(-Math.Log(failureProbability), 4), 4)), 4);
        return checked(2 + (long)Math.Ceiling(margin));
    }

    /// <summary>
    /// Adds the noise to every count and returns the labels whose noisy count reaches <see cref="Threshold"/>, with their
    /// noisy counts, in ordinal order of the label. Only kept labels leave this method, and never in the order they were
    /// given: a caller builds <paramref name="counts"/> as the rows come, so that order is where each label first
    /// appears in the private file, which no mechanism here protects.
    /// </summary>
    /// <param name="receipt">A receipt for <see cref="Cost"/>, unused.</param>
    /// <param name="counts">Each label that occurs with its count (at least 1), one label per row.</param>
    public IReadOnlyList<KeyValuePair<string, long>> Keep(ChargeReceipt receipt, IReadOnlyList<KeyValuePair<string, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(counts);
        var values = new long[counts.Count];
        for (var i = 0; i < values.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(counts[i].Value);
            values[i] = counts[i].Value;
        }

        gaussian.ReleaseInPlace(receipt, values);
        var kept = new List<KeyValuePair<string, long>>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= Threshold)
            {
                kept.Add(new(counts[i].Key, values[i]));
            }
        }

        kept.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return kept;
    }

    /// <summary>The same histogram drawing from <paramref name="source"/> (tests only).</summary>
    internal StabilityHistogram WithBits(IRandomBits source) => new(gaussian.WithBits(source), FailureProbability);
}
