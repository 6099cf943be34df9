using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DPSynth.Release;

namespace DPSynth.Tests.Release;

/// <summary>A complete manifest, a small bundle and certificates for the release tests.</summary>
internal static class ReleaseFixtures
{
    public const string Csv = "age,sex,insurance\n34,F,public\n71,M,private\n";

    public const string Report = "<!doctype html><title>public report</title>\n";

    /// <summary>A manifest as the policy runner fills it (no signer, no files).</summary>
    public static ReleaseManifest Manifest() => new(
        ManifestTool.Current,
        Created,
        "run-0001",
        new ManifestPolicy("demo.yaml", new string('a', 64)),
        new ManifestDataset("visits", new ManifestInputFingerprint(InputFingerprint.Algorithm, "0123456789abcdef", new string('b', 64))),
        new ManifestSchema("yaml", "columns:\n  - name: age\n    type: integer\n    min: 0\n    max: 120\n"),
        new ManifestSynthesizer(
            "aim",
            "all 2-way marginals",
            ImmutableSortedDictionary.CreateRange(
                StringComparer.Ordinal,
                [KeyValuePair.Create("rounds", "48"), KeyValuePair.Create("max_model_size_mb", "80"), KeyValuePair.Create("seed", "7")])),
        new ManifestPrivacy(ManifestPrivacy.Zcdp, ManifestPrivacy.AddRemoveOneRow, 0.005, "1/200", 1.0, 1e-9, InsecureNoise: false),
        [new ManifestSelection(1, ["age", "sex"], 3, 0.1 + 0.2, 1.0, 0.01125)],
        [new ManifestMeasurement(0, ["age"], 12.5, 0.0032), new ManifestMeasurement(1, ["age", "sex"], 9.75, 0.00526)],
        new ManifestLedger(new string('c', 64), 0.005, 0.0125),
        new ManifestAudit(ManifestAudit.Pass, 1),
        new ManifestSampling(20_000, false, null, null),
        [ReleaseDisclosures.AuditGatePassBit]);

    /// <summary>
    /// Writes a bundle named <paramref name="name"/> with a CSV (from a callback) and a report (from a path), at the time a
    /// run starting now would state (<see cref="ReleaseTime"/>), at which the certificate must be valid.
    /// </summary>
    public static WrittenBundle WriteBundle(string parent, X509Certificate2 certificate, string name = "bundle")
    {
        Directory.CreateDirectory(parent);
        var reportSource = Path.Combine(parent, $"report-source-{name}.html");
        File.WriteAllText(reportSource, Report);
        return BundleWriter.Write(
            parent,
            name,
            Manifest() with { Created = ReleaseTime.For(DateTimeOffset.UtcNow, certificate) },
            [
                BundleFile.FromWriter("synthetic.csv", s => s.Write(System.Text.Encoding.UTF8.GetBytes(Csv))),
                BundleFile.FromPath("report.html", reportSource),
            ],
            certificate);
    }

    /// <summary>When <see cref="Manifest"/> says the bundle was made: also the signature's signing time.</summary>
    public static readonly DateTimeOffset Created = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A fresh self-signed ECDSA certificate with its key (in memory), valid from before <see cref="Created"/> (a bundle
    /// is signed at its manifest's time, and the writer refuses a certificate that was not valid then).
    /// </summary>
    public static X509Certificate2 Certificate(string subject = "CN=DPSynth release test", DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(Created.AddDays(-30), notAfter ?? now.AddDays(30));
    }

    /// <summary>Writes the public part of <paramref name="certificate"/> as PEM and returns the path.</summary>
    public static string WritePublicPem(string path, X509Certificate2 certificate)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
        return path;
    }
}
