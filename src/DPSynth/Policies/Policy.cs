using System.Collections.Immutable;
using DPSynth.Audits;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Policies;

/// <summary>
/// A validated policy file (docs/policy-reference.md): which table to synthesize, under what budget, with which
/// synthesizer, audits and release settings. Every path is absolute, resolved against the policy file's folder.
/// Built only by <c>PolicyReader</c>, which reports every mistake with its file, line and column.
/// </summary>
/// <param name="Path">The policy file (absolute).</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of the policy file's bytes: the ledger and the manifest name the policy by it.</param>
/// <param name="Dataset">The private table and its public schema.</param>
/// <param name="Privacy">The budget of one run, the dataset's cap and the ledger.</param>
/// <param name="Synthesizer">The method and its parameters.</param>
/// <param name="Audits">The train/holdout split and the release gate's thresholds.</param>
/// <param name="Evaluation">The internal utility evaluation (target and groups), if any.</param>
/// <param name="Release">Where and what to release, and how to sign it.</param>
public sealed record Policy(
    string Path,
    string Sha256,
    DatasetSettings Dataset,
    PrivacySettings Privacy,
    SynthesizerSettings Synthesizer,
    AuditSettings Audits,
    EvaluationSettings Evaluation,
    ReleaseSettings Release);

/// <summary>The <c>dataset:</c> section.</summary>
/// <param name="Id">The dataset id in the ledger (default: the input file's name).</param>
/// <param name="Input">The private CSV file (absolute).</param>
/// <param name="SchemaSource">The schema's text: the referenced file's, or the inline mapping re-serialized as YAML.</param>
/// <param name="Schema">The parsed schema.</param>
public sealed record DatasetSettings(string Id, string Input, SchemaSource SchemaSource, TableSchema Schema);

/// <summary>The <c>privacy:</c> section.</summary>
/// <param name="Rho">The run's budget in zCDP (from epsilon and delta by the tight conversion, or stated directly).</param>
/// <param name="Epsilon">The stated epsilon, or the epsilon <see cref="Rho"/> implies at <see cref="Delta"/>.</param>
/// <param name="Delta">The stated delta (default 1e-9 when only rho is given).</param>
/// <param name="Cap">The dataset's cap across runs, if the policy states one.</param>
/// <param name="Ledger">The ledger file (absolute), if the policy names one (<c>--ledger</c> overrides it).</param>
/// <param name="InsecureDeterministicNoise">
/// A seed for insecure, reproducible noise (tests only), or null. Outputs made with it are NOT PRIVATE: they are never
/// signed or released.
/// </param>
public sealed record PrivacySettings(
    Rho Rho, double Epsilon, double Delta, ApproxDp? Cap, string? Ledger, ulong? InsecureDeterministicNoise);

/// <summary>The <c>audits:</c> section.</summary>
/// <param name="TrainShare">The share of rows (per-row coin) the synthesizer trains on; the rest is the holdout (default 0.8).</param>
/// <param name="Thresholds">The release gate's thresholds.</param>
public sealed record AuditSettings(double TrainShare, GateThresholds Thresholds);

/// <summary>The <c>evaluation:</c> section (internal report only, unless published).</summary>
/// <param name="Target">The utility target column, or null for marginal and association figures only.</param>
/// <param name="Groups">Group columns for subgroup fidelity.</param>
public sealed record EvaluationSettings(string? Target, ImmutableArray<string> Groups)
{
    /// <summary>No target, no groups.</summary>
    public static EvaluationSettings None { get; } = new(null, []);
}

/// <summary>The <c>release:</c> section.</summary>
/// <param name="Output">The folder that receives one bundle folder per run (absolute).</param>
/// <param name="Rows">Rows to sample, or null for the model's noisy estimate.</param>
/// <param name="Formats">What goes into the bundle besides the manifest and report: <c>csv</c> (always) and <c>model</c>.</param>
/// <param name="Rebalance">A rebalancing request (<c>COL=uniform</c> or <c>COL=val:share,...</c>), or null.</param>
/// <param name="Condition">A condition (<c>COL=value[,COL=value]</c>), or null.</param>
/// <param name="PublishInternalFigures">
/// Copy the internal report (utility and audit figures, computed from the real rows without DP) into the bundle:
/// a stated non-DP disclosure, recorded in the manifest.
/// </param>
/// <param name="Signing">The signing certificate, or null for a test certificate made on the fly.</param>
public sealed record ReleaseSettings(
    string Output,
    int? Rows,
    ImmutableArray<string> Formats,
    string? Rebalance,
    string? Condition,
    bool PublishInternalFigures,
    SigningSettings? Signing);

/// <summary>The <c>release.signing:</c> section.</summary>
/// <param name="Certificate">A PFX/PKCS#12 file, or a PEM certificate (absolute).</param>
/// <param name="Key">The PEM private key when <see cref="Certificate"/> is a PEM file without one, or null.</param>
/// <param name="PasswordEnvironmentVariable">The environment variable holding the PFX or key password, or null; never the password itself.</param>
public sealed record SigningSettings(string Certificate, string? Key, string? PasswordEnvironmentVariable);
