using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DPSynth.Diagnostics;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

public sealed class SigningCertificateTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void APfxWithAPasswordFromAnEnvironmentVariableSignsABundleThatVerifies()
    {
        var variable = "DPSYNTH_TEST_PFX_PASSWORD_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "correct horse battery staple");
        try
        {
            var keys = temp.File("keys");
            Assert.Equal(0, CliRunner.Run("keys", "create", "--out", keys, "--password-env", variable).ExitCode);
            var pfx = Path.Combine(keys, TestCertificate.PfxFileName);
            using var certificate = SigningCertificate.Load(pfx, password: Environment.GetEnvironmentVariable(variable));
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(TestCertificate.Subject, certificate.Subject);

            var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
            var pem = Path.Combine(keys, TestCertificate.CertificateFileName);
            Assert.Equal(0, CliRunner.Run("verify", bundle.Directory, "--certificate", pem, "--trusted-root", pem).ExitCode);

            var wrong = Assert.Throws<InputException>(() => SigningCertificate.Load(pfx, password: "wrong"));
            Assert.Contains("password", wrong.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong\"", wrong.Message, StringComparison.Ordinal);
            var missing = Assert.Throws<InputException>(() => SigningCertificate.Load(pfx));
            Assert.Contains("protected by a password", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void APemCertificateWithAnEncryptedPemKeySignsABundleThatVerifies()
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=DPSynth PEM signer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var certificatePath = ReleaseFixtures.WritePublicPem(temp.File("signer.crt.pem"), created);
        var keyPath = temp.WriteFile("signer.key.pem", rsa.ExportEncryptedPkcs8PrivateKeyPem(
            "pem secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));

        using var certificate = SigningCertificate.Load(certificatePath, keyPath, "pem secret");
        Assert.True(certificate.HasPrivateKey);
        var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate);
        Assert.Equal(0, CliRunner.Run("verify", bundle.Directory, "--certificate", certificatePath).ExitCode);

        Assert.Contains("wrong", Assert.Throws<InputException>(() => SigningCertificate.Load(certificatePath, keyPath, "nope")).Message,
            StringComparison.Ordinal);
        Assert.Contains("encrypted", Assert.Throws<InputException>(() => SigningCertificate.Load(certificatePath, keyPath)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void APemCertificateWithAPlainKeyLoadsAndAKeyOfAnotherCertificateIsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var created = new CertificateRequest("CN=plain", key, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddDays(-1), now.AddDays(3));
        var certificatePath = ReleaseFixtures.WritePublicPem(temp.File("plain.crt.pem"), created);
        var keyPath = temp.WriteFile("plain.key.pem", key.ExportPkcs8PrivateKeyPem());
        using (var loaded = SigningCertificate.Load(certificatePath, keyPath))
        {
            Assert.True(loaded.HasPrivateKey);
        }

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherKeyPath = temp.WriteFile("other.key.pem", otherKey.ExportPkcs8PrivateKeyPem());
        Assert.Contains("cannot be used with the certificate",
            Assert.Throws<InputException>(() => SigningCertificate.Load(certificatePath, otherKeyPath)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACertificateWithoutAPrivateKeyIsRefused()
    {
        using var certificate = ReleaseFixtures.Certificate();
        var pem = ReleaseFixtures.WritePublicPem(temp.File("public.crt.pem"), certificate);
        Assert.Contains("no private key", Assert.Throws<InputException>(() => SigningCertificate.Load(pem)).Message, StringComparison.Ordinal);

        var pfx = temp.File("public.pfx");
        File.WriteAllBytes(pfx, new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(certificate.RawData))
            .Export(X509ContentType.Pkcs12)!);
        Assert.Contains("no private key", Assert.Throws<InputException>(() => SigningCertificate.Load(pfx)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExpiredCertificateIsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var expired = new CertificateRequest("CN=expired", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(now.AddDays(-30), now.AddDays(-1));
        var pfx = temp.File("expired.pfx");
        File.WriteAllBytes(pfx, expired.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "pw"));
        Assert.Contains("expired", Assert.Throws<InputException>(() => SigningCertificate.Load(pfx, password: "pw")).Message,
            StringComparison.Ordinal);
        Assert.Throws<InputException>(() => ManifestSigner.Sign([1], expired, now.AddDays(-2)));
    }

    [Fact]
    public void MissingAndUnreadableFilesAreInputErrors()
    {
        Assert.Contains("file not found", Assert.Throws<InputException>(() => SigningCertificate.Load(temp.File("absent.pfx"))).Message,
            StringComparison.Ordinal);
        using var certificate = ReleaseFixtures.Certificate();
        var pem = ReleaseFixtures.WritePublicPem(temp.File("c.pem"), certificate);
        Assert.Throws<InputException>(() => SigningCertificate.Load(pem, temp.File("absent.key")));
        var junk = temp.WriteFile("junk.pfx", "this is not a certificate");
        Assert.Contains("neither", Assert.Throws<InputException>(() => SigningCertificate.Load(junk)).Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => SigningCertificate.LoadPublic(junk));
        using var loaded = SigningCertificate.LoadPublic(pem);
        Assert.Equal(SigningCertificate.Sha256(certificate), SigningCertificate.Sha256(loaded));
    }
}
