using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

public sealed class ManifestJsonTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static ReleaseManifest Complete() => ReleaseFixtures.Manifest() with
    {
        Signer = new ManifestSignerCertificate(new string('d', 64)),
        Files = [new ManifestFile("synthetic.csv", 42, new string('e', 64))],
    };

    [Fact]
    public void TheDisclosureTextsAreThoseOfEveryBundleReleasedSoFar()
    {
        // Verification requires the gate disclosure verbatim: a changed text would fail every bundle already released.
        Assert.Equal(
            "audit gate pass bit released: the release gate decided from the real rows without DP, and this bundle " +
            "exists because it passed",
            ReleaseDisclosures.AuditGatePassBit);
        Assert.Equal(
            "internal figures published: utility and audit figures computed from the real rows without DP are in this " +
            "bundle",
            ReleaseDisclosures.InternalFiguresPublished);
    }

    [Fact]
    public void WritingWhatWasReadGivesTheSameBytes()
    {
        var bytes = ManifestJson.Write(Complete());
        var read = ManifestJson.Read(bytes, "manifest.json").GetValueOrThrow();
        Assert.Equal(bytes, ManifestJson.Write(read));
        Assert.Equal(0.1 + 0.2, read.Selections[0].Epsilon);
        Assert.Equal(1e-9, read.Privacy.Delta);
        Assert.Equal("1/200", read.Privacy.RhoExact);
        Assert.Null(read.Sampling.Rebalance);
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero), read.Created);
    }

    [Fact]
    public void ACoarseMeasurementKeepsItsCoarseningAndOthersHaveNoKey()
    {
        var plain = ManifestJson.Write(Complete());
        Assert.DoesNotContain("coarsening", Encoding.UTF8.GetString(plain), StringComparison.Ordinal);

        var coarse = Complete() with
        {
            Measurements = [.. Complete().Measurements, new ManifestMeasurement(2, ["age", "hours"], 7.5, 0.0089, "85/20 x 99/20")],
        };
        var bytes = ManifestJson.Write(coarse);
        var read = ManifestJson.Read(bytes, "manifest.json").GetValueOrThrow();
        Assert.Equal(bytes, ManifestJson.Write(read));
        Assert.Equal("85/20 x 99/20", read.Measurements[^1].Coarsening);
        Assert.All(read.Measurements.Take(read.Measurements.Length - 1), m => Assert.Null(m.Coarsening));
    }

    [Fact]
    public void TheFieldsAreSnakeCaseInTheDocumentedOrderIndentedUtf8WithoutBom()
    {
        var bytes = ManifestJson.Write(Complete());
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        var text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Contains("\n  \"privacy\": {\n    \"accounting\": \"zCDP\",", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(bytes);
        string[] order =
        [
            "format", "tool", "created", "run_id", "policy", "dataset", "schema", "synthesizer", "privacy", "selections",
            "measurements", "ledger", "audit", "sampling", "disclosures", "signer", "files",
        ];
        Assert.Equal(order, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["accounting", "neighbouring", "rho", "rho_exact", "epsilon", "delta", "insecure_noise"],
            json.RootElement.GetProperty("privacy").EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["max_model_size_mb", "rounds", "seed"],
            json.RootElement.GetProperty("synthesizer").GetProperty("parameters").EnumerateObject().Select(p => p.Name));
        Assert.Equal("dpsynth-manifest/1", json.RootElement.GetProperty("format").GetString());
        Assert.Equal("2026-01-31T12:00:00.0000000Z", json.RootElement.GetProperty("created").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sampling").GetProperty("condition").ValueKind);
    }

    [Fact]
    public void TheBytesDoNotDependOnTheCurrentCultureOrTheCreationTimeZone()
    {
        var expected = ManifestJson.Write(Complete());
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var shifted = Complete() with { Created = new DateTimeOffset(2026, 1, 31, 14, 0, 0, TimeSpan.FromHours(2)) };
            Assert.Equal(expected, ManifestJson.Write(shifted));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void TheReaderReportsEveryProblemWithItsKey()
    {
        var text = Encoding.UTF8.GetString(ManifestJson.Write(Complete()))
            .Replace("\"run_id\": \"run-0001\",", "\"run_id\": \"run-0001\",\n  \"extra\": 1,", StringComparison.Ordinal)
            .Replace("\"verdict\": \"pass\",", "\"verdict\": \"pass\",\n    \"verdict\": \"pass\",", StringComparison.Ordinal)
            .Replace("\"rows\": 20000,", "\"rows\": \"many\",", StringComparison.Ordinal)
            .Replace("\"key_id\": \"0123456789abcdef\",", string.Empty, StringComparison.Ordinal);
        var result = ManifestJson.Read(Encoding.UTF8.GetBytes(text), "manifest.json");
        Assert.False(result.Succeeded);
        var keys = result.Diagnostics.Select(d => d.Location.Key).ToList();
        Assert.Contains("extra", keys);
        Assert.Contains("audit.verdict", keys);
        Assert.Contains("sampling.rows", keys);
        Assert.Contains("dataset.input_fingerprint.key_id", keys);
    }

    [Theory]
    [InlineData("\"format\": \"dpsynth-manifest/1\"", "\"format\": \"dpsynth-manifest/2\"", "format")]
    [InlineData("\"rho_exact\": \"1/200\"", "\"rho_exact\": \"1/300\"", "privacy.rho")]
    [InlineData("\"rho_exact\": \"1/200\"", "\"rho_exact\": \"0.005\"", "privacy.rho_exact")]
    [InlineData("\"verdict\": \"pass\"", "\"verdict\": \"fail\"", "audit.verdict")]
    [InlineData("\"name\": \"synthetic.csv\"", "\"name\": \"../synthetic.csv\"", "files[0].name")]
    [InlineData("\"name\": \"synthetic.csv\"", "\"name\": \"manifest.p7s\"", "files[0].name")]
    [InlineData("\"file\": \"demo.yaml\"", "\"file\": \"/home/alice/demo.yaml\"", "policy.file")]
    [InlineData("\"sha256\": \"aaaa", "\"sha256\": \"AAAA", "policy.sha256")]
    [InlineData("\"attempts\": 1", "\"attempts\": 0", "audit.attempts")]
    [InlineData("\"created\": \"2026-01-31T12:00:00.0000000Z\"", "\"created\": \"2026-01-31T12:00:00+02:00\"", "created")]
    public void TheReaderRefusesAValueThatBreaksARule(string from, string to, string key)
    {
        var text = Encoding.UTF8.GetString(ManifestJson.Write(Complete()));
        Assert.Contains(from, text, StringComparison.Ordinal);
        var result = ManifestJson.Read(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)), "manifest.json");
        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Location.Key == key);
    }

    [Fact]
    public void TheReaderRefusesTextThatIsNotJsonWithItsLine()
    {
        var result = ManifestJson.Read(Encoding.UTF8.GetBytes("{\n  \"format\": \"dpsynth-manifest/1\",\n}"), "manifest.json");
        Assert.False(result.Succeeded);
        Assert.Equal(3, result.Diagnostics.Single().Location.Line);
    }

    [Fact]
    public void TheWriterRefusesAManifestWithoutTheAuditGateDisclosure()
    {
        var ex = Assert.Throws<ArgumentException>(() => ManifestJson.Write(Complete() with { Disclosures = [] }));
        Assert.Contains("disclosures", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AManifestCarriesTheKeyedFingerprintAndNeverThePlainHashOfTheInput()
    {
        var input = temp.WriteFile("visits.csv", ReleaseFixtures.Csv);
        var key = FingerprintKey.LoadOrCreate(temp.File("budget.jsonl"));
        var manifest = Complete() with
        {
            Dataset = new ManifestDataset("visits", ManifestInputFingerprint.Of(key, input)),
        };
        var text = Encoding.UTF8.GetString(ManifestJson.Write(manifest));
        var plain = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input)));
        Assert.DoesNotContain(plain, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(File.ReadAllText(key.Path).Trim(), text, StringComparison.Ordinal);
        Assert.Contains(InputFingerprint.Compute(key, input), text, StringComparison.Ordinal);
        Assert.Contains(key.KeyId, text, StringComparison.Ordinal);
    }
}
