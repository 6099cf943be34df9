using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace DPSynth.Release;

/// <summary>
/// Signs a manifest's exact bytes: a detached CMS (PKCS#7) SignedData, SHA-256 digest, a signed signing-time attribute,
/// the signer identified by issuer and serial number, and the end certificate included (not its chain). The result is
/// <c>manifest.p7s</c>; OpenSSL checks it too (<c>openssl cms -verify -binary -inform DER -content manifest.json</c>).
/// </summary>
public static class ManifestSigner
{
    /// <summary>The OID of SHA-256.</summary>
    internal const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>Signs <paramref name="manifest"/> with <paramref name="certificate"/>'s private key; returns the DER-encoded CMS.</summary>
    /// <exception cref="Diagnostics.InputException">The certificate has no private key, is expired or not yet valid.</exception>
    public static byte[] Sign(byte[] manifest, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(certificate);
        SigningCertificate.EnsureUsable(certificate, DateTime.UtcNow);
        var cms = new SignedCms(new ContentInfo(manifest), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate)
        {
            DigestAlgorithm = new Oid(Sha256Oid),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(DateTime.UtcNow));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }
}
