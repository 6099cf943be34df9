namespace DPSynth.Privacy;

/// <summary>
/// What one run spends, made once from its plan and passed unchanged to everything that states it: the accountant's
/// total, the ledger's charge entry, the reports' budget table and the manifest's <c>privacy</c> section. Epsilon is
/// converted from rho here and nowhere else on a run's path, so the ledger, the reports and the manifest cannot disagree.
/// </summary>
/// <remarks>
/// <see cref="Planned"/> is the exact rational the synthesizer's plan spends at most (the accountant's total);
/// <see cref="Charged"/> is that rho rounded up to a double, as the ledger stores it (never an under-charge);
/// <see cref="Epsilon"/> is what <see cref="Charged"/> implies at <see cref="Delta"/> by the tight conversion
/// (docs/privacy.md#conversions), so it is never below the epsilon of what the accountant may spend.
/// </remarks>
public sealed record PrivacySpend
{
    private PrivacySpend(Rho planned, double delta)
    {
        Planned = planned;
        Charged = Rho.FromDouble(planned.ToDoubleUp());
        Delta = delta;
        Epsilon = ZcdpConversion.EpsilonFromRho(Charged, delta);
    }

    /// <summary>The exact budget the run may spend: the accountant's total.</summary>
    public Rho Planned { get; }

    /// <summary><see cref="Planned"/> rounded up to a double: what the ledger records and the manifest states.</summary>
    public Rho Charged { get; }

    /// <summary>The run's delta, in (0, 1).</summary>
    public double Delta { get; }

    /// <summary>The epsilon <see cref="Charged"/> implies at <see cref="Delta"/> (the tight conversion).</summary>
    public double Epsilon { get; }

    /// <summary>The spend of a run whose plan spends at most <paramref name="planned"/>, stated at <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not in (0, 1).</exception>
    public static PrivacySpend Of(Rho planned, double delta) => delta is > 0 and < 1
        ? new PrivacySpend(planned, delta)
        : throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be in (0, 1).");
}
