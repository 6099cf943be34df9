using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace DPSynth.Release;

/// <summary>
/// Signs a manifest's exact bytes: a detached CMS (PKCS#7) SignedData, SHA-256 digest, a signed signing-time attribute,
/// the signer identified by issuer and serial number, and the end certificate included (not its chain). The result is
/// <c>manifest.p7s</c>; OpenSSL checks it too (<c>openssl cms -verify -binary -inform DER -content manifest.json</c>).
/// </summary>
/// <remarks>
/// The signing time is the caller's, never the clock's: a bundle states one coarse time (<see cref="ReleaseTime"/>),
/// and a signing time taken when the signing happens would tell how long the run took. .NET adds no signing time of its
/// own (it adds only the content-type and message-digest attributes), so the signature holds exactly this one.
/// </remarks>
public static class ManifestSigner
{
    /// <summary>The OID of SHA-256.</summary>
    internal const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>Signs <paramref name="manifest"/> with <paramref name="certificate"/>'s private key; returns the DER-encoded CMS.</summary>
    /// <param name="manifest">The manifest's exact bytes.</param>
    /// <param name="certificate">The signing certificate, with its private key.</param>
    /// <param name="signingTime">The signing time to state (whole seconds: CMS keeps no fraction).</param>
    /// <exception cref="Diagnostics.InputException">
    /// The certificate has no private key, or is expired or not yet valid now or at <paramref name="signingTime"/>.
    /// </exception>
    public static byte[] Sign(byte[] manifest, X509Certificate2 certificate, DateTimeOffset signingTime)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(certificate);
        SigningCertificate.EnsureUsable(certificate, DateTime.UtcNow);
        SigningCertificate.EnsureUsable(certificate, signingTime.UtcDateTime);
        var cms = new SignedCms(new ContentInfo(manifest), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate)
        {
            DigestAlgorithm = new Oid(Sha256Oid),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }
}
