using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using DPSynth.Diagnostics;

namespace DPSynth.Release;

/// <summary>
/// Writes and reads <c>manifest.json</c> (docs/release.md): indented UTF-8 JSON without a byte-order mark, snake_case
/// keys in a fixed order, <c>\n</c> line ends, invariant culture, doubles in their shortest round-trip form, the creation
/// time in UTC. Writing the same manifest twice gives the same bytes, and so does writing what was read.
/// </summary>
/// <remarks>
/// The signature covers the exact bytes, so the reader need not be lenient: it refuses unknown or repeated keys, a
/// missing key, a wrong type, another <c>format</c>, and every value that breaks a rule of docs/release.md (malformed
/// hashes, unsafe file names, a <c>rho</c> that is not <c>rho_exact</c> rounded up, a verdict other than <c>pass</c>,
/// a missing audit-gate disclosure...). It reports every problem it finds, each with its key.
/// </remarks>
public static partial class ManifestJson
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        // A reviewer reads this file: keep '+', '<', '&', apostrophes and non-ASCII letters as they are. Safe here
        // because the manifest is a file of its own, never pasted into HTML or a script; control characters, '"' and
        // '\' are still escaped, as JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Serializes a complete manifest (with <see cref="ReleaseManifest.Signer"/> and <see cref="ReleaseManifest.Files"/> set).
    /// </summary>
    /// <exception cref="ArgumentException">The manifest breaks a rule of docs/release.md; the message lists every problem.</exception>
    public static byte[] Write(ReleaseManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = Validate(manifest);
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                Messages.ManifestInvalid(problems.Select(p => $"{p.Key}: {p.Message}")), nameof(manifest));
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("format", manifest.Format);
            w.WriteStartObject("tool");
            w.WriteString("name", manifest.Tool.Name);
            w.WriteString("version", manifest.Tool.Version);
            w.WriteEndObject();
            w.WriteString("created", manifest.Created.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            w.WriteString("run_id", manifest.RunId);
            w.WriteStartObject("policy");
            w.WriteString("file", manifest.Policy.File);
            w.WriteString("sha256", manifest.Policy.Sha256);
            w.WriteEndObject();
            w.WriteStartObject("dataset");
            w.WriteString("id", manifest.Dataset.Id);
            w.WriteStartObject("input_fingerprint");
            w.WriteString("algorithm", manifest.Dataset.InputFingerprint.Algorithm);
            w.WriteString("key_id", manifest.Dataset.InputFingerprint.KeyId);
            w.WriteString("value", manifest.Dataset.InputFingerprint.Value);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("schema");
            w.WriteString("format", manifest.Schema.Format);
            w.WriteString("text", manifest.Schema.Text);
            w.WriteEndObject();
            WriteSynthesizer(w, manifest.Synthesizer);
            WritePrivacy(w, manifest.Privacy);
            w.WriteStartArray("selections");
            foreach (var s in manifest.Selections)
            {
                w.WriteStartObject();
                w.WriteNumber("round", s.Round);
                WriteStrings(w, "chosen", s.Chosen);
                w.WriteNumber("candidates", s.Candidates);
                w.WriteNumber("epsilon", s.Epsilon);
                w.WriteNumber("sensitivity", s.Sensitivity);
                w.WriteNumber("rho", s.Rho);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("measurements");
            foreach (var m in manifest.Measurements)
            {
                w.WriteStartObject();
                w.WriteNumber("round", m.Round);
                WriteStrings(w, "columns", m.Columns);
                w.WriteNumber("sigma", m.Sigma);
                w.WriteNumber("rho", m.Rho);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("ledger");
            w.WriteString("charge_entry_hash", manifest.Ledger.ChargeEntryHash);
            w.WriteNumber("dataset_spent_rho", manifest.Ledger.DatasetSpentRho);
            WriteNullableNumber(w, "dataset_cap_rho", manifest.Ledger.DatasetCapRho);
            w.WriteEndObject();
            if (manifest.DomainDiscovery is { } discovery)
            {
                WriteDomainDiscovery(w, discovery);
            }

            w.WriteStartObject("audit");
            w.WriteString("verdict", manifest.Audit.Verdict);
            w.WriteNumber("attempts", manifest.Audit.Attempts);
            w.WriteEndObject();
            w.WriteStartObject("sampling");
            w.WriteNumber("rows", manifest.Sampling.Rows);
            w.WriteBoolean("distribution_changed", manifest.Sampling.DistributionChanged);
            w.WriteString("rebalance", manifest.Sampling.Rebalance);
            w.WriteString("condition", manifest.Sampling.Condition);
            w.WriteEndObject();
            WriteStrings(w, "disclosures", manifest.Disclosures);
            w.WriteStartObject("signer");
            w.WriteString("certificate_sha256", manifest.Signer!.CertificateSha256);
            w.WriteEndObject();
            w.WriteStartArray("files");
            foreach (var f in manifest.Files)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteNumber("bytes", f.Bytes);
                w.WriteString("sha256", f.Sha256);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteSynthesizer(Utf8JsonWriter w, ManifestSynthesizer synthesizer)
    {
        w.WriteStartObject("synthesizer");
        w.WriteString("method", synthesizer.Method);
        w.WriteString("workload", synthesizer.Workload);
        w.WriteStartObject("parameters");
        foreach (var (name, value) in synthesizer.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WritePrivacy(Utf8JsonWriter w, ManifestPrivacy privacy)
    {
        w.WriteStartObject("privacy");
        w.WriteString("accounting", privacy.Accounting);
        w.WriteString("neighbouring", privacy.Neighbouring);
        w.WriteNumber("rho", privacy.Rho);
        w.WriteString("rho_exact", privacy.RhoExact);
        w.WriteNumber("epsilon", privacy.Epsilon);
        w.WriteNumber("delta", privacy.Delta);
        w.WriteBoolean("insecure_noise", privacy.InsecureNoise);
        w.WriteEndObject();
    }

    private static void WriteDomainDiscovery(Utf8JsonWriter w, ManifestDomainDiscovery discovery)
    {
        w.WriteStartObject("domain_discovery");
        w.WriteString("charge_entry_hash", discovery.ChargeEntryHash);
        WriteStrings(w, "columns", discovery.Columns);
        w.WriteNumber("rho", discovery.Rho);
        w.WriteNumber("threshold_delta", discovery.ThresholdDelta);
        w.WriteNumber("charged_rho", discovery.ChargedRho);
        w.WriteNumber("bundle_rho", discovery.BundleRho);
        w.WriteNumber("bundle_epsilon", discovery.BundleEpsilon);
        w.WriteNumber("bundle_delta", discovery.BundleDelta);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, ImmutableArray<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
