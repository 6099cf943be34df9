using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DPSynth.Diagnostics;

namespace DPSynth.Release;

/// <summary>
/// Loads the certificate a bundle is signed with (a PKCS#12/PFX file, or a PEM certificate with a PEM private key,
/// encrypted or not) and the public certificates a reviewer verifies against. Every failure is an
/// <see cref="InputException"/> that says which file and what is wrong, never the password.
/// </summary>
public static class SigningCertificate
{
    /// <summary>
    /// Loads a signing certificate with its private key. A file whose text holds a <c>-----BEGIN</c> line is read as PEM
    /// (the key from <paramref name="keyPath"/>, or from the same file when that is null); any other file as PKCS#12.
    /// </summary>
    /// <param name="certificatePath">A <c>.pfx</c>/<c>.p12</c> file, or a PEM certificate.</param>
    /// <param name="keyPath">The PEM private key (PKCS#8, encrypted PKCS#8, or RSA/EC), for a PEM certificate only.</param>
    /// <param name="password">The PKCS#12 password or the encrypted key's password; null when there is none.</param>
    /// <returns>The certificate with its private key; the caller disposes it.</returns>
    /// <exception cref="InputException">
    /// A file is missing or unreadable, the password is missing or wrong, the key does not belong to the certificate,
    /// the certificate has no private key, or it is expired or not yet valid.
    /// </exception>
    public static X509Certificate2 Load(string certificatePath, string? keyPath = null, string? password = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        RequireFile(certificatePath);
        if (keyPath is not null)
        {
            RequireFile(keyPath);
        }

        var bytes = File.ReadAllBytes(certificatePath);
        var certificate = IsPem(bytes)
            ? LoadPem(certificatePath, keyPath, password)
            : LoadPkcs12(certificatePath, bytes, keyPath, password);
        try
        {
            EnsureUsable(certificate, DateTime.UtcNow);
            return certificate;
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>Loads a public certificate (PEM or DER) to verify against: a trusted root, or a pinned signer.</summary>
    /// <exception cref="InputException">The file is missing or is not a certificate.</exception>
    public static X509Certificate2 LoadPublic(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireFile(path);
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException)
        {
            throw new InputException(Messages.CertificateUnreadable(path));
        }
    }

    /// <summary>SHA-256 (lower-case hex) of a certificate's DER bytes: how a manifest and a pin name a certificate.</summary>
    public static string Sha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    /// <summary>Refuses a certificate that cannot sign now: no private key, expired, or not yet valid.</summary>
    internal static void EnsureUsable(X509Certificate2 certificate, DateTime utcNow)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new InputException(Messages.SigningNoPrivateKey(certificate.Subject));
        }

        // NotBefore and NotAfter are local times.
        var notAfter = certificate.NotAfter.ToUniversalTime();
        var notBefore = certificate.NotBefore.ToUniversalTime();
        if (utcNow > notAfter)
        {
            throw new InputException(Messages.SigningCertificateExpired(certificate.Subject, notAfter));
        }

        if (utcNow < notBefore)
        {
            throw new InputException(Messages.SigningCertificateNotYetValid(certificate.Subject, notBefore));
        }
    }

    private static X509Certificate2 LoadPkcs12(string path, byte[] bytes, string? keyPath, string? password)
    {
        if (keyPath is not null)
        {
            throw new InputException(Messages.SigningKeyWithPkcs12(path));
        }

        Pkcs12Info info;
        try
        {
            info = Pkcs12Info.Decode(bytes, out _, skipCopy: true);
        }
        catch (CryptographicException)
        {
            throw new InputException(Messages.SigningNotACertificate(path));
        }

        // Check the MAC first, so a wrong password is told apart from a damaged file.
        var macOk = info.IntegrityMode != Pkcs12IntegrityMode.Password
                    || info.VerifyMac(password)
                    || (string.IsNullOrEmpty(password) && (info.VerifyMac(string.Empty) || info.VerifyMac((string?)null)));
        if (!macOk)
        {
            throw new InputException(string.IsNullOrEmpty(password)
                ? Messages.SigningPasswordMissing(path)
                : Messages.SigningWrongPassword(path));
        }

        try
        {
            // Ephemeral keys are never written to a key store (not supported on macOS).
            var flags = OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
            return X509CertificateLoader.LoadPkcs12(bytes, password, flags);
        }
        catch (CryptographicException ex)
        {
            throw new InputException(Messages.SigningUnreadable(path, ex.Message));
        }
    }

    private static X509Certificate2 LoadPem(string certificatePath, string? keyPath, string? password)
    {
        var keyFile = keyPath ?? certificatePath;
        var keyText = File.ReadAllText(keyFile);
        var encrypted = FindPem(keyText, "ENCRYPTED PRIVATE KEY");
        var plain = FindPem(keyText, "PRIVATE KEY") ?? FindPem(keyText, "RSA PRIVATE KEY") ?? FindPem(keyText, "EC PRIVATE KEY");
        if (encrypted is null && plain is null)
        {
            throw new InputException(keyPath is null
                ? Messages.SigningPemWithoutKey(certificatePath)
                : Messages.SigningKeyFileWithoutKey(keyPath));
        }

        try
        {
            if (encrypted is not null)
            {
                if (string.IsNullOrEmpty(password))
                {
                    throw new InputException(Messages.SigningKeyNeedsPassword(keyFile));
                }

                try
                {
                    // Decrypt once on its own, so a wrong password is told apart from a key that does not match.
                    Pkcs8PrivateKeyInfo.DecryptAndDecode(password.AsSpan(), encrypted, out _);
                }
                catch (CryptographicException)
                {
                    throw new InputException(Messages.SigningWrongPassword(keyFile));
                }

                return X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password.AsSpan(), keyPath);
            }

            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // .NET reports a key of another certificate as an ArgumentException, an unusable one as a CryptographicException.
            throw new InputException(Messages.SigningKeyMismatch(certificatePath, keyFile, ex.Message));
        }
    }

    /// <summary>The DER bytes of the first PEM block with exactly this label, or null.</summary>
    private static byte[]? FindPem(string text, string label)
    {
        var rest = text.AsSpan();
        var offset = 0;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual(label))
            {
                return Convert.FromBase64String(rest[fields.Base64Data].ToString());
            }

            offset += fields.Location.End.GetOffset(rest.Length);
            rest = text.AsSpan(offset);
        }

        return null;
    }

    private static bool IsPem(byte[] bytes)
    {
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 64 * 1024));
        return head.Contains("-----BEGIN ", StringComparison.Ordinal);
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException(Messages.FileNotFound(path));
        }
    }
}
