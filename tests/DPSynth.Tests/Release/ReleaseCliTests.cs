using System.Text.Json;
using DPSynth.Diagnostics;
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
    public void VerifyPrintsEveryCheckAndExitsZeroOnAFreshBundlePinnedOrChainedToItsRoot()
    {
        var (bundle, pem) = Bundle();
        var result = CliRunner.Run("verify", bundle, "--trusted-root", pem, "--certificate", pem);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("PASS  signature over manifest.json", result.Output, StringComparison.Ordinal);
        Assert.Contains("PASS  chain to the trusted root", result.Output, StringComparison.Ordinal);
        Assert.Contains("PASS  file synthetic.csv", result.Output, StringComparison.Ordinal);
        Assert.Contains(Messages.BundleVerified(bundle), result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("UNVERIFIED", result.Output + result.Error, StringComparison.Ordinal);

        var pinned = CliRunner.Run("verify", bundle, "--certificate", pem);
        Assert.Equal(0, pinned.ExitCode);
        Assert.Contains("PASS  signer is the pinned certificate", pinned.Output, StringComparison.Ordinal);
        Assert.Contains(Messages.BundleVerified(bundle), pinned.Output, StringComparison.Ordinal);

        var chained = CliRunner.Run("verify", bundle, "--trusted-root", pem);
        Assert.Equal(0, chained.ExitCode);
        Assert.Contains("SKIP  signer is the pinned certificate", chained.Output, StringComparison.Ordinal);
        Assert.Contains("PASS  chain to the trusted root", chained.Output, StringComparison.Ordinal);
        Assert.Contains(Messages.BundleVerified(bundle), chained.Output, StringComparison.Ordinal);

        var json = CliRunner.Run("verify", bundle, "--certificate", pem, "--json");
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.True(document.RootElement.GetProperty("valid").GetBoolean());
        Assert.True(document.RootElement.GetProperty("signer_trusted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("signer_warning").ValueKind);
    }

    [Fact]
    public void VerifyWithoutAPinOrARootFailsClosedAndSaysHowToCheckTheSigner()
    {
        var (bundle, pem) = Bundle();
        var plain = CliRunner.Run("verify", bundle);
        Assert.Equal(4, plain.ExitCode);
        Assert.Contains("SKIP  signer is the pinned certificate", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Messages.BundleVerified(bundle), plain.Output, StringComparison.Ordinal);
        Assert.Contains($"the bundle {bundle} is not verified", plain.Error, StringComparison.Ordinal);
        Assert.Contains("the signer was NOT checked", plain.Error, StringComparison.Ordinal);
        Assert.Contains("--certificate PEM pins the expected signer", plain.Error, StringComparison.Ordinal);
        Assert.Contains("--trusted-root PEM requires its chain", plain.Error, StringComparison.Ordinal);
        Assert.Contains("--any-signer checks only that the files match the signature of whoever signed", plain.Error, StringComparison.Ordinal);
        Assert.Contains(Sha256Of(pem), plain.Error, StringComparison.Ordinal);

        var json = CliRunner.Run("verify", bundle, "--json");
        Assert.Equal(4, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.False(document.RootElement.GetProperty("valid").GetBoolean());
        Assert.False(document.RootElement.GetProperty("signer_trusted").GetBoolean());
        Assert.Contains("--any-signer", document.RootElement.GetProperty("signer_warning").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(document.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("outcome").GetString() == "failed");
    }

    [Fact]
    public void VerifyWithAnySignerExitsZeroButSaysTheSignerIsUnverifiedAndNamesIt()
    {
        var (bundle, pem) = Bundle();
        var result = CliRunner.Run("verify", bundle, "--any-signer");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("SKIP  signer is the pinned certificate", result.Output, StringComparison.Ordinal);
        Assert.Contains("WARNING: SIGNER UNVERIFIED (--any-signer)", result.Output, StringComparison.Ordinal);
        Assert.Contains($"certificate SHA-256 {Sha256Of(pem)}", result.Output, StringComparison.Ordinal);
        Assert.Contains(Messages.BundleIntegrityOnly(bundle), result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Messages.BundleVerified(bundle), result.Output, StringComparison.Ordinal);

        var json = CliRunner.Run("verify", bundle, "--any-signer", "--json");
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.True(document.RootElement.GetProperty("valid").GetBoolean());
        Assert.False(document.RootElement.GetProperty("signer_trusted").GetBoolean());
        Assert.Equal(Sha256Of(pem), document.RootElement.GetProperty("signer_certificate_sha256").GetString());
        var warning = document.RootElement.GetProperty("signer_warning").GetString()!;
        Assert.Contains("SIGNER UNVERIFIED", warning, StringComparison.Ordinal);
        Assert.Contains(Sha256Of(pem), warning, StringComparison.Ordinal);
        Assert.Contains("SIGNER UNVERIFIED", json.Error, StringComparison.Ordinal);

        // Integrity is still checked: a changed file fails with or without a signer.
        File.AppendAllText(Path.Combine(bundle, "synthetic.csv"), "1,F,x\n");
        var changed = CliRunner.Run("verify", bundle, "--any-signer");
        Assert.Equal(4, changed.ExitCode);
        Assert.Contains("FAIL  file synthetic.csv", changed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Messages.BundleIntegrityOnly(bundle), changed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnySignerWithAPinOrARootIsAUsageError()
    {
        var (bundle, pem) = Bundle();
        foreach (var option in new[] { "--certificate", "--trusted-root" })
        {
            var result = CliRunner.Run("verify", bundle, "--any-signer", option, pem);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(Messages.AnySignerWithTrust, result.Error, StringComparison.Ordinal);
            Assert.Empty(result.Output);
        }
    }

    [Fact]
    public void VerifyExitsFourWhenTheCsvOrTheManifestChangesOrTheSignatureIsGone()
    {
        var (bundle, pem) = Bundle();
        var csv = Path.Combine(bundle, "synthetic.csv");
        var original = File.ReadAllBytes(csv);
        var changed = (byte[])original.Clone();
        changed[^2] ^= 0x01;
        File.WriteAllBytes(csv, changed);
        var result = CliRunner.Run("verify", bundle, "--certificate", pem);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("FAIL  file synthetic.csv", result.Output, StringComparison.Ordinal);
        Assert.Contains("does not verify (1 problem)", result.Error, StringComparison.Ordinal);
        File.WriteAllBytes(csv, original);

        var manifest = Path.Combine(bundle, "manifest.json");
        var text = File.ReadAllText(manifest);
        File.WriteAllText(manifest, text.Replace("\"rows\": 20000", "\"rows\": 20001", StringComparison.Ordinal));
        Assert.Equal(4, CliRunner.Run("verify", bundle, "--certificate", pem).ExitCode);
        File.WriteAllText(manifest, text);
        Assert.Equal(0, CliRunner.Run("verify", bundle, "--certificate", pem).ExitCode);

        File.Delete(Path.Combine(bundle, "manifest.p7s"));
        var json = CliRunner.Run("verify", bundle, "--certificate", pem, "--json");
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
        var result = CliRunner.Run("verify", bundle, "--any-signer");
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("FAIL  signer is the manifest's signer.certificate_sha256", result.Output, StringComparison.Ordinal);

        // Someone who also rewrites the manifest's signer hash (here: a changed row count) and re-signs with a key of
        // their own is caught by the pin or the root only; plain verify refuses to vouch, --any-signer names them.
        var read = ManifestJson.Read(manifest, "manifest.json").GetValueOrThrow();
        var forged = ManifestJson.Write(read with
        {
            Signer = new ManifestSignerCertificate(SigningCertificate.Sha256(other)),
            Sampling = read.Sampling with { Rows = read.Sampling.Rows + 1 },
        });
        File.WriteAllBytes(Path.Combine(bundle, "manifest.json"), forged);
        File.WriteAllBytes(Path.Combine(bundle, "manifest.p7s"), ManifestSigner.Sign(forged, other, ReleaseFixtures.Created));

        var plain = CliRunner.Run("verify", bundle);
        Assert.Equal(4, plain.ExitCode);
        Assert.Contains("the signer was NOT checked", plain.Error, StringComparison.Ordinal);

        var anySigner = CliRunner.Run("verify", bundle, "--any-signer");
        Assert.Equal(0, anySigner.ExitCode);
        Assert.Contains($"certificate SHA-256 {SigningCertificate.Sha256(other)}", anySigner.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256Of(pem), anySigner.Output, StringComparison.Ordinal);
        Assert.Contains("SIGNER UNVERIFIED", anySigner.Output, StringComparison.Ordinal);

        var pinned = CliRunner.Run("verify", bundle, "--certificate", pem);
        Assert.Equal(4, pinned.ExitCode);
        Assert.Contains("FAIL  signer is the pinned certificate", pinned.Output, StringComparison.Ordinal);
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
        var (bundle, pem) = Bundle();
        File.WriteAllText(Path.Combine(bundle, "extra.csv"), "a\n1\n");
        Assert.Contains("FAIL  unlisted extra.csv", CliRunner.Run("verify", bundle, "--certificate", pem).Output, StringComparison.Ordinal);
        Assert.Equal(4, CliRunner.Run("verify", bundle, "--certificate", pem).ExitCode);
        File.Delete(Path.Combine(bundle, "extra.csv"));
        Assert.Equal(0, CliRunner.Run("verify", bundle, "--certificate", pem).ExitCode);

        File.Delete(Path.Combine(bundle, "report.html"));
        var result = CliRunner.Run("verify", bundle, "--certificate", pem);
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
        Assert.Equal(1, CliRunner.Run("verify", bundle, "--trusted-root", temp.File("absent.pem")).ExitCode);
    }

    private static string Sha256Of(string pem)
    {
        using var certificate = SigningCertificate.LoadPublic(pem);
        return SigningCertificate.Sha256(certificate);
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
