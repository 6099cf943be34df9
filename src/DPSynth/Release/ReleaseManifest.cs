using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using DPSynth.IO;
using DPSynth.Privacy;

namespace DPSynth.Release;

/// <summary>
/// The signed description of one release bundle (<c>manifest.json</c>, docs/release.md): what was released, how, under
/// which privacy budget, and the SHA-256 of every file beside it. Everything in it is public: DP outputs, public
/// settings, or a stated non-DP disclosure (<see cref="Disclosures"/>). It never carries the true row count or a plain
/// hash of the private input (privacy-details.md section 8).
/// </summary>
/// <remarks>
/// The policy runner fills every section; <see cref="BundleWriter"/> sets <see cref="Signer"/> and <see cref="Files"/>
/// and adds nothing else. <see cref="ManifestJson"/> writes and reads it. Collections are <see cref="ImmutableArray{T}"/>,
/// which compare by reference: compare two manifests by their JSON bytes, not with <c>==</c>.
/// </remarks>
/// <param name="Tool">The program that made the bundle (<see cref="ManifestTool.Current"/>).</param>
/// <param name="Created">When the bundle was made (written in UTC).</param>
/// <param name="RunId">The run id, as in the ledger's charge entry.</param>
/// <param name="Policy">The policy file, by name and SHA-256.</param>
/// <param name="Dataset">The dataset id and the keyed fingerprint of the input file.</param>
/// <param name="Schema">The public schema the input was read under.</param>
/// <param name="Synthesizer">The method, its workload and its parameters.</param>
/// <param name="Privacy">The run's total privacy cost.</param>
/// <param name="Selections">Every exponential-mechanism selection, in order.</param>
/// <param name="Measurements">Every Gaussian measurement, in order.</param>
/// <param name="Ledger">The run's charge in the budget ledger and the dataset's spend after it.</param>
/// <param name="Audit">The release gate's verdict and how many attempts were charged.</param>
/// <param name="Sampling">How the synthetic rows were drawn from the model (post-processing).</param>
/// <param name="Disclosures">Every stated non-DP disclosure of this bundle (see <see cref="ReleaseDisclosures"/>).</param>
/// <param name="Signer">The signing certificate; null until <see cref="BundleWriter"/> sets it.</param>
/// <param name="Files">
/// Every file of the bundle except the manifest and its signature; unset until <see cref="BundleWriter"/> fills it.
/// </param>
public sealed record ReleaseManifest(
    ManifestTool Tool,
    [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTimeOffset Created,
    string RunId,
    ManifestPolicy Policy,
    ManifestDataset Dataset,
    ManifestSchema Schema,
    ManifestSynthesizer Synthesizer,
    ManifestPrivacy Privacy,
    ImmutableArray<ManifestSelection> Selections,
    ImmutableArray<ManifestMeasurement> Measurements,
    ManifestLedger Ledger,
    [property: JsonPropertyOrder(2)] ManifestAudit Audit,
    [property: JsonPropertyOrder(2)] ManifestSampling Sampling,
    [property: JsonPropertyOrder(2)] ImmutableArray<string> Disclosures,
    [property: JsonPropertyOrder(2)] ManifestSignerCertificate? Signer = null,
    [property: JsonPropertyOrder(2)] ImmutableArray<ManifestFile> Files = default)
{
    /// <summary>The format this version writes and reads (the manifest's <c>format</c> field).</summary>
    public const string CurrentFormat = "dpsynth-manifest/1";

    /// <summary>The manifest's format: always <see cref="CurrentFormat"/> (a reader refuses any other); its first key.</summary>
    [JsonPropertyOrder(-1)]
    public string Format => CurrentFormat;

    /// <summary>
    /// The DP domain discovery that learnt the schema, or null (a public schema): written only when present, so other
    /// manifests keep their bytes. It sits between <c>ledger</c> and <c>audit</c> (order 1; the keys after it are order 2).
    /// </summary>
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ManifestDomainDiscovery? DomainDiscovery { get; init; }
}

/// <summary>The <c>tool</c> section: the program that made the bundle.</summary>
/// <param name="Name">Always <c>dpsynth</c> for bundles made by this program.</param>
/// <param name="Version">The engine assembly's informational version.</param>
public sealed record ManifestTool(string Name, string Version)
{
    /// <summary>This program: <c>dpsynth</c> and the engine assembly's informational version.</summary>
    public static ManifestTool Current { get; } = new(
        "dpsynth",
        typeof(ManifestTool).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0");
}

/// <summary>The <c>policy</c> section.</summary>
/// <param name="File">The policy's file name only (no folders: they could name people or machines).</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of the policy file's bytes (a public file).</param>
public sealed record ManifestPolicy(string File, string Sha256);

/// <summary>The <c>dataset</c> section.</summary>
/// <param name="Id">The dataset id in the ledger.</param>
/// <param name="InputFingerprint">The keyed fingerprint of the private input file (never a plain hash).</param>
public sealed record ManifestDataset(string Id, ManifestInputFingerprint InputFingerprint);

/// <summary>The <c>dataset.input_fingerprint</c> section: an HMAC of the input file under the operator's secret key.</summary>
/// <param name="Algorithm">Always <see cref="Release.InputFingerprint.Algorithm"/>.</param>
/// <param name="KeyId">The key's id (<see cref="FingerprintKey.KeyId"/>): says which key, reveals nothing about it.</param>
/// <param name="Value">The HMAC (lower-case hex, 64 characters).</param>
public sealed record ManifestInputFingerprint(string Algorithm, string KeyId, string Value)
{
    /// <summary>The fingerprint of a file under <paramref name="key"/> (<see cref="Release.InputFingerprint.Compute"/>).</summary>
    public static ManifestInputFingerprint Of(FingerprintKey key, string inputPath)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(Release.InputFingerprint.Algorithm, key.KeyId, Release.InputFingerprint.Compute(key, inputPath));
    }
}

/// <summary>The <c>schema</c> section: the public schema, in full.</summary>
/// <param name="Format">How <see cref="Text"/> is written, e.g. <c>yaml</c> or <c>pgm-domain-json</c>.</param>
/// <param name="Text">The schema's text.</param>
public sealed record ManifestSchema(string Format, string Text);

/// <summary>The <c>synthesizer</c> section.</summary>
/// <param name="Method"><c>aim</c>, <c>mst</c> or <c>mwem</c>.</param>
/// <param name="Workload">A description of the workload (e.g. <c>all 2-way marginals</c>).</param>
/// <param name="Parameters">Public parameters (rounds, model-size cap, iterations, seed...), written sorted by name.</param>
public sealed record ManifestSynthesizer(string Method, string Workload, ImmutableSortedDictionary<string, string> Parameters);

/// <summary>The <c>privacy</c> section: the run's total cost under zCDP, add/remove-one-row neighbours.</summary>
/// <param name="Accounting">Always <c>zCDP</c>.</param>
/// <param name="Neighbouring">Always <c>add/remove one row</c>.</param>
/// <param name="Rho">The total rho, rounded up to a double.</param>
/// <param name="RhoExact">The total rho as an exact rational <c>p/q</c>.</param>
/// <param name="Epsilon">The epsilon the total rho implies at <see cref="Delta"/> (tight conversion).</param>
/// <param name="Delta">The delta.</param>
/// <param name="InsecureNoise">
/// True when any noise came from an insecure seeded source (tests only): such a bundle is NOT PRIVATE;
/// <see cref="BundleWriter"/> refuses to sign it and <see cref="BundleVerifier"/> fails it.
/// </param>
public sealed record ManifestPrivacy(
    string Accounting, string Neighbouring, double Rho, string RhoExact, double Epsilon, double Delta, bool InsecureNoise)
{
    /// <summary>The <c>accounting</c> value.</summary>
    public const string Zcdp = "zCDP";

    /// <summary>The <c>neighbouring</c> value.</summary>
    public const string AddRemoveOneRow = "add/remove one row";

    /// <summary>
    /// The section for a run's <paramref name="spend"/>: the rho charged to the ledger (the plan's exact rho as
    /// <c>p/q</c>, and rounded up), and its epsilon and delta exactly as the ledger entry records them.
    /// </summary>
    /// <param name="spend">The run's spend.</param>
    /// <param name="insecureNoise">Whether any noise came from an insecure seeded source.</param>
    public static ManifestPrivacy For(PrivacySpend spend, bool insecureNoise = false)
    {
        ArgumentNullException.ThrowIfNull(spend);
        return new(Zcdp, AddRemoveOneRow, spend.Charged.ToDoubleUp(), ExactText(spend.Planned.Value), spend.Epsilon, spend.Delta, insecureNoise);
    }

    /// <summary>Formats a rational as <c>p/q</c>, always with a denominator.</summary>
    internal static string ExactText(Rational value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.Numerator}/{value.Denominator}");
}

/// <summary>One exponential-mechanism selection (a <c>selections</c> entry).</summary>
/// <param name="Round">The round (1-based).</param>
/// <param name="Chosen">The column names of the chosen marginal.</param>
/// <param name="Candidates">How many candidates were scored (public: it depends on the schema and the model only).</param>
/// <param name="Epsilon">The selection's epsilon (rounded down, as used).</param>
/// <param name="Sensitivity">The score's sensitivity (rounded up, as used).</param>
/// <param name="Rho">Its cost, epsilon^2/8, rounded up.</param>
public sealed record ManifestSelection(
    int Round, ImmutableArray<string> Chosen, int Candidates, double Epsilon, double Sensitivity, double Rho);

/// <summary>One Gaussian measurement (a <c>measurements</c> entry).</summary>
/// <param name="Round">The round (1-based; 0 for the initial 1-way measurements).</param>
/// <param name="Columns">The column names of the measured marginal.</param>
/// <param name="Sigma">The noise's standard deviation (sqrt of the rounded-up variance).</param>
/// <param name="Rho">Its cost, 1/(2 sigma^2), rounded up.</param>
/// <param name="Coarsening">
/// For a marginal measured on AIM's public coarsening, its codes/groups per column (e.g. <c>85/20 x 7</c>); null, and
/// the key absent, otherwise, so manifests without one keep their bytes.
/// </param>
public sealed record ManifestMeasurement(
    int Round, ImmutableArray<string> Columns, double Sigma, double Rho,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Coarsening = null);

/// <summary>The <c>ledger</c> section.</summary>
/// <param name="ChargeEntryHash">The hash of the run's charge entry in the budget ledger.</param>
/// <param name="DatasetSpentRho">The dataset's total spend after this run's charge, rounded up.</param>
/// <param name="DatasetCapRho">The dataset's cap in force, or null when it has none.</param>
public sealed record ManifestLedger(string ChargeEntryHash, double DatasetSpentRho, double? DatasetCapRho);

/// <summary>The <c>audit</c> section (the gate's pass bit is a stated non-DP disclosure).</summary>
/// <param name="Verdict">Always <see cref="Pass"/>: a bundle is only written when the release gate passed.</param>
/// <param name="Attempts">How many full runs were charged for this release (1 unless an operator re-ran after a failure).</param>
public sealed record ManifestAudit(string Verdict, int Attempts)
{
    /// <summary>The only verdict a bundle can carry.</summary>
    public const string Pass = "pass";
}

/// <summary>The <c>sampling</c> section: post-processing of the fitted model.</summary>
/// <param name="Rows">Rows written (the requested count or the model's noisy estimate; never the true count).</param>
/// <param name="DistributionChanged">True when rebalancing or conditioning made the rows follow another distribution.</param>
/// <param name="Rebalance">The rebalancing request, or null.</param>
/// <param name="Condition">The condition, or null.</param>
public sealed record ManifestSampling(int Rows, bool DistributionChanged, string? Rebalance, string? Condition);

/// <summary>The <c>signer</c> section.</summary>
/// <param name="CertificateSha256">SHA-256 (lower-case hex) of the signing certificate's DER bytes.</param>
public sealed record ManifestSignerCertificate(string CertificateSha256);

/// <summary>One file of the bundle (a <c>files</c> entry).</summary>
/// <param name="Name">The file's name in the bundle folder (no folders).</param>
/// <param name="Bytes">Its length in bytes.</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of its bytes.</param>
public sealed record ManifestFile(string Name, long Bytes, string Sha256);
