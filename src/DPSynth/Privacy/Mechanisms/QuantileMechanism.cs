using DPSynth.Privacy.Sampling;

namespace DPSynth.Privacy.Mechanisms;

/// <summary>
/// A DP quantile over a public sorted grid of candidates g_0 &lt; ... &lt; g_(m-1) (docs/privacy.md#dp-quantile): the
/// exact <see cref="ExponentialMechanism"/> for the quantile q = a/Q with score u_j = -dist(a n, [Q c_(j-1), Q c_j]),
/// where c_j is the number of values at or below g_j (values outside the grid are clamped onto its ends first; c_(-1) =
/// 0) and n the number of values: candidate j stands for the cell (g_(j-1), g_j], and scores 0 when the q-quantile's
/// rank falls in it. Ties (many equal values) thus leave a best candidate, where -|Q c_j - a n| would leave none.
/// <list type="bullet">
/// <item>Neighbouring relation: add or remove one row (docs/privacy.md#neighbouring); each row holds at most one value.</item>
/// <item>Sensitivity: a row with a value moves n by 1 and each c_j by 0 or 1, so Q c_(j-1) - a n and a n - Q c_j
/// each move by at most max(a, Q - a), and so does their maximum with 0: Delta = max(a, Q - a) in the scores' unit (a
/// row without a value moves nothing).</item>
/// <item>Cost: epsilon^2 / 8 zCDP, as every exponential mechanism (docs/privacy.md#exponential-mechanism).</item>
/// </list>
/// </summary>
[Proof("dp-quantile")]
public sealed class QuantileMechanism
{
    private readonly ExponentialMechanism selection;

    private QuantileMechanism(ExponentialMechanism selection)
    {
        this.selection = selection;
    }

    /// <summary>rho = epsilon^2 / 8: what the accountant must be charged before <see cref="Select"/>.</summary>
    public PrivacyCost Cost => selection.Cost;

    /// <summary>The exact epsilon of the selection.</summary>
    public Rational Epsilon => selection.Epsilon;

    /// <summary>The quantile mechanism with the largest epsilon on the exponential mechanism's grid that costs at most <paramref name="rho"/>.</summary>
    public static QuantileMechanism ForRho(Rho rho) => new(ExponentialMechanism.ForRho(rho));

    /// <summary>
    /// The scores -max(0, Q c_(j-1) - a n, a n - Q c_j) of every candidate, exact, and their sensitivity max(a, Q - a).
    /// </summary>
    /// <param name="atOrBelow">c_j: how many values are at or below candidate j (non-decreasing).</param>
    /// <param name="total">n: how many values there are.</param>
    /// <param name="numerator">a, with 0 &lt;= a &lt;= Q.</param>
    /// <param name="denominator">Q &gt;= 1.</param>
    public static (Int128[] Scores, long Sensitivity) Scores(ReadOnlySpan<long> atOrBelow, long total, int numerator, int denominator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numerator, denominator);
        var target = (Int128)numerator * total;
        var scores = new Int128[atOrBelow.Length];
        var below = Int128.Zero;
        for (var j = 0; j < scores.Length; j++)
        {
            var atOrUnder = (Int128)denominator * atOrBelow[j];
            scores[j] = -Int128.Max(Int128.Zero, Int128.Max(below - target, target - atOrUnder));
            below = atOrUnder;
        }

        return (scores, Math.Max(numerator, denominator - numerator));
    }

    /// <summary>The index of the chosen candidate for the quantile <paramref name="numerator"/>/<paramref name="denominator"/>.</summary>
    /// <param name="receipt">A receipt for <see cref="Cost"/>, unused.</param>
    /// <param name="atOrBelow">How many values are at or below each candidate (see <see cref="Scores"/>).</param>
    /// <param name="total">How many values there are.</param>
    /// <param name="numerator">a.</param>
    /// <param name="denominator">Q.</param>
    public int Select(ChargeReceipt receipt, ReadOnlySpan<long> atOrBelow, long total, int numerator, int denominator)
    {
        var (scores, sensitivity) = Scores(atOrBelow, total, numerator, denominator);
        return selection.Select(receipt, scores, new Rational(sensitivity, 1));
    }

    /// <summary>The same mechanism drawing from <paramref name="source"/> (tests only).</summary>
    internal QuantileMechanism WithBits(IRandomBits source) => new(selection.WithBits(source));
}
