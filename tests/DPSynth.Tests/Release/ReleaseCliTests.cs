using System.Text.Json;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

public sealed class ReleaseCliTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void KeysCreateWritesAPrivatePfxAndAPublicCertificateAndNeverReplacesThem()
    {
        var keys = temp.File("keys");
        var created = CliRunner.Run("keys", "create", "--out", keys);
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("NOT FOR PRODUCTION", created.Error, StringComparison.Ordinal);
        Assert.Contains("not encrypted", created.Error, StringComparison.Ordinal);
        var pfx = Path.Combine(keys, "signing.pfx");
        var pem = Path.Combine(keys, "signing.crt.pem");
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(pem), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
        }

        var before = File.ReadAllBytes(pfx);
        var again = CliRunner.Run("keys", "create", "--out", keys);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists already", again.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(pfx));

        using var certificate = SigningCertificate.Load(pfx);
        Assert.True(certificate.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(360));
    }

    [Fact]
    public void KeysCreateWithAnUnsetPasswordVariableIsAnInputError()
    {
        var result = CliRunner.Run("keys", "create", "--out", temp.File("keys"), "--password-env", "DPSYNTH_TEST_UNSET_" + Guid.NewGuid().ToString("N"));
        Assert.Equal(1, result.ExitCode);
        Assert.False(Directory.Exists(temp.File("keys")));
    }

    [Fact]
    public void VerifyPrintsEveryCheckAndExitsZeroOnAFreshBundle()
    {
        var (bundle, pem) = Bundle();
        var result = CliRunner.Run("verify", bundle, "--trusted-root", pem, "--certificate", pem);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("PASS  signature over manifest.json", result.Output, StringComparison.Ordinal);
        Assert.Contains("PASS  chain to the trusted root", result.Output, StringComparison.Ordinal);
        Assert.Contains("PASS  file synthetic.csv", result.Output, StringComparison.Ordinal);
        Assert.Contains("bundle OK", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);

        var plain = CliRunner.Run("verify", bundle);
        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("SKIP  signer is the pinned certificate", plain.Output, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(CliRunner.Run("verify", bundle, "--json").Output);
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Contains(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("outcome").GetString() == "not_checked");
    }

    [Fact]
    public void VerifyExitsFourWhenTheCsvOrTheManifestChangesOrTheSignatureIsGone()
    {
        var (bundle, _) = Bundle();
        var csv = Path.Combine(bundle, "synthetic.csv");
        var original = File.ReadAllBytes(csv);
        var changed = (byte[])original.Clone();
        changed[^2] ^= 0x01;
        File.WriteAllBytes(csv, changed);
        var result = CliRunner.Run("verify", bundle);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("FAIL  file synthetic.csv", result.Output, StringComparison.Ordinal);
        Assert.Contains("does not verify (1 problem)", result.Error, StringComparison.Ordinal);
        File.WriteAllBytes(csv, original);

        var manifest = Path.Combine(bundle, "manifest.json");
        var text = File.ReadAllText(manifest);
        File.WriteAllText(manifest, text.Replace("\"rows\": 20000", "\"rows\": 20001", StringComparison.Ordinal));
        Assert.Equal(4, CliRunner.Run("verify", bundle).ExitCode);
        File.WriteAllText(manifest, text);
        Assert.Equal(0, CliRunner.Run("verify", bundle).ExitCode);

        File.Delete(Path.Combine(bundle, "manifest.p7s"));
        var json = CliRunner.Run("verify", bundle, "--json");
        Assert.Equal(4, json.ExitCode);
        Assert.False(JsonDocument.Parse(json.Output).RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void VerifyExitsFourWhenTheBundleIsResignedWithAnotherCertificate()
    {
        var (bundle, pem) = Bundle();
        using var other = ReleaseFixtures.Certificate("CN=someone else");
        var manifest = File.ReadAllBytes(Path.Combine(bundle, "manifest.json"));
        File.WriteAllBytes(Path.Combine(bundle, "manifest.p7s"), ManifestSigner.Sign(manifest, other, ReleaseFixtures.Created));
        var result = CliRunner.Run("verify", bundle);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("FAIL  signer is the manifest's signer.certificate_sha256", result.Output, StringComparison.Ordinal);

        // Someone who also rewrites the manifest's signer hash is caught by the pin or the root only.
        var read = ManifestJson.Read(manifest, "manifest.json").GetValueOrThrow();
        var forged = ManifestJson.Write(read with { Signer = new ManifestSignerCertificate(SigningCertificate.Sha256(other)) });
        File.WriteAllBytes(Path.Combine(bundle, "manifest.json"), forged);
        File.WriteAllBytes(Path.Combine(bundle, "manifest.p7s"), ManifestSigner.Sign(forged, other, ReleaseFixtures.Created));
        Assert.Equal(0, CliRunner.Run("verify", bundle).ExitCode);
        Assert.Equal(4, CliRunner.Run("verify", bundle, "--certificate", pem).ExitCode);
        Assert.Equal(4, CliRunner.Run("verify", bundle, "--trusted-root", pem).ExitCode);
    }

    [Fact]
    public void VerifyExitsFourWithAWrongTrustedRoot()
    {
        var (bundle, _) = Bundle();
        using var other = ReleaseFixtures.Certificate("CN=another root");
        var wrong = ReleaseFixtures.WritePublicPem(temp.File("wrong-root.pem"), other);
        var result = CliRunner.Run("verify", bundle, "--trusted-root", wrong);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("FAIL  chain to the trusted root", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyExitsFourWithAnExtraOrAMissingFile()
    {
        var (bundle, _) = Bundle();
        File.WriteAllText(Path.Combine(bundle, "extra.csv"), "a\n1\n");
        Assert.Contains("FAIL  unlisted extra.csv", CliRunner.Run("verify", bundle).Output, StringComparison.Ordinal);
        Assert.Equal(4, CliRunner.Run("verify", bundle).ExitCode);
        File.Delete(Path.Combine(bundle, "extra.csv"));
        Assert.Equal(0, CliRunner.Run("verify", bundle).ExitCode);

        File.Delete(Path.Combine(bundle, "report.html"));
        var result = CliRunner.Run("verify", bundle);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("FAIL  file report.html: missing", result.Output, StringComparison.Ordinal);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void VerifyExitsFourWhenSyntheticCsvIsASymbolicLinkToAnIdenticalCopy()
    {
        var (bundle, pem) = Bundle();
        var csv = Path.Combine(bundle, "synthetic.csv");
        var copy = temp.File("synthetic-copy.csv");
        File.Copy(csv, copy);
        File.Delete(csv);
        File.CreateSymbolicLink(csv, copy);

        var result = CliRunner.Run("verify", bundle, "--certificate", pem);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("FAIL  file synthetic.csv: a symbolic link, not a regular file", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyOfAMissingFolderOrCertificateIsAnInputError()
    {
        Assert.Equal(1, CliRunner.Run("verify", temp.File("absent")).ExitCode);
        var (bundle, _) = Bundle();
        Assert.Equal(1, CliRunner.Run("verify", bundle, "--certificate", temp.File("absent.pem")).ExitCode);
    }

    /// <summary>A bundle signed with a certificate from <c>keys create</c>; returns its folder and the public certificate.</summary>
    private (string Bundle, string CertificatePem) Bundle()
    {
        var keys = temp.File("keys");
        Assert.Equal(0, CliRunner.Run("keys", "create", "--out", keys).ExitCode);
        using var certificate = SigningCertificate.Load(Path.Combine(keys, TestCertificate.PfxFileName));
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        return (bundle.Directory, Path.Combine(keys, TestCertificate.CertificateFileName));
    }
}
