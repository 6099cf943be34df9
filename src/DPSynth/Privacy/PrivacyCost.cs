namespace DPSynth.Privacy;

/// <summary>
/// What a mechanism will cost before it runs: its rho and a description of the mechanism and its exact parameters.
/// Two costs are equal only when both agree, so a receipt paid for one mechanism cannot release another.
/// </summary>
/// <param name="Rho">The zCDP cost.</param>
/// <param name="Mechanism">The mechanism and its exact parameters, e.g. <c>gaussian(sigma2=100, l2=1)</c>.</param>
public readonly record struct PrivacyCost(Rho Rho, string Mechanism);
