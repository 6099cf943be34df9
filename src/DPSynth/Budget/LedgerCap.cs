using DPSynth.Privacy;

namespace DPSynth.Budget;

/// <summary>
/// The one rounding rule for caps: a cap's rho is the tight conversion of its (epsilon, delta) rounded DOWN to a
/// double, while a charge is rounded UP (<see cref="PrivacySpend.Charged"/>), so rounding never lets a dataset spend past
/// the cap its reviewer reads. The ledger stores caps this way, its verifier checks them this way, and a policy's cap is
/// compared with the ledger's this way.
/// </summary>
public static class LedgerCap
{
    /// <summary>The rho the ledger stores for <paramref name="cap"/>.</summary>
    public static double StoredRho(ApproxDp cap) => Rounding.ToDoubleDown(Rho.FromApproxDp(cap).Value);

    /// <summary><see cref="StoredRho"/> as an exact rho, for comparisons with exact spends.</summary>
    public static Rho Stored(ApproxDp cap) => Rho.FromDouble(StoredRho(cap));
}
