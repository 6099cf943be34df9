using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Release;

/// <summary>
/// Makes a self-signed test signing certificate (ECDSA P-256, SHA-256, valid one year) for trying the release flow and
/// for tests: <see cref="PfxFileName"/> (certificate and private key, mode 0600 on Unix) and
/// <see cref="CertificateFileName"/> (the public certificate, for <c>dpsynth verify --certificate/--trusted-root</c>).
/// </summary>
/// <remarks>Its subject says it is not for production: a reviewer trusts a bundle only as far as they trust its key.</remarks>
public static class TestCertificate
{
    /// <summary>The certificate's subject.</summary>
    public const string Subject = "CN=DPSynth test signing certificate (NOT FOR PRODUCTION)";

    /// <summary>The PKCS#12 file (certificate and private key).</summary>
    public const string PfxFileName = "signing.pfx";

    /// <summary>The public certificate (PEM).</summary>
    public const string CertificateFileName = "signing.crt.pem";

    /// <summary>
    /// Creates the certificate in <paramref name="directory"/> (created if missing). Refuses to replace existing files: a
    /// lost signing key cannot be recovered.
    /// </summary>
    /// <param name="directory">Where to write <see cref="PfxFileName"/> and <see cref="CertificateFileName"/>.</param>
    /// <param name="password">The PKCS#12 password (AES-256, PBES2), or null for a key protected only by the file's mode.</param>
    /// <exception cref="InputException">One of the two files exists already.</exception>
    public static TestCertificateFiles Create(string directory, string? password)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var pfxPath = Path.GetFullPath(Path.Combine(directory, PfxFileName));
        var certificatePath = Path.GetFullPath(Path.Combine(directory, CertificateFileName));
        foreach (var path in new[] { pfxPath, certificatePath })
        {
            if (File.Exists(path))
            {
                throw new InputException(Messages.KeysFileExists(path));
            }
        }

        using var certificate = NewCertificate();
        if (!TryPublishPfx(pfxPath, certificate, password))
        {
            throw new InputException(Messages.KeysFileExists(pfxPath));
        }

        if (!NewFile.TryCreate(certificatePath, Pem(certificate), ownerOnly: false))
        {
            throw new InputException(Messages.KeysFileExists(certificatePath));
        }

        return new TestCertificateFiles(pfxPath, certificatePath, SigningCertificate.Sha256(certificate));
    }

    /// <summary>
    /// Loads the unencrypted test certificate in <paramref name="directory"/>, making it first when there is none: what
    /// <c>dpsynth run</c> signs with when a policy configures no certificate. Safe when several processes start at once:
    /// the first to publish <see cref="PfxFileName"/> wins and every other one loads the winner's (the publish never
    /// overwrites), so all of them sign with the same certificate. <see cref="CertificateFileName"/> is written from the
    /// loaded certificate when missing (also after a run killed between the two files).
    /// </summary>
    /// <param name="directory">The deployment's test-signing folder (created if missing).</param>
    /// <returns>The certificate with its private key; the caller disposes it.</returns>
    /// <exception cref="InputException">
    /// The certificate cannot be loaded or cannot sign now, or <see cref="CertificateFileName"/> holds another certificate.
    /// </exception>
    public static X509Certificate2 LoadOrCreate(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var pfxPath = Path.GetFullPath(Path.Combine(directory, PfxFileName));
        var certificatePath = Path.GetFullPath(Path.Combine(directory, CertificateFileName));
        if (!File.Exists(pfxPath))
        {
            using var fresh = NewCertificate();
            TryPublishPfx(pfxPath, fresh, password: null); // false: another process won the race; its file is loaded below
        }

        var certificate = SigningCertificate.Load(pfxPath);
        try
        {
            var pem = Pem(certificate);
            if (!NewFile.TryCreate(certificatePath, pem, ownerOnly: false) && !File.ReadAllBytes(certificatePath).AsSpan().SequenceEqual(pem))
            {
                // Reviewers would pin a certificate that signs nothing.
                throw new InputException(Messages.TestCertificateMismatch(certificatePath, pfxPath));
            }

            return certificate;
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    private static X509Certificate2 NewCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Valid from the start of yesterday (UTC), a whole day: a bundle's one time is the date its run started
        // (ReleaseTime), which is then always inside the validity, so the certificate's creation time never becomes a
        // bundle's time. Made mid-batch, after other policies had read their rows, it would say how long they took.
        // A day back also covers a verifier whose clock is behind.
        var today = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);
        return request.CreateSelfSigned(today.AddDays(-1), today.AddYears(1));
    }

    /// <summary>Publishes the certificate with its key at <paramref name="pfxPath"/> (mode 0600) unless the file exists.</summary>
    private static bool TryPublishPfx(string pfxPath, X509Certificate2 certificate, string? password)
    {
        var pfx = certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        try
        {
            return NewFile.TryCreate(pfxPath, pfx, ownerOnly: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }

    private static byte[] Pem(X509Certificate2 certificate) => Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n");
}

/// <summary>The files <see cref="TestCertificate.Create"/> wrote.</summary>
/// <param name="PfxPath">The PKCS#12 file with the private key (absolute).</param>
/// <param name="CertificatePath">The public certificate, PEM (absolute).</param>
/// <param name="CertificateSha256">SHA-256 of the certificate (what a manifest's <c>signer.certificate_sha256</c> holds).</param>
public sealed record TestCertificateFiles(string PfxPath, string CertificatePath, string CertificateSha256);
