using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

public sealed class BundleVerifierTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly X509Certificate2 certificate = ReleaseFixtures.Certificate();

    public void Dispose()
    {
        certificate.Dispose();
        temp.Dispose();
    }

    [Fact]
    public void AFreshBundleVerifiesPinnedAndChainedToItsRoot()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        using var pin = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var result = BundleVerifier.Verify(bundle.Directory, trustedRoot: pin, expectedSigner: pin);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(SignerTrust.Trusted, result.Trust);
        Assert.True(result.IsVerified);
        Assert.All(result.Checks, c => Assert.Equal(CheckOutcome.Passed, c.Outcome));
        Assert.Equal(SigningCertificate.Sha256(certificate), result.SignerCertificateSha256);
        Assert.Equal(bundle.Manifest.RunId, result.Manifest!.RunId);
        Assert.Contains(result.Checks, c => c.Name == "file synthetic.csv");
        Assert.Contains(result.Checks, c => c.Name == "file report.html");
        Assert.Contains(result.Checks, c => c.Name == "required files listed");
    }

    [Fact]
    public void WithoutARootOrAPinTheFilesCheckButTheSignerIsUncheckedSoTheBundleIsNotVerified()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var result = BundleVerifier.Verify(bundle.Directory);
        Assert.True(result.IsValid);
        Assert.Equal(SignerTrust.NotChecked, result.Trust);
        Assert.False(result.SignerTrusted);
        Assert.False(result.IsVerified);
        Assert.Equal(SigningCertificate.Sha256(certificate), result.SignerCertificateSha256);
        Assert.Equal(2, result.Checks.Count(c => c.Outcome == CheckOutcome.NotChecked));
        Assert.Contains(result.Checks, c => c.Outcome == CheckOutcome.NotChecked && c.Detail.Contains("re-sign", StringComparison.Ordinal));
    }

    [Fact]
    public void ChangingAnyByteOfTheCsvFails()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var path = Path.Combine(bundle.Directory, "synthetic.csv");
        var original = File.ReadAllBytes(path);
        for (var i = 0; i < original.Length; i++)
        {
            var changed = (byte[])original.Clone();
            changed[i] ^= 0x01;
            File.WriteAllBytes(path, changed);
            var result = BundleVerifier.Verify(bundle.Directory);
            Assert.False(result.IsValid, $"byte {i}");
            Assert.Equal("file synthetic.csv", Assert.Single(result.Problems).Name);
        }

        File.WriteAllBytes(path, original);
        Assert.True(BundleVerifier.Verify(bundle.Directory).IsValid);
    }

    [Fact]
    public void ChangingAnyByteOfTheManifestFails()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var path = Path.Combine(bundle.Directory, "manifest.json");
        var original = File.ReadAllBytes(path);
        for (var i = 0; i < original.Length; i++)
        {
            var changed = (byte[])original.Clone();
            changed[i] ^= 0x01;
            File.WriteAllBytes(path, changed);
            var result = BundleVerifier.Verify(bundle.Directory);
            Assert.False(result.IsValid, $"byte {i}");
            Assert.Contains(result.Problems, p => p.Name == "signature over manifest.json");
        }
    }

    [Fact]
    public void AMissingSignatureFailsAndEveryOtherProblemIsListedToo()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        File.Delete(Path.Combine(bundle.Directory, "manifest.p7s"));
        File.AppendAllText(Path.Combine(bundle.Directory, "synthetic.csv"), "99,F,public\n");
        File.Delete(Path.Combine(bundle.Directory, "report.html"));
        File.WriteAllText(Path.Combine(bundle.Directory, "notes.txt"), "added later");
        Directory.CreateDirectory(Path.Combine(bundle.Directory, "extra"));
        var result = BundleVerifier.Verify(bundle.Directory);
        Assert.Equal(
            ["manifest.p7s present", "signature over manifest.json", "file report.html", "file synthetic.csv", "unlisted extra",
                "unlisted notes.txt"],
            result.Problems.Select(p => p.Name));
    }

    [Fact]
    public void APinAloneTrustsTheSignerAndAPinWithNothingSignedDoesNot()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        using var pin = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var pinned = BundleVerifier.Verify(bundle.Directory, expectedSigner: pin);
        Assert.True(pinned.IsVerified, string.Join("\n", pinned.Problems));
        Assert.Equal(SignerTrust.Trusted, pinned.Trust);
        Assert.Equal(CheckOutcome.NotChecked, pinned.Checks.Single(c => c.Name == "chain to the trusted root").Outcome);

        File.Delete(Path.Combine(bundle.Directory, "manifest.p7s"));
        var unsigned = BundleVerifier.Verify(bundle.Directory, expectedSigner: pin);
        Assert.Equal(SignerTrust.Untrusted, unsigned.Trust);
        Assert.False(unsigned.IsVerified);
        Assert.Equal(CheckOutcome.Failed, unsigned.Checks.Single(c => c.Name == "signer is the pinned certificate").Outcome);
    }

    [Fact]
    public void ABundleResignedWithAnotherCertificateFailsThroughTheManifestsSignerHash()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        using var other = ReleaseFixtures.Certificate("CN=someone else");
        var manifest = File.ReadAllBytes(Path.Combine(bundle.Directory, "manifest.json"));
        File.WriteAllBytes(Path.Combine(bundle.Directory, "manifest.p7s"), ManifestSigner.Sign(manifest, other, ReleaseFixtures.Created));
        var result = BundleVerifier.Verify(bundle.Directory);
        Assert.Equal("signer is the manifest's signer.certificate_sha256", Assert.Single(result.Problems).Name);
    }

    [Fact]
    public void ABundleWhoseManifestWasRewrittenAndResignedFailsOnlyAgainstAPinOrARoot()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        using var other = ReleaseFixtures.Certificate("CN=someone else");
        Resign(bundle.Directory, bundle.Manifest, other);

        var withoutTrust = BundleVerifier.Verify(bundle.Directory);
        Assert.True(withoutTrust.IsValid);
        Assert.Equal(SignerTrust.NotChecked, withoutTrust.Trust);
        Assert.False(withoutTrust.IsVerified);
        Assert.Equal(SigningCertificate.Sha256(other), withoutTrust.SignerCertificateSha256);
        using var pin = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var pinned = BundleVerifier.Verify(bundle.Directory, expectedSigner: pin);
        Assert.Equal("signer is the pinned certificate", Assert.Single(pinned.Problems).Name);
        Assert.Equal(SignerTrust.Untrusted, pinned.Trust);
        var chained = BundleVerifier.Verify(bundle.Directory, trustedRoot: pin);
        Assert.Equal("chain to the trusted root", Assert.Single(chained.Problems).Name);
        Assert.Equal(SignerTrust.Untrusted, chained.Trust);
    }

    [Fact]
    public void ACertificateIssuedByTheTrustedRootVerifiesAndOneIssuedByAnotherRootDoesNot()
    {
        using var rootKey = System.Security.Cryptography.ECDsa.Create();
        var rootRequest = new CertificateRequest("CN=DPSynth test root", rootKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        using var leafKey = System.Security.Cryptography.ECDsa.Create();
        var leafRequest = new CertificateRequest("CN=DPSynth release signer", leafKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var leafPublic = leafRequest.Create(root, now.AddHours(-1), now.AddDays(90), [1, 2, 3, 4]);
        using var leaf = leafPublic.CopyWithPrivateKey(leafKey);
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, leaf);

        using var rootPublic = X509CertificateLoader.LoadCertificate(root.RawData);
        var chained = BundleVerifier.Verify(bundle.Directory, trustedRoot: rootPublic);
        Assert.True(chained.IsVerified, string.Join("\n", chained.Problems));
        Assert.Equal(SignerTrust.Trusted, chained.Trust);
        using var wrongRoot = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var result = BundleVerifier.Verify(bundle.Directory, trustedRoot: wrongRoot);
        Assert.Equal("chain to the trusted root", Assert.Single(result.Problems).Name);
    }

    [Fact]
    public void ASignatureThatEmbedsOtherContentFails()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var cms = new SignedCms(new ContentInfo(Encoding.UTF8.GetBytes("{\"something\": \"else\"}")), detached: false);
        cms.ComputeSignature(new CmsSigner(certificate));
        File.WriteAllBytes(Path.Combine(bundle.Directory, "manifest.p7s"), cms.Encode());
        var problem = Assert.Single(BundleVerifier.Verify(bundle.Directory).Problems);
        Assert.Equal("signature over manifest.json", problem.Name);
    }

    [Fact]
    public void AManifestMarkedInsecureFailsEvenWhenProperlySigned()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var manifest = bundle.Manifest with { Privacy = bundle.Manifest.Privacy with { InsecureNoise = true } };
        Resign(bundle.Directory, manifest, certificate);
        var problem = Assert.Single(BundleVerifier.Verify(bundle.Directory).Problems);
        Assert.Equal("privacy noise secure", problem.Name);
    }

    [Theory]
    [InlineData]
    [InlineData("report.html")]
    [InlineData("synthetic.csv")]
    public void AManifestThatOmitsARequiredFileFailsEvenWhenEverythingElseMatches(params string[] kept)
    {
        // A signed manifest with an empty (or partial) files list, over a folder holding exactly what it lists.
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        foreach (var file in bundle.Manifest.Files.Where(f => !kept.Contains(f.Name)))
        {
            File.Delete(Path.Combine(bundle.Directory, file.Name));
        }

        Resign(bundle.Directory, bundle.Manifest with { Files = [.. bundle.Manifest.Files.Where(f => kept.Contains(f.Name))] }, certificate);
        using var pin = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var result = BundleVerifier.Verify(bundle.Directory, trustedRoot: pin, expectedSigner: pin);

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("required files listed", problem.Name);
        Assert.All(new[] { "synthetic.csv", "report.html" }.Except(kept), n => Assert.Contains(n, problem.Detail, StringComparison.Ordinal));
        Assert.All(kept, n => Assert.DoesNotContain(n, problem.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public void AMalformedManifestFailsEvenWhenProperlySigned()
    {
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var text = File.ReadAllText(Path.Combine(bundle.Directory, "manifest.json"))
            .Replace("\"name\": \"report.html\"", "\"name\": \"../report.html\"", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(Path.Combine(bundle.Directory, "manifest.json"), bytes);
        File.WriteAllBytes(Path.Combine(bundle.Directory, "manifest.p7s"), ManifestSigner.Sign(bytes, certificate, ReleaseFixtures.Created));
        var problem = Assert.Single(BundleVerifier.Verify(bundle.Directory).Problems);
        Assert.Equal("manifest well-formed", problem.Name);
        Assert.Contains("files[0].name", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ABundleMadeBeforeTheOneTimeRuleStillVerifies()
    {
        // Older bundles carried the run's start (with a fraction of a second) and a later signing time; verification
        // never compared the two, and must not start to.
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        var started = ReleaseFixtures.Created.AddTicks(1_234_567);
        var bytes = ManifestJson.Write(bundle.Manifest with { Created = started });
        File.WriteAllBytes(Path.Combine(bundle.Directory, "manifest.json"), bytes);
        File.WriteAllBytes(
            Path.Combine(bundle.Directory, "manifest.p7s"), ManifestSigner.Sign(bytes, certificate, ReleaseFixtures.Created.AddSeconds(93)));
        using var pin = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var result = BundleVerifier.Verify(bundle.Directory, trustedRoot: pin, expectedSigner: pin);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(started, result.Manifest!.Created);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ASymbolicLinkToAnIdenticalCopyInPlaceOfAnyBundleFileFails()
    {
        // The link's target has the right bytes today, but it is not in the bundle and can change after verification.
        foreach (var name in new[] { "synthetic.csv", "report.html", "manifest.json", "manifest.p7s" })
        {
            var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate, $"bundle-{name}");
            var path = Path.Combine(bundle.Directory, name);
            var copy = temp.File($"copy-of-{name}");
            File.Move(path, copy);
            File.CreateSymbolicLink(path, copy);

            var result = BundleVerifier.Verify(bundle.Directory);
            Assert.False(result.IsValid, name);
            var problem = Assert.Single(result.Problems, p => p.Detail.Contains("symbolic link", StringComparison.Ordinal));
            Assert.Contains(name, problem.Name, StringComparison.Ordinal);
        }
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AFifoOrAFolderInPlaceOfABundleFileFailsWithoutBeingOpened()
    {
        // Opening a FIFO to hash it would block this test for ever: the verifier must not open it.
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        File.Delete(Path.Combine(bundle.Directory, "report.html"));
        UnixFiles.Fifo(Path.Combine(bundle.Directory, "report.html"));
        File.Delete(Path.Combine(bundle.Directory, "synthetic.csv"));
        Directory.CreateDirectory(Path.Combine(bundle.Directory, "synthetic.csv"));

        var result = BundleVerifier.Verify(bundle.Directory);
        Assert.Equal(["file report.html", "file synthetic.csv"], result.Problems.Select(p => p.Name));
        Assert.Contains("FIFO", result.Problems.First().Detail, StringComparison.Ordinal);
        Assert.Contains("a folder", result.Problems.Last().Detail, StringComparison.Ordinal);
    }

    /// <summary>Replaces the manifest (with the new signer's hash) and its signature, as someone with another key would.</summary>
    private static void Resign(string directory, ReleaseManifest manifest, X509Certificate2 signer)
    {
        var bytes = ManifestJson.Write(manifest with { Signer = new ManifestSignerCertificate(SigningCertificate.Sha256(signer)) });
        File.WriteAllBytes(Path.Combine(directory, "manifest.json"), bytes);
        File.WriteAllBytes(Path.Combine(directory, "manifest.p7s"), ManifestSigner.Sign(bytes, signer, ReleaseFixtures.Created));
    }
}
