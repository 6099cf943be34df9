namespace DPSynth.Diagnostics;

public static partial class Messages
{
    /// <summary>Conditional sampling was asked for a condition the model rules out.</summary>
    public static string ConditionHasZeroProbability(string condition) =>
        $"the model gives the condition ({ShowText(condition)}) zero probability; refusing to invent rows for it";

    /// <summary>A condition or rebalancing value is not a cell of the column's declared domain.</summary>
    public static string ValueOutsideDomain(string column, string value, IReadOnlyList<string> cells) =>
        $"'{ShowName(value)}' is not in the declared domain of column '{ShowName(column)}'; its cells are: " +
        string.Join(", ", cells.Take(20).Select(ShowName)) +
        (cells.Count > 20 ? ", ..." : string.Empty);

    /// <summary>A column named in a condition, rebalancing, target or group option is not in the schema.</summary>
    public static string UnknownColumn(string option, string column) => $"{option}: unknown column '{ShowName(column)}'";

    /// <summary>A --rebalance or --condition option is malformed.</summary>
    public static string BadSamplingOption(string option, string text, string expected) =>
        $"{option} '{ShowText(text)}' is not valid: expected {expected}";

    /// <summary>Rebalancing shares do not sum to 1.</summary>
    public static string SharesDoNotSumToOne(string column, double sum) =>
        $"--rebalance shares for '{ShowName(column)}' sum to {sum.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}, not 1";

    /// <summary>A file given as a model is not one.</summary>
    public static string NotAModelFile(string path) => $"{path} is not a dpsynth model file";

    /// <summary>A model file from another format version.</summary>
    public static string ModelFileVersion(string path, int found, int oldest, int newest) =>
        $"{path} is a dpsynth model file of format version {found}; this dpsynth reads versions {oldest} to {newest}. " +
        "Use the dpsynth version that wrote it, or fit the model again (which spends budget again)";

    /// <summary>A model file that cannot be read.</summary>
    public static string ModelFileDamaged(string path, string detail) => $"{path} is damaged and cannot be read: {ShowText(detail)}";

    /// <summary>Help text of --rebalance.</summary>
    public const string RebalanceHelp =
        "Rebalance one column of the sampled rows, at no privacy cost: COL=uniform or COL=value:share[,value:share] " +
        "(shares sum to 1). The other columns follow the model's conditional distribution.";

    /// <summary>Help text of --condition.</summary>
    public const string ConditionHelp =
        "Sample only rows with these values, at no privacy cost: COL=value[,COL=value]. Refused when the model gives the " +
        "condition zero probability.";

    /// <summary>A model file was written.</summary>
    public static string ModelSaved(string path) =>
        $"model saved to {path} (DP outputs only: draw more rows with `dpsynth sample --model {path}`, at no privacy cost)";

    /// <summary>A model fitted with insecure seeded test noise is never sampled from (its rows carry no guarantee).</summary>
    public static string SampleInsecureModel(string path) =>
        $"{path} was fitted with insecure test noise (NOT PRIVATE: anyone who knows the seed can remove the noise); " +
        "refusing to sample from it. Fit the model again with the default noise source";

    /// <summary>A model file whose junction tree would not fit in the memory this process may use.</summary>
    public static string ModelTooLargeToLoad(string path, string needed, string limit) =>
        $"{path} describes a model that needs {needed} of memory to load, above the {limit} this process may use " +
        "(75% of the memory available); refusing before allocating it. Sample on a machine with more memory, or check " +
        "that the file was not edited";

    /// <summary>A model inside a release bundle whose bundle does not verify.</summary>
    public static string BundledModelNotVerified(string path, string bundle, IEnumerable<string> problems) =>
        $"{path} is in a release bundle that does not verify ({string.Join("; ", problems.Select(ShowText))}); refusing to " +
        $"sample from a model that may have been altered. `dpsynth verify {bundle}` lists every check";

    /// <summary>A model inside a release bundle that its manifest does not list.</summary>
    public static string BundledModelNotListed(string path) =>
        $"{path} is in a release bundle whose signed manifest does not list it; refusing to sample from it";

    /// <summary>A bundled model whose bytes changed between the bundle's verification and the read.</summary>
    public static string BundledModelChanged(string path) =>
        $"{path} changed while it was read (its SHA-256 no longer matches the bundle's manifest); refusing to sample from it";

    /// <summary>The model was checked against its bundle's manifest before use; who signed it was not.</summary>
    public static string BundledModelVerified(string path, string bundle, string signerSha256) =>
        $"{path} matches its release bundle's manifest, signed by certificate SHA-256 {signerSha256}; that signer was not " +
        $"checked (to check it: `dpsynth verify {bundle} --certificate PEM` or `--trusted-root PEM`)";

    /// <summary>Sampled rows would be written into a release bundle, which then no longer verifies.</summary>
    public static string SampleOutInsideBundle(string path, string bundle) =>
        $"--out {path} is inside the release bundle {bundle}: a signed bundle holds only the files its manifest lists, and " +
        "another would make it fail verification; choose a path outside the bundle (nothing was read)";

    /// <summary>The sampled distribution was changed on purpose.</summary>
    public static string DistributionChanged(string description) =>
        $"note: the sampled distribution was changed on purpose ({description}); record this with the data";
}

