using System.Text;
using DPSynth.Diagnostics;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

public sealed class BundleWriterTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void TheBundleHoldsTheFilesTheManifestAndItsSignatureAndNothingElse()
    {
        using var certificate = ReleaseFixtures.Certificate();
        var parent = Path.Combine(temp.Path, "out");
        var bundle = ReleaseFixtures.WriteBundle(parent, certificate);

        Assert.Equal(Path.Combine(parent, "bundle"), bundle.Directory);
        Assert.Equal(
            ["manifest.json", "manifest.p7s", "report.html", "synthetic.csv"],
            Directory.GetFileSystemEntries(bundle.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(ReleaseFixtures.Csv, File.ReadAllText(Path.Combine(bundle.Directory, "synthetic.csv")));
        Assert.Equal(["report.html", "synthetic.csv"], bundle.Manifest.Files.Select(f => f.Name));
        Assert.Equal(Encoding.UTF8.GetByteCount(ReleaseFixtures.Csv), bundle.Manifest.Files[1].Bytes);
        Assert.Equal(SigningCertificate.Sha256(certificate), bundle.Manifest.Signer!.CertificateSha256);
        Assert.Equal(ManifestJson.Write(bundle.Manifest), File.ReadAllBytes(Path.Combine(bundle.Directory, "manifest.json")));
        Assert.DoesNotContain(Directory.GetDirectories(parent), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void AFailedWriteLeavesNeitherTheFinalNorTheTemporaryFolder()
    {
        using var certificate = ReleaseFixtures.Certificate();
        var parent = Path.Combine(temp.Path, "out");
        Assert.Throws<IOException>(() => BundleWriter.Write(
            parent,
            "bundle",
            ReleaseFixtures.Manifest(),
            [
                BundleFile.FromWriter("synthetic.csv", s => s.Write("partial"u8)),
                BundleFile.FromWriter("report.html", s => s.Write("<p>"u8)),
                BundleFile.FromWriter("model.bin", _ => throw new IOException("disk full")),
            ],
            certificate));
        Assert.Empty(Directory.GetFileSystemEntries(parent));

        Assert.Throws<InputException>(() => BundleWriter.Write(
            parent,
            "bundle",
            ReleaseFixtures.Manifest(),
            [BundleFile.FromWriter("synthetic.csv", s => s.Write("x"u8)), BundleFile.FromPath("report.html", temp.File("absent.html"))],
            certificate));
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void AnExistingBundleIsNeverOverwritten()
    {
        using var certificate = ReleaseFixtures.Certificate();
        var first = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var before = File.ReadAllBytes(Path.Combine(first.Directory, "manifest.json"));
        Assert.Throws<InputException>(() => ReleaseFixtures.WriteBundle(temp.Path, certificate));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(first.Directory, "manifest.json")));
    }

    [Theory]
    [InlineData("../escape.csv")]
    [InlineData("sub/file.csv")]
    [InlineData("sub\\file.csv")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("manifest.json")]
    [InlineData("MANIFEST.P7S")]
    [InlineData("")]
    [InlineData("a:b")]
    public void UnsafeFileNamesAreRefused(string name) =>
        Assert.Throws<ArgumentException>(() => BundleFile.FromWriter(name, _ => { }));

    [Fact]
    public void UnsafeOrRepeatedNamesAndBrokenManifestsAreRefusedBeforeAnythingIsWritten()
    {
        using var certificate = ReleaseFixtures.Certificate();
        var parent = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(parent);
        var csv = BundleFile.FromWriter("synthetic.csv", s => s.Write("x"u8));
        Assert.Throws<ArgumentException>(() => BundleWriter.Write(parent, "../up", ReleaseFixtures.Manifest(), [csv], certificate));
        Assert.Throws<ArgumentException>(() => BundleWriter.Write(
            parent, "bundle", ReleaseFixtures.Manifest(), [csv, BundleFile.FromWriter("SYNTHETIC.csv", _ => { })], certificate));
        Assert.Throws<ArgumentException>(() => BundleWriter.Write(
            parent, "bundle", ReleaseFixtures.Manifest() with { RunId = "" }, [csv], certificate));
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Theory]
    [InlineData]
    [InlineData("synthetic.csv")]
    [InlineData("report.html")]
    [InlineData("report.html", "model.dpsm")]
    public void ABundleWithoutTheSyntheticRowsOrThePublicReportIsRefusedBeforeAnythingIsWritten(params string[] names)
    {
        using var certificate = ReleaseFixtures.Certificate();
        var parent = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(parent);
        var files = names.Select(n => BundleFile.FromWriter(n, s => s.Write("x"u8))).ToList();

        var ex = Assert.Throws<ArgumentException>(() => BundleWriter.Write(parent, "bundle", ReleaseFixtures.Manifest(), files, certificate));

        var missing = BundleLayout.RequiredFileNames.Except(names).ToList();
        Assert.NotEmpty(missing);
        Assert.All(missing, n => Assert.Contains(n, ex.Message, StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void EveryBundleFileAndTheFolderCarryTheBundlesOneTimeNotWhenTheRunFinished()
    {
        // How long a run takes grows with the private rows; the files' times would tell when it finished.
        using var certificate = ReleaseFixtures.Certificate();
        var bundle = ReleaseFixtures.WriteBundle(Path.Combine(temp.Path, "out"), certificate);
        // The bundle's time is today's midnight (the fixture's certificate was valid long before), not a moment of the run.
        var created = bundle.Manifest.Created.UtcDateTime;
        Assert.Equal(TimeSpan.Zero, created.TimeOfDay);

        // Modification times only: reading a folder or file may move its access time again (relatime), as any reader's would.
        var entries = Directory.GetFileSystemEntries(bundle.Directory);
        Assert.Equal(4, entries.Length);
        Assert.All(entries.Append(bundle.Directory), e => Assert.Equal(created, File.GetLastWriteTimeUtc(e)));

        if (OperatingSystem.IsWindows())
        {
            Assert.All(entries.Append(bundle.Directory), e => Assert.Equal(created, File.GetCreationTimeUtc(e)));
        }
    }

    [Fact]
    public void AManifestMarkedInsecureIsNeverSigned()
    {
        using var certificate = ReleaseFixtures.Certificate();
        var manifest = ReleaseFixtures.Manifest();
        manifest = manifest with { Privacy = manifest.Privacy with { InsecureNoise = true } };
        var ex = Assert.Throws<InputException>(() => BundleWriter.Write(temp.Path, "bundle", manifest, [], certificate));
        Assert.Contains("NOT PRIVATE", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void ACertificateWithoutItsPrivateKeyCannotSign()
    {
        using var certificate = ReleaseFixtures.Certificate();
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.RawData);
        var ex = Assert.Throws<InputException>(() => BundleWriter.Write(temp.Path, "bundle", ReleaseFixtures.Manifest(), [], publicOnly));
        Assert.Contains("no private key", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => ManifestSigner.Sign([1, 2, 3], publicOnly, ReleaseFixtures.Created));
    }
}
