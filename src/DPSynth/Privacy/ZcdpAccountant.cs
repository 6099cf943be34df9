using DPSynth.Diagnostics;
using DPSynth.Privacy.Sampling;

namespace DPSynth.Privacy;

/// <summary>
/// A zCDP privacy filter with a total rho (docs/privacy.md#accountant): each mechanism is charged before it samples;
/// a charge that would take the spend past the total is refused with <see cref="BudgetRefusedException"/> and no
/// receipt exists, so no noise can be drawn. Costs are exact rationals, so the sum never rounds.
/// </summary>
/// <remarks>
/// Costs may be chosen adaptively from earlier outputs (AIM's annealing): the sum stays a valid bound by fully
/// adaptive composition for zCDP filters (Feldman and Zrnic 2021; Whitehouse, Ramdas, Rogers and Wu 2023).
/// Thread-safe.
/// </remarks>
[Proof("accountant")]
public sealed class ZcdpAccountant
{
    private readonly Lock gate = new();
    private readonly List<ChargeReceipt> charges = [];
    private Rho spent;
    private readonly IRandomBits? insecureBits;
    private bool insecure;

    /// <summary>Creates a filter that accepts charges up to <paramref name="total"/> in all.</summary>
    public ZcdpAccountant(Rho total)
    {
        Total = total;
    }

    private ZcdpAccountant(Rho total, IRandomBits insecureBits)
        : this(total)
    {
        this.insecureBits = new SynchronizedBits(insecureBits);
    }

    /// <summary>
    /// INSECURE, NOT PRIVATE: an accountant whose receipts make every mechanism draw its noise from a deterministic
    /// stream seeded with <paramref name="seed"/> (a policy's <c>insecure_deterministic_noise</c>, for reproducible
    /// tests). Anyone who knows the seed can subtract the noise. <see cref="UsedInsecureNoise"/> becomes true with the
    /// first release, and the release step refuses to sign or publish anything made with it.
    /// </summary>
    public static ZcdpAccountant InsecureDeterministic(Rho total, ulong seed) => new(total, new InsecureSeededBits(seed));

    /// <summary>True for an accountant made by <see cref="InsecureDeterministic"/>.</summary>
    public bool IsInsecure => insecureBits is not null;

    /// <summary>The insecure stream every release against this accountant must draw from, or null (the mechanism's own CSPRNG).</summary>
    internal IRandomBits? InsecureBits => insecureBits;

    /// <summary>The total rho this filter allows.</summary>
    public Rho Total { get; }

    /// <summary>The exact sum of accepted charges.</summary>
    public Rho Spent
    {
        get
        {
            lock (gate)
            {
                return spent;
            }
        }
    }

    /// <summary>What is left: <see cref="Total"/> minus <see cref="Spent"/>.</summary>
    public Rho Remaining => new(Total.Value - Spent.Value);

    /// <summary>The accepted charges in order (label and cost), for manifests and the ledger.</summary>
    public IReadOnlyList<ChargeReceipt> Charges
    {
        get
        {
            lock (gate)
            {
                return charges.ToArray();
            }
        }
    }

    /// <summary>True if any release against this accountant used insecure (seeded) noise: its outputs are NOT PRIVATE.</summary>
    public bool UsedInsecureNoise
    {
        get
        {
            lock (gate)
            {
                return insecure;
            }
        }
    }

    /// <summary>
    /// Charges <paramref name="cost"/> and returns the receipt a mechanism needs to release. A charge that brings the
    /// spend exactly to the total is accepted; one that would pass it is refused.
    /// </summary>
    /// <exception cref="BudgetRefusedException">The charge would pass <see cref="Total"/>; nothing was recorded.</exception>
    public ChargeReceipt Charge(PrivacyCost cost, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        lock (gate)
        {
            var after = spent + cost.Rho;
            if (after > Total)
            {
                throw new BudgetRefusedException(Messages.AccountantRefused(label, cost.Rho.ToDoubleUp(), spent.ToDoubleUp(), Total.ToDoubleUp()));
            }

            spent = after;
            var receipt = new ChargeReceipt(this, charges.Count + 1, cost, label);
            charges.Add(receipt);
            return receipt;
        }
    }

    internal void MarkInsecureNoise()
    {
        lock (gate)
        {
            insecure = true;
        }
    }
}
