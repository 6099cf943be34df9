using System.Collections.Immutable;

namespace DPSynth.Schema;

/// <summary>
/// The <c>dp_discovery</c> section of a schema written by <c>schema infer --dp</c>: which ledger charge paid for its
/// domains, under what budget, and which columns were learnt (docs/schema-reference.md#dp-discovery). All public: the
/// budget is a public choice and the charge's hash is published as every bundle's charge hash is.
/// <c>Budget.DiscoveryCharge.RequireIn</c> checks it against a ledger before a run publishes the schema.
/// </summary>
/// <param name="LedgerEntry">The hash of the ledger's charge entry for the discovery.</param>
/// <param name="Dataset">The dataset id charged.</param>
/// <param name="Epsilon">The discovery's epsilon, as given.</param>
/// <param name="Delta">The delta at which <paramref name="Epsilon"/> was converted to rho (the cap's, or 1e-9).</param>
/// <param name="Rho">The rho of the noise (the mechanisms' zCDP cost), rounded up.</param>
/// <param name="ThresholdDelta">The probability that any label held by a single row was kept (added to the delta).</param>
/// <param name="ChargedRho">The rho charged to the ledger: <paramref name="Rho"/> plus the rho that pays for the threshold's delta.</param>
/// <param name="Columns">The columns whose domains were learnt.</param>
public sealed record DiscoveryRecord(
    string LedgerEntry, string Dataset, double Epsilon, double Delta, double Rho, double ThresholdDelta, double ChargedRho,
    ImmutableArray<string> Columns)
{
    /// <summary>The schema key of the section.</summary>
    public const string Key = "dp_discovery";

    /// <summary>The ledger entry's mechanism text starts with this.</summary>
    public const string MechanismPrefix = "schema-discovery";

    /// <summary>The section's keys, in the order the discovery writes them.</summary>
    internal static IReadOnlyList<string> Keys { get; } =
        ["ledger_entry", "dataset", "epsilon", "delta", "rho", "threshold_delta", "charged_rho", "columns"];
}
