using DPSynth.Diagnostics;

namespace DPSynth.Privacy;

/// <summary>
/// Proof that a <see cref="ZcdpAccountant"/> accepted a charge. Mechanisms release noise only against a receipt whose
/// cost equals their own, and each receipt pays for exactly one release, so "charge before noise" holds by types.
/// </summary>
public sealed class ChargeReceipt
{
    private readonly ZcdpAccountant accountant;
    private int redeemed;

    internal ChargeReceipt(ZcdpAccountant accountant, int sequence, PrivacyCost cost, string label)
    {
        this.accountant = accountant;
        Sequence = sequence;
        Cost = cost;
        Label = label;
    }

    /// <summary>1-based position of the charge in its accountant.</summary>
    public int Sequence { get; }

    /// <summary>The cost that was charged.</summary>
    public PrivacyCost Cost { get; }

    /// <summary>The caller's label (e.g. <c>aim round 3: measure (age, income)</c>).</summary>
    public string Label { get; }

    /// <summary>True once a mechanism has released noise against this receipt.</summary>
    public bool IsRedeemed => Volatile.Read(ref redeemed) != 0;

    /// <summary>
    /// Spends the receipt for a mechanism whose cost is <paramref name="mechanismCost"/>: throws unless the costs are
    /// equal and the receipt is unused. Called by a mechanism before it draws any noise. Returns the insecure stream
    /// the mechanism must draw from when the accountant is <see cref="ZcdpAccountant.InsecureDeterministic"/>, else null.
    /// </summary>
    internal Privacy.Sampling.IRandomBits? Redeem(PrivacyCost mechanismCost, bool insecureNoise)
    {
        if (mechanismCost != Cost)
        {
            throw new InvalidOperationException(Messages.ReceiptCostMismatch(Cost.Mechanism, mechanismCost.Mechanism));
        }

        if (Interlocked.Exchange(ref redeemed, 1) != 0)
        {
            throw new InvalidOperationException(Messages.ReceiptAlreadyRedeemed(Label));
        }

        var forced = accountant.InsecureBits;
        if (insecureNoise || forced is not null)
        {
            accountant.MarkInsecureNoise();
        }

        return forced;
    }
}
