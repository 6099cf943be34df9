using System.Collections.Immutable;
using System.Globalization;
using DPSynth.Privacy;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

/// <summary>
/// A signed manifest's bytes are what the signature covers: the same content must give the same bytes in every version,
/// and reading a manifest and writing it again must give them back. Also <c>verify --json</c>.
/// </summary>
public sealed class ManifestJsonGoldenTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>A complete manifest whose texts and numbers exercise the writer (escaping, nulls, round-trip doubles).</summary>
    internal static ReleaseManifest Manifest() => ReleaseFixtures.Manifest() with
    {
        Tool = new ManifestTool("dpsynth", "0.1.0+golden"),
        Created = new DateTimeOffset(2026, 1, 31, 13, 0, 0, TimeSpan.FromHours(1)).AddTicks(1),
        Schema = new ManifestSchema("yaml", "columns:\n  - name: \"city\" # Zürich, Genève <&'+>\n    type: categorical\t\n"),
        Synthesizer = new ManifestSynthesizer(
            "aim",
            "all 2-way marginals",
            ImmutableSortedDictionary.CreateRange(
                StringComparer.Ordinal,
                [KeyValuePair.Create("rounds", "48"), KeyValuePair.Create("Zeta", "é"), KeyValuePair.Create("max_model_size_mb", "80")])),
        Privacy = new ManifestPrivacy(
            ManifestPrivacy.Zcdp, ManifestPrivacy.AddRemoveOneRow, new Rho(new Rational(1, 3)).ToDoubleUp(), "1/3", 5.123456789012345, 1e-9,
            InsecureNoise: false),
        Selections =
        [
            new ManifestSelection(1, ["age", "sex"], 3, 0.1 + 0.2, 1.0, 0.01125),
            new ManifestSelection(2, ["city", "age", "sex"], 120, 1e-5, 2.5, 1.25e-11),
        ],
        Ledger = new ManifestLedger(new string('c', 64), 0.3333333333333333, null),
        Sampling = new ManifestSampling(20_000, true, "sex=uniform", "age>=18 & city='Zürich'"),
        Disclosures = [ReleaseDisclosures.AuditGatePassBit, ReleaseDisclosures.InternalFiguresPublished],
        Signer = new ManifestSignerCertificate(new string('d', 64)),
        Files =
        [
            new ManifestFile("synthetic.csv", 42, new string('e', 64)),
            new ManifestFile("report.html", 9_876_543_210, new string('0', 64)),
        ],
    };

    [Fact]
    public void TheManifestKeepsItsBytes() => Golden.AssertSame("manifest.json", ManifestJson.Write(Manifest()));

    [Fact]
    public void ReadingTheGoldenManifestAndWritingItAgainGivesItsBytes()
    {
        var golden = Golden.Bytes("manifest.json");

        var read = ManifestJson.Read(golden, "manifest.json").GetValueOrThrow();

        Assert.Equal(golden, ManifestJson.Write(read));
    }

    [Fact]
    public void VerifyJsonKeepsItsBytes()
    {
        using var certificate = ReleaseFixtures.Certificate();
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var pin = ReleaseFixtures.WritePublicPem(temp.File("pin.pem"), certificate);
        File.AppendAllText(Path.Combine(bundle.Directory, "synthetic.csv"), "99,F,\"<'tampered'>\"\n");

        var result = CliRunner.Run("verify", bundle.Directory, "--certificate", pin, "--json");

        Assert.Equal(4, result.ExitCode);
        // The folder and the test certificate differ from run to run: the golden file names them by placeholder.
        var verification = BundleVerifier.Verify(bundle.Directory, null, null);
        var output = result.Output
            .Replace(bundle.Directory, "{bundle}", StringComparison.Ordinal)
            .Replace(verification.SignerCertificateSha256!, "{certificate}", StringComparison.Ordinal)
            .Replace(
                bundle.Manifest.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), "{signed}",
                StringComparison.Ordinal);
        Golden.AssertSame("verify.json", output);
    }
}
