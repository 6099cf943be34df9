using System.Globalization;
using System.Numerics;
using DPSynth.Diagnostics;
using DPSynth.Privacy.Sampling;

namespace DPSynth.Privacy.Mechanisms;

/// <summary>
/// The exact exponential mechanism (docs/privacy.md#exponential-mechanism): selects candidate i with probability
/// proportional to exp(epsilon q_i / (2 Delta)), by rejection: propose i uniformly (with replacement) and accept with an
/// exact Bernoulli(exp(-epsilon (q_max - q_i) / (2 Delta))), as OpenDP's <c>permute_and_flip(replacement = true)</c>.
/// <list type="bullet">
/// <item>Neighbouring relation: add or remove one row (docs/privacy.md#neighbouring).</item>
/// <item>Sensitivity: Delta bounds how far any one score moves between neighbours (non-monotone scores).</item>
/// <item>Cost: epsilon-bounded range (Durfee and Rogers 2019), hence rho = epsilon^2 / 8 zCDP (Cesar and Rogers 2021).</item>
/// </list>
/// Scores must be exact: integers in a unit of the caller's choice (e.g. counts times 2^k, computed exactly from
/// public rounded inputs), with the sensitivity in the same unit. The running time depends on the data.
/// </summary>
/// <remarks>
/// Not thread-safe (it owns its bit source): use one instance per thread. A call made while another call on the same
/// instance is running throws <see cref="InvalidOperationException"/> (two threads must never share random words).
/// </remarks>
[Proof("exponential-mechanism")]
public sealed class ExponentialMechanism
{
    /// <summary>Bits of the grid onto which <see cref="ForEpsilonRoundedDown"/> rounds epsilon.</summary>
    public const int EpsilonGridBits = 40;

    private readonly IRandomBits bits;
    private int busy;

    private ExponentialMechanism(Rational epsilon, IRandomBits bits)
    {
        if (epsilon.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        }

        Epsilon = epsilon;
        this.bits = bits;
        Cost = new PrivacyCost(
            new Rho(epsilon * epsilon / new Rational(8, 1)),
            string.Create(CultureInfo.InvariantCulture, $"exponential(epsilon={epsilon})"));
    }

    /// <summary>The exact epsilon.</summary>
    public Rational Epsilon { get; }

    /// <summary>rho = epsilon^2 / 8, exact; what the accountant must be charged before each <see cref="Select"/>.</summary>
    public PrivacyCost Cost { get; }

    /// <summary>True when the randomness comes from an insecure seeded source: outputs are NOT PRIVATE.</summary>
    public bool IsInsecure => bits.IsInsecure;

    /// <summary>The mechanism with exactly this epsilon, randomness from the CSPRNG.</summary>
    public static ExponentialMechanism WithEpsilon(Rational epsilon) => new(epsilon, new CsprngBits());

    /// <summary>
    /// The mechanism for an epsilon given as a double (AIM's sqrt(8 * 0.1 rho / T) is irrational), rounded down onto
    /// the grid 2^-<see cref="EpsilonGridBits"/>, so the cost is never above the stated epsilon's.
    /// </summary>
    public static ExponentialMechanism ForEpsilonRoundedDown(double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a positive finite number.");
        }

        return WithEpsilon(Rounding.DownToGrid(Rational.FromDouble(epsilon), EpsilonGridBits));
    }

    /// <summary>
    /// The largest epsilon on the 2^-<see cref="EpsilonGridBits"/> grid whose cost epsilon^2/8 is at most
    /// <paramref name="rho"/>.
    /// </summary>
    public static ExponentialMechanism ForRho(Rho rho)
    {
        // The float square root is only a starting point; the loop makes epsilon^2/8 <= rho hold exactly.
        var start = Math.Sqrt(8 * Rounding.ToDoubleDown(rho.Value));
        var epsilon = Rounding.DownToGrid(Rational.FromDouble(start), EpsilonGridBits);
        var eight = new Rational(8, 1);
        while (epsilon * epsilon / eight > rho.Value)
        {
            epsilon -= new Rational(1, BigInteger.One << EpsilonGridBits);
        }

        return WithEpsilon(epsilon);
    }

    /// <summary>
    /// Selects an index with probability proportional to exp(epsilon scores[i] / (2 sensitivity)) among the candidates
    /// not excluded.
    /// </summary>
    /// <param name="receipt">A receipt for <see cref="Cost"/>, unused.</param>
    /// <param name="scores">Exact scores, higher is better, in the same unit as <paramref name="sensitivity"/>.</param>
    /// <param name="sensitivity">The sensitivity Delta of every score under add/remove one row; positive.</param>
    /// <param name="excluded">Optional: true for candidates that may not be chosen (same length as the scores).</param>
    /// <exception cref="InvalidOperationException">
    /// The receipt is for another cost, or was already used; or another call on this instance is running.
    /// </exception>
    public int Select(
        ChargeReceipt receipt, ReadOnlySpan<Int128> scores, Rational sensitivity, ReadOnlySpan<bool> excluded = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (Interlocked.Exchange(ref busy, 1) != 0)
        {
            throw new InvalidOperationException(Messages.MechanismInUse(nameof(ExponentialMechanism)));
        }

        try
        {
            return SelectCore(receipt, scores, sensitivity, excluded);
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    private int SelectCore(ChargeReceipt receipt, ReadOnlySpan<Int128> scores, Rational sensitivity, ReadOnlySpan<bool> excluded)
    {
        if (sensitivity.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "The sensitivity must be positive.");
        }

        if (!excluded.IsEmpty && excluded.Length != scores.Length)
        {
            throw new ArgumentException("excluded must be empty or as long as scores.", nameof(excluded));
        }

        var candidates = new int[scores.Length];
        var count = 0;
        var best = Int128.MinValue;
        for (var i = 0; i < scores.Length; i++)
        {
            if (excluded.IsEmpty || !excluded[i])
            {
                candidates[count++] = i;
                best = Int128.Max(best, scores[i]);
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("There is no candidate to select.", nameof(scores));
        }

        var source = receipt.Redeem(Cost, IsInsecure) ?? bits;

        // gamma_i = epsilon (q_max - q_i) / (2 Delta) = (eN * DeltaD * (q_max - q_i)) / (2 * eD * DeltaN), an integer ratio.
        var scale = Epsilon.Numerator * sensitivity.Denominator;
        var denominator = 2 * Epsilon.Denominator * sensitivity.Numerator;
        var fast = scale <= UInt128.MaxValue && denominator <= UInt128.MaxValue;
        var scale128 = fast ? (UInt128)scale : UInt128.Zero;
        var denominator128 = fast ? (UInt128)denominator : UInt128.Zero;
        while (true)
        {
            var i = candidates[UniformBelow.Sample(source, (ulong)count)];
            if (fast && TryGap(best, scores[i], scale128, out var numerator))
            {
                if (BernoulliExp.Sample(source, numerator, denominator128))
                {
                    return i;
                }
            }
            else if (BernoulliExp.Sample(source, ((BigInteger)best - (BigInteger)scores[i]) * scale, denominator))
            {
                return i;
            }
        }
    }

    /// <summary>The same mechanism drawing from <paramref name="source"/> (tests and the insecure demo mode).</summary>
    internal ExponentialMechanism WithBits(IRandomBits source) => new(Epsilon, source);

    private static bool TryGap(Int128 best, Int128 score, UInt128 scale, out UInt128 numerator)
    {
        try
        {
            numerator = checked((UInt128)(best - score) * scale);
            return true;
        }
        catch (OverflowException)
        {
            numerator = UInt128.Zero;
            return false;
        }
    }
}
