using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>Messages of DP domain discovery (<c>schema infer --dp</c>) and of runs that use its schemas.</summary>
public static partial class Messages
{
    /// <summary>Help of <c>schema infer --dp</c>.</summary>
    public const string InferDpHelp =
        "Learn the domains with charged DP mechanisms (a thresholded histogram per categorical column, DP quantiles for " +
        "numeric bounds and bins) instead of drafting them: needs --epsilon, --ledger and --dataset; the schema written " +
        "may be used by run.";

    /// <summary>Help of <c>schema infer --epsilon</c>.</summary>
    public const string InferEpsilonHelp =
        "With --dp: the discovery's epsilon, converted to rho at the dataset cap's delta (1e-9 when uncapped).";

    /// <summary>Help of <c>schema infer --bins</c>.</summary>
    public const string InferBinsHelp = "With --dp: bins of a binned numeric column, from DP quantiles (2 to 100, default 10).";

    /// <summary>An option that only <c>--dp</c> takes was given without it, or the reverse.</summary>
    public static string InferDpOptionWithoutDp(string option) =>
        $"{option} applies to 'schema infer --dp' only (DP domain discovery)";

    /// <summary><c>--dp</c> without an option it needs.</summary>
    public static string InferDpNeeds(string option) => $"schema infer --dp needs {option}";

    /// <summary><c>--bins</c> out of range.</summary>
    public static string InferBinsOutOfRange(int bins, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"--bins must be from 2 to {max}; got {bins}");

    /// <summary>The discovery was charged.</summary>
    public static string DiscoveryCharged(string dataset, double rho, double tax, double epsilon, double delta, double thresholdDelta) =>
        string.Create(CultureInfo.InvariantCulture,
            $"charged dataset '{DisplayText.Of(dataset, DisplayText.MaxNameLength)}' rho {rho:R} for DP domain discovery " +
            $"(epsilon {epsilon:R} at delta {delta:R}; threshold delta {thresholdDelta:R}, paid by {tax:R} of that rho)");

    /// <summary>Written.</summary>
    public static string DiscoveryWritten(string path, int columns) =>
        string.Create(CultureInfo.InvariantCulture,
            $"wrote DP-discovered schema {DisplayText.Of(path, DisplayText.MaxTextLength)} ({columns} columns); run may use it");

    /// <summary>The charge of a schema's <c>dp_discovery</c> is not in the ledger for this dataset.</summary>
    public static string DiscoveryChargeMissing(string entry, string schemaDataset, string runDataset) =>
        $"the schema's domains were learnt by DP discovery charged to entry {DisplayText.Of(entry, 64)} of dataset " +
        $"'{DisplayText.Of(schemaDataset, DisplayText.MaxNameLength)}', but this ledger holds no such charge of dataset " +
        $"'{DisplayText.Of(runDataset, DisplayText.MaxNameLength)}': the domains would be published unpaid for. Use the " +
        "ledger and dataset the discovery was charged to.";

    /// <summary>A malformed hash in <c>dp_discovery.ledger_entry</c>.</summary>
    public const string DiscoveryBadEntryHash = "'ledger_entry' must be a ledger entry hash (64 lower-case hex digits)";

    /// <summary>A key missing from <c>dp_discovery</c>.</summary>
    public static string DiscoveryKeyMissing(string key) => $"'dp_discovery' needs '{key}'";

    /// <summary>The dataset's cap changed between the read that priced the threshold's delta and the charge.</summary>
    public static string LedgerCapChangedMeanwhile(string dataset) =>
        $"the cap of dataset '{DisplayText.Of(dataset, DisplayText.MaxNameLength)}' changed while the discovery was being " +
        "charged; nothing was charged: run the command again";

    /// <summary>A run's delta cannot hold the threshold delta of its schema's discovery.</summary>
    public static string DiscoveryDeltaTooSmall(double delta, double thresholdDelta) =>
        string.Create(CultureInfo.InvariantCulture,
            $"the run's delta {delta:R} is not above the threshold delta {thresholdDelta:R} of its schema's DP discovery: the bundle's guarantee could not be stated at that delta; use the delta of the dataset's cap");

    /// <summary>A second discovery on a dataset: its threshold delta was priced for one discovery only.</summary>
    public static string DiscoveryAlreadyCharged(string dataset) =>
        $"budget refused: dataset '{dataset}' already has a DP domain discovery in the ledger; its threshold delta is paid " +
        "for one discovery per dataset, so a second one is refused (docs/privacy.md#discovery-charge)";

    /// <summary>A cap changed after a discovery, whose threshold delta was priced at the cap then in force.</summary>
    public static string CapAfterDiscovery(string dataset) =>
        $"budget refused: dataset '{dataset}' has a DP domain discovery, whose threshold delta was priced at the cap in force " +
        "then; its cap cannot change afterwards (docs/privacy.md#discovery-charge)";

    /// <summary><c>schema infer --dp</c> without a header row.</summary>
    public const string DiscoveryNeedsHeader =
        "schema infer --dp needs a header row: without one the number of columns would come from the first private row";

    /// <summary>The schema's discovery record does not match the ledger entry it names.</summary>
    public static string DiscoveryRecordMismatch(string entry) =>
        $"the schema's dp_discovery does not match ledger entry {entry} (its charged rho, delta or threshold delta differ): " +
        "the schema was edited after the discovery";
}
