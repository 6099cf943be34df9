using System.Text;
using DPSynth.Release;

namespace DPSynth.Tests.Release;

/// <summary>The optional <c>domain_discovery</c> section of a manifest (schemas learnt by <c>schema infer --dp</c>).</summary>
public sealed class ManifestDomainDiscoveryTests
{
    private static readonly ManifestDomainDiscovery Section = new(
        new string('c', 64), ["age", "sex"], 0.0149, 1e-10, 0.0153, 0.02, 1.2, 1e-9);

    private static ReleaseManifest Complete() => ReleaseFixtures.Manifest() with
    {
        Signer = new ManifestSignerCertificate(new string('d', 64)),
        Files = [new ManifestFile("synthetic.csv", 42, new string('e', 64))],
    };

    [Fact]
    public void TheSectionRoundTripsAndIsAbsentOtherwise()
    {
        var without = ManifestJson.Write(Complete());
        Assert.DoesNotContain("domain_discovery", Encoding.UTF8.GetString(without), StringComparison.Ordinal);
        Assert.Null(ManifestJson.Read(without, "m.json").GetValueOrThrow().DomainDiscovery);

        var bytes = ManifestJson.Write(Complete() with { DomainDiscovery = Section });
        var read = ManifestJson.Read(bytes, "m.json").GetValueOrThrow();
        Assert.Equal(bytes, ManifestJson.Write(read));
        Assert.Equal(Section with { Columns = [] }, read.DomainDiscovery! with { Columns = [] });
        Assert.Equal(Section.Columns.ToArray(), read.DomainDiscovery!.Columns.ToArray());
    }

    [Fact]
    public void TheReaderRefusesABrokenOrExtendedSection()
    {
        var text = Encoding.UTF8.GetString(ManifestJson.Write(Complete() with { DomainDiscovery = Section }));
        var badHash = ManifestJson.Read(Encoding.UTF8.GetBytes(text.Replace(new string('c', 64), "cc", StringComparison.Ordinal)), "m.json");
        Assert.Contains(badHash.Diagnostics, d => d.Location.Key == "domain_discovery.charge_entry_hash");
        var extra = ManifestJson.Read(
            Encoding.UTF8.GetBytes(text.Replace("\"bundle_delta\"", "\"secret\": 1,\n    \"bundle_delta\"", StringComparison.Ordinal)), "m.json");
        Assert.False(extra.Succeeded);
        Assert.Throws<ArgumentException>(() => ManifestJson.Write(Complete() with { DomainDiscovery = Section with { BundleRho = 0.001 } }));
    }
}
