using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>Messages of <c>dpsynth run</c> (operator console; they may name private facts and never go into a bundle).</summary>
public static partial class Messages
{
    /// <summary>The notice written beside an insecure test output.</summary>
    public const string InsecureOutputNotice =
        "NOT PRIVATE. This output was made with insecure_deterministic_noise: the noise is reproducible from the seed, so " +
        "anyone who knows the seed can remove it. It is a test artefact: it was not signed, not released, and must not be shared.\n";

    /// <summary>A policy file did not load.</summary>
    public static string PolicyInvalid(string path, int errors) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}: {errors} error(s); nothing was run or charged");

    /// <summary>No ledger: a policy run must charge one.</summary>
    public static string PolicyNoLedger(string path) =>
        $"{path}: no budget ledger: set privacy.ledger in the policy or pass --ledger (a policy run always charges a ledger)";

    /// <summary>A policy charge of an earlier run recorded no outcome.</summary>
    public static string RunOrphanedCharge(string dataset, string runId, double rho, DateTimeOffset time) => string.Create(
        CultureInfo.InvariantCulture,
        $"warning: dataset '{dataset}': run {runId} charged rho {rho:G6} at {time:yyyy-MM-dd HH:mm:ss}Z but recorded no outcome") +
        " (interrupted after its charge, or still running); its budget stays spent and nothing was released under it";

    /// <summary>A dry run's plan.</summary>
    public static string RunPlanned(
        string path, string dataset, string method, double rho, double epsilon, double delta, double spent, double? cap) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}: dry run: {method} on '{dataset}' would spend rho {rho:G6} (epsilon {epsilon:G4} at delta {delta:G3}); ") +
        string.Create(CultureInfo.InvariantCulture, $"dataset spend now rho {spent:G6}, after rho {spent + rho:G6}, cap {(cap is { } c ? c.ToString("G6", CultureInfo.InvariantCulture) : "none")}");

    /// <summary>A dry run of a policy the ledger records as released (on some input: a dry run does not read the input).</summary>
    public static string RunPlannedButReleasedBefore(string path, string bundle, DateTimeOffset time) => string.Create(
        CultureInfo.InvariantCulture,
        $"{path}: this policy was released at {time:yyyy-MM-dd HH:mm:ss}Z ({bundle}); the real run spends nothing if the input ") +
        "and the schema are unchanged (a dry run does not read the input to check), and the spend above if either changed " +
        "or with --force";

    /// <summary>
    /// How to run one policy again past a refusal: the file alone, since <c>--force</c> on a folder would charge every policy
    /// in it again, the ones already released included (each is a full run's budget).
    /// </summary>
    private static string ForceThisPolicy(string path) =>
        $"'dpsynth run {ShowText(path)} --force' runs this policy alone again (charges again); --force on its folder would charge every policy in it again, released ones included.";

    /// <summary>A dry run of a policy with a charge that recorded no outcome: the real run spends nothing.</summary>
    public static string RunPlannedOpen(string path, string runId, DateTimeOffset time) => string.Create(
        CultureInfo.InvariantCulture,
        $"{path}: dry run: run {runId} of this policy charged at {time:yyyy-MM-dd HH:mm:ss}Z and has recorded no outcome (still running, or interrupted): the real run charges nothing and refuses this policy, or skips it if the ledger records its release on the same input. Once you know it is not running, {ForceThisPolicy(path)}");

    /// <summary>A dry run refused by the cap once the planned spends of earlier policies of the batch are counted.</summary>
    public static string RunPlannedCapExceeded(string dataset, double rho, double spent, double planned, double cap) => string.Create(
        CultureInfo.InvariantCulture,
        $"dry run: charging rho {rho:G6} to dataset '{dataset}' would pass its cap rho {cap:G6}: already spent rho {spent:G6}, and rho {planned:G6} planned by earlier policies of this dry run. ") +
        "The real run charges those first; any of them that the ledger records as released (said above) is skipped if its input and schema are unchanged, and this policy may then fit";

    /// <summary>A dry run of a policy whose last run on some input failed after its charge.</summary>
    public static string RunPlannedButFailedBefore(string path, DateTimeOffset time) => string.Create(
        CultureInfo.InvariantCulture,
        $"{path}: the last run of this policy on some input failed after its charge (at {time:yyyy-MM-dd HH:mm:ss}Z): the real run refuses it, charging nothing, if the input is the same (a dry run does not read the input to check), and spends the budget below if the input changed");

    /// <summary>The same policy was already released on the same input.</summary>
    public static string RunAlreadyReleased(string path, string bundle, DateTimeOffset time) => string.Create(
        CultureInfo.InvariantCulture,
        $"{path}: already released at {time:yyyy-MM-dd HH:mm:ss}Z with the same policy and input ({bundle}); nothing charged. {ForceThisPolicy(path)}");

    /// <summary>The policy's cap was recorded in the ledger.</summary>
    public static string RunCapRecorded(string dataset, double epsilon, double delta) => string.Create(
        CultureInfo.InvariantCulture, $"recorded the policy's cap for '{dataset}': epsilon {epsilon:G6}, delta {delta:G3}");

    /// <summary>The policy states a higher cap than the ledger's.</summary>
    public static string RunPolicyRaisesCap(string dataset, double policyEpsilon, double ledgerEpsilon) => string.Create(
        CultureInfo.InvariantCulture,
        $"the policy's cap for '{dataset}' (epsilon {policyEpsilon:G6}) is above the ledger's (epsilon {ledgerEpsilon:G6})") +
        "; a policy may lower a cap but never raise it: raise it deliberately with `dpsynth budget cap` if that is intended";

    /// <summary>The last run of the policy on this input failed after its charge: a re-run needs --force.</summary>
    public static string RunFailedBefore(string path, DateTimeOffset time) => string.Create(
        CultureInfo.InvariantCulture,
        $"{path}: the last run of this policy on this input failed after its charge (at {time:yyyy-MM-dd HH:mm:ss}Z); a run on the same input would charge again and most likely fail the same way. Fix the cause (that run's console output names it); then {ForceThisPolicy(path)}");

    /// <summary>A run stopped after the charge.</summary>
    public static string RunFailedAfterCharge(string path, string message) =>
        $"{path}: failed after the budget was charged (the charge stands; nothing was released): {message}";

    /// <summary>An insecure run's output.</summary>
    public static string RunInsecure(string folder) =>
        $"WARNING: insecure_deterministic_noise: the output is NOT PRIVATE; written unsigned to {folder}, not released";

    /// <summary>Where the internal report went.</summary>
    public static string RunInternalReport(string folder) =>
        $"internal report (real-data figures, do not publish): {folder}";

    /// <summary>The release gate refused.</summary>
    public static string RunGateFailed(string path, string reasons, int attempt) => string.Create(
        CultureInfo.InvariantCulture,
        $"{path}: the release gate refused the synthetic data (attempt {attempt}): {reasons}. The budget is spent; do not simply re-run until it passes (every attempt is charged and each verdict is a disclosure)");

    /// <summary>A bundle was released.</summary>
    public static string RunReleased(string bundle) => $"released: {bundle}";

    /// <summary>The signing password's environment variable is not set.</summary>
    public static string RunPasswordVariableUnset(string variable) =>
        $"the signing password variable {variable} is not set (release.signing.password_env)";

    /// <summary>The bundle is signed with the deployment's self-signed test certificate.</summary>
    public static string RunTestCertificate(string folder) =>
        $"no signing certificate configured: signing with the self-signed TEST certificate in {folder} (configure release.signing for production)";

    /// <summary>A folder with no policy in it.</summary>
    public static string RunNoPolicies(string folder) => $"{folder}: no *.yaml or *.yml policy files in this folder (*.schema.yaml files are schemas, not policies)";

    /// <summary>An orphaned charge whose bundle was complete: its release is now recorded.</summary>
    public static string RunRecoveredRelease(string runId, string bundle) =>
        $"run {runId} had written and signed its bundle before it stopped; recorded it as released: {bundle}";

    /// <summary>A policy asks for insecure noise without the command line's consent.</summary>
    public static string RunInsecureNotAllowed(string path) =>
        $"{path}: privacy.insecure_deterministic_noise makes the output NOT PRIVATE; it runs only with --allow-insecure-noise (tests), and is never signed or released";

    /// <summary>Another run of the policy charged and has not recorded an outcome.</summary>
    public static string RunInProgress(string path, string runId, DateTimeOffset time) => string.Create(
        CultureInfo.InvariantCulture,
        $"{path}: run {runId} of this policy charged at {time:yyyy-MM-dd HH:mm:ss}Z and has recorded no outcome: it is still running, or was interrupted. Not charging again; once you know it is not running, {ForceThisPolicy(path)}");

    /// <summary>A bug stopped a run after its charge and before it could record an outcome: the charge is left open.</summary>
    public static string RunChargeLeftOpen(string path) =>
        $"{path}: this run's charge is in the ledger with no outcome, as for an interrupted run: the next run of this policy is refused as in progress; {ForceThisPolicy(path)}";

    /// <summary>The outcome could not be appended after the bundle was written.</summary>
    public static string RunOutcomeNotRecorded(string runId, string problem) =>
        $"warning: the outcome of run {runId} could not be recorded in the ledger ({problem}); its charge stands and shows as orphaned (a bundle already in place is recovered by the next run)";

    /// <summary>
    /// A run's outcome entry was appended to the ledger, but the ledger's anchored head could not be moved onto it: the
    /// outcome IS recorded (unlike <see cref="RunOutcomeNotRecorded"/>), and the command fails.
    /// </summary>
    public static string RunOutcomeNotAnchored(
        string runId, string outcome, long sequence, string path, string anchorPath, string detail) =>
        $"the outcome '{outcome}' of run {runId} IS recorded in the ledger {path} (entry {sequence}, which stands), but the " +
        $"ledger's anchored head {anchorPath} could not be moved onto it ({detail}), so this command fails. The ledger " +
        "verifies with the entry one past its anchored head (the entry announced there). Fix the cause (disk space, " +
        $"permissions, what is at that path), check with 'dpsynth budget verify --ledger {path}'; the ledger's next write " +
        "moves the anchored head onto the entry. Do not re-run to record the outcome: it is recorded";

    /// <summary>The input changed while the run read it.</summary>
    public static string RunInputChanged(string path) =>
        $"{path} changed while it was being read (its fingerprint before and after parsing differ); nothing was released";
}
