using System.Globalization;
using DPSynth.Diagnostics;
using DPSynth.Privacy.Sampling;

namespace DPSynth.Privacy.Mechanisms;

/// <summary>
/// The discrete Gaussian mechanism on integer count vectors: adds independent N_Z(0, sigma^2) noise to every
/// coordinate (docs/privacy.md#gaussian-mechanism).
/// <list type="bullet">
/// <item>Neighbouring relation: tables that differ by adding or removing one row (docs/privacy.md#neighbouring).</item>
/// <item>Sensitivity: the L2 sensitivity Delta_2 of the count vector (1 for one count marginal under add/remove).</item>
/// <item>Cost: rho = Delta_2^2 / (2 sigma^2) zCDP, exact (Canonne, Kamath and Steinke 2020, Section 2; independent
/// coordinates add their Rényi divergences).</item>
/// </list>
/// sigma^2 is an exact rational; factories that start from a double round it up, so the true cost is never above
/// <see cref="Cost"/>.
/// </summary>
/// <remarks>
/// Not thread-safe (it owns its bit source): use one instance per thread. A call made while another call on the same
/// instance is running throws <see cref="InvalidOperationException"/> (two threads must never share random words).
/// </remarks>
[Proof("gaussian-mechanism")]
public sealed class GaussianMechanism
{
    /// <summary>The largest sigma accepted: 2^40, so noise (and the counts it is added to) stays far inside a long.</summary>
    public const double MaxSigma = 1099511627776.0; // 2^40

    private static readonly Rational MaxSigmaSquared = new(System.Numerics.BigInteger.One << 80, 1);
    private readonly DiscreteGaussian sampler;
    private readonly IRandomBits bits;
    private int busy;

    private GaussianMechanism(Rational sigmaSquared, long l2Sensitivity, IRandomBits bits)
    {
        if (sigmaSquared.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigmaSquared), sigmaSquared, "sigma^2 must be positive.");
        }

        if (sigmaSquared > MaxSigmaSquared)
        {
            throw new ArgumentOutOfRangeException(
                nameof(sigmaSquared), sigmaSquared, "sigma must be at most 2^40 (sigma^2 at most 2^80).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l2Sensitivity);
        SigmaSquared = sigmaSquared;
        L2Sensitivity = l2Sensitivity;
        sampler = DiscreteGaussian.WithSigmaSquared(sigmaSquared);
        this.bits = bits;
        var rho = new Rho(new Rational(checked(l2Sensitivity * l2Sensitivity), 1) / (new Rational(2, 1) * sigmaSquared));
        Cost = new PrivacyCost(
            rho, string.Create(CultureInfo.InvariantCulture, $"gaussian(sigma2={sigmaSquared}, l2={l2Sensitivity})"));
    }

    /// <summary>The exact scale parameter sigma^2 of the noise.</summary>
    public Rational SigmaSquared { get; }

    /// <summary>The L2 sensitivity Delta_2 of the released vector under add/remove one row.</summary>
    public long L2Sensitivity { get; }

    /// <summary>rho = Delta_2^2 / (2 sigma^2), exact; what the accountant must be charged before <see cref="Release"/>.</summary>
    public PrivacyCost Cost { get; }

    /// <summary>True when the noise comes from an insecure seeded source: outputs are NOT PRIVATE.</summary>
    public bool IsInsecure => bits.IsInsecure;

    /// <summary>The mechanism with exactly this sigma^2, noise from the CSPRNG.</summary>
    public static GaussianMechanism WithSigmaSquared(Rational sigmaSquared, long l2Sensitivity = 1) =>
        new(sigmaSquared, l2Sensitivity, new CsprngBits());

    /// <summary>The mechanism for a sigma given as a double: sigma^2 is rounded up (<see cref="RoundSigmaSquaredUp"/>).</summary>
    public static GaussianMechanism ForSigma(double sigma, long l2Sensitivity = 1)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be a positive finite number.");
        }

        var exact = Rational.FromDouble(sigma);
        return WithSigmaSquared(RoundSigmaSquaredUp(exact * exact), l2Sensitivity);
    }

    /// <summary>The least-noise mechanism that costs at most <paramref name="rho"/>: sigma^2 = Delta_2^2/(2 rho), rounded up.</summary>
    public static GaussianMechanism ForRho(Rho rho, long l2Sensitivity = 1)
    {
        if (rho.Value.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "rho must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l2Sensitivity);
        var sigmaSquared = new Rational(checked(l2Sensitivity * l2Sensitivity), 1) / (new Rational(2, 1) * rho.Value);
        return WithSigmaSquared(RoundSigmaSquaredUp(sigmaSquared), l2Sensitivity);
    }

    /// <summary>
    /// Rounds sigma^2 up onto the grid 2^-k with the smallest k &gt;= 0 whose step is at most 1e-6 sigma^2 (k = 0 once
    /// sigma^2 &gt;= 1e6): a relative rho loss of at most 1e-6, and small integers for the sampler's fast path.
    /// </summary>
    public static Rational RoundSigmaSquaredUp(Rational sigmaSquared)
    {
        var k = 0;
        var million = new Rational(1_000_000, 1);
        while (k < 64 && new Rational(System.Numerics.BigInteger.One << k, 1) * sigmaSquared < million)
        {
            k++;
        }

        return Rounding.UpToGrid(sigmaSquared, k);
    }

    /// <summary>The noisy counts: <paramref name="trueCounts"/> plus independent discrete Gaussian noise.</summary>
    /// <exception cref="InvalidOperationException">
    /// The receipt is for another cost, or was already used; or another call on this instance is running.
    /// </exception>
    public long[] Release(ChargeReceipt receipt, ReadOnlySpan<long> trueCounts)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var noisy = trueCounts.ToArray();
        ReleaseInPlace(receipt, noisy);
        return noisy;
    }

    /// <summary>
    /// Adds the noise to <paramref name="counts"/> in place (one receipt pays for the whole vector). The noise is added
    /// to a copy that is written back only when every coordinate is done, so a failure (e.g. an overflow) leaves the
    /// buffer as it was, never half-noised.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The receipt is for another cost, or was already used; or another call on this instance is running.
    /// </exception>
    public void ReleaseInPlace(ChargeReceipt receipt, Span<long> counts)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (Interlocked.Exchange(ref busy, 1) != 0)
        {
            throw new InvalidOperationException(Messages.MechanismInUse(nameof(GaussianMechanism)));
        }

        try
        {
            var source = receipt.Redeem(Cost, IsInsecure) ?? bits;
            var noisy = counts.ToArray();
            sampler.AddTo(source, noisy);
            noisy.CopyTo(counts);
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    /// <summary>The same mechanism drawing from <paramref name="source"/> (tests and the insecure demo mode).</summary>
    internal GaussianMechanism WithBits(IRandomBits source) => new(SigmaSquared, L2Sensitivity, source);
}
