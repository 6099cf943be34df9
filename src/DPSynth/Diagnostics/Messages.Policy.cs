using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>
/// Messages of the policy reader (docs/policy-reference.md). Keys are written as dotted paths: <c>privacy.epsilon</c>.
/// </summary>
public static partial class Messages
{
    /// <summary>The policy document is empty or not a mapping.</summary>
    public static string PolicyNotAMapping =>
        "a policy must be a YAML mapping with at least 'version', 'dataset', 'privacy' and 'release'";

    /// <summary>A file with more than one YAML document.</summary>
    public static string PolicyManyDocuments =>
        "a policy file holds exactly one YAML document; remove the '---' that starts a second one";

    /// <summary><c>version</c> is absent.</summary>
    public static string PolicyVersionMissing =>
        "'version: 1' is required: it names the policy format, so that a later dpsynth never misreads an older file";

    /// <summary><c>version</c> is not one this build reads.</summary>
    public static string PolicyVersionUnsupported(long found, int supported) =>
        string.Create(
            CultureInfo.InvariantCulture, $"policy format version {found} is not supported; this dpsynth reads version {supported}");

    /// <summary>A required key is absent.</summary>
    public static string PolicyKeyRequired(string key, string what) => $"'{key}' is required: {what}";

    /// <summary>A key the policy format does not know, with the closest known key when one is near.</summary>
    public static string UnknownPolicyKey(string key, string? suggestion, IEnumerable<string> allowed) => suggestion is null
        ? $"unknown key '{ShowName(key)}'; expected one of: {string.Join(", ", allowed)}"
        : $"unknown key '{ShowName(key)}'; did you mean '{suggestion}'? (expected one of: {string.Join(", ", allowed)})";

    /// <summary>A known key written in the wrong section.</summary>
    public static string PolicyKeyInOtherSection(string key, string section) =>
        $"'{ShowName(key)}' does not belong here; it goes under '{section}:'";

    /// <summary>A path that must name an existing file does not.</summary>
    public static string PolicyFileMissing(string key, string path) => $"'{key}' names {ShowText(path)}, which does not exist";

    /// <summary>A path that must name a file names a folder.</summary>
    public static string PolicyPathIsFolder(string key, string path) => $"'{key}' names {ShowText(path)}, which is a folder, not a file";

    /// <summary>A path that must name a folder names a file.</summary>
    public static string PolicyPathIsFile(string key, string path) => $"'{key}' names {ShowText(path)}, which is a file, not a folder";

    /// <summary><c>dataset.schema</c> is neither a path nor a mapping.</summary>
    public static string PolicySchemaKind =>
        "'dataset.schema' must be the path of a schema file (YAML, or a .json Private-PGM domain) or an inline schema mapping";

    /// <summary>A dataset id that is blank.</summary>
    public static string PolicyDatasetIdBlank => "'dataset.id' must contain more than white space: the ledger files charges under it";

    /// <summary>A number outside its range.</summary>
    public static string PolicyValueOutOfRange(string key, string range, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"'{key}' must be {range}, got {value:R}");

    /// <summary>A whole number outside its range.</summary>
    public static string PolicyIntegerOutOfRange(string key, string range, long value) =>
        string.Create(CultureInfo.InvariantCulture, $"'{key}' must be {range}, got {value}");

    /// <summary>No budget is stated.</summary>
    public static string PolicyNoBudget =>
        "'privacy' must state the budget of one run: 'epsilon' and 'delta', or 'rho'";

    /// <summary>epsilon without delta.</summary>
    public static string PolicyEpsilonWithoutDelta =>
        "'privacy.epsilon' needs 'privacy.delta': the budget is an (epsilon, delta) pair (or give 'rho' alone)";

    /// <summary>delta without epsilon or rho.</summary>
    public static string PolicyDeltaWithoutEpsilon =>
        "'privacy.delta' alone states no budget: give 'epsilon' with it, or 'rho'";

    /// <summary>rho together with epsilon.</summary>
    public static string PolicyRhoWithEpsilon =>
        "give either 'epsilon' and 'delta', or 'rho', not both: a run has one budget";

    /// <summary>The cap is smaller than one run's budget.</summary>
    public static string PolicyCapBelowRun(double runRho, double capEpsilon, double capDelta, double capRho) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"the cap (epsilon = {capEpsilon:G6}, delta = {capDelta:G3}, i.e. rho = {capRho:G6}) is smaller than the budget of " +
            $"one run (rho = {runRho:G6}): the ledger would refuse every run; raise the cap or lower the budget");

    /// <summary>A seed that is not an unsigned integer.</summary>
    public static string PolicyExpectedUnsigned(string key) => $"'{key}' must be an unsigned integer (unquoted)";

    /// <summary>A key that the chosen method does not use.</summary>
    public static string PolicyKeyNotForMethod(string key, string method, string methods) =>
        $"'{key}' does not apply to method {method}; only {methods} use it";

    /// <summary>A workload that is neither a k-way name nor a list.</summary>
    public static string PolicyWorkloadKind =>
        "'synthesizer.workload' must be 2way, 3way or a list of entries {columns: [a, b], weight: 1.0}";

    /// <summary>A workload entry without columns.</summary>
    public static string PolicyWorkloadEntryNoColumns =>
        "a workload entry needs 'columns': a non-empty list of column names";

    /// <summary>A column name that the schema does not have, with the closest column when one is near.</summary>
    public static string PolicyUnknownColumn(string key, string column, string? suggestion) => suggestion is null
        ? $"'{key}' names column '{ShowName(column)}', which the schema does not have"
        : $"'{key}' names column '{ShowName(column)}', which the schema does not have; did you mean '{suggestion}'?";

    /// <summary>A column listed twice.</summary>
    public static string PolicyColumnListedTwice(string key, string column) => $"'{key}' lists column '{ShowName(column)}' twice";

    /// <summary>A release format listed twice.</summary>
    public static string PolicyFormatListedTwice(string format) => $"'release.formats' lists '{ShowName(format)}' twice";

    /// <summary>A rebalance or condition that the sampler rejects.</summary>
    public static string PolicySamplingInvalid(string key, string flag, string detail) =>
        $"'{key}' is not valid (it takes the syntax of {flag}): {ShowText(detail)}";

    /// <summary>A <c>password</c> key under signing.</summary>
    public static string PolicyPasswordKey =>
        "passwords never go in a policy file (it is hashed into the ledger, copied into reviews and version control); " +
        "put the password in an environment variable and give its NAME as 'password_env'";

    /// <summary><c>password_env</c> that cannot be an environment variable's name (it is not echoed: it may be a password).</summary>
    public static string PolicyPasswordEnvNotAName =>
        "'release.signing.password_env' must be the NAME of an environment variable (letters, digits and underscores, " +
        "not starting with a digit), never the password itself";

    /// <summary>A key file given with a PFX certificate.</summary>
    public static string PolicyKeyWithPfx =>
        "'release.signing.key' applies only to a PEM certificate; a .pfx/.p12 file carries its own key";
}
