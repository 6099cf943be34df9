using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Release;

/// <summary>
/// Verifies a release bundle folder and reports every problem, not just the first (docs/release.md, "Verifying").
/// </summary>
/// <remarks>
/// Checks, in order: <c>manifest.json</c> and <c>manifest.p7s</c> are present as regular files; the manifest is
/// well-formed and not marked insecure; the CMS signature verifies over the manifest's exact bytes (one signer, SHA-2 digest, detached); the
/// signer's certificate is the one the manifest names; it is the pinned certificate, when one is given; its chain builds
/// to the trusted root, when one is given; the manifest lists every file a bundle must hold
/// (<see cref="BundleLayout.RequiredFileNames"/>); every listed file is present as a regular file (not a symbolic link, FIFO,
/// device or folder) with its size and SHA-256; no other file or folder is in the bundle.
/// <para>
/// Trust choices: the chain is built with <see cref="X509ChainTrustMode.CustomRootTrust"/> (only the given root is
/// trusted, never the machine's store), without a revocation check and without downloading anything (a bundle verifies
/// offline, the same way years later), at the signing time the signature states (so a bundle still verifies after its
/// certificate expires; that time is the signer's own claim, not a trusted timestamp). A compromised key is therefore
/// handled by pinning: reviewers pin the certificate they expect, and a new one is announced out of band. Without a
/// root or a pin the signature proves only that the files match the manifest and whoever signed it: anyone can re-sign
/// a modified bundle with their own key: the checks say so (<see cref="CheckOutcome.NotChecked"/>) and
/// <see cref="BundleVerification.SignerTrusted"/> is false, so <see cref="BundleVerification.IsVerified"/> is false too.
/// </para>
/// </remarks>
public static class BundleVerifier
{
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";

    private static readonly HashSet<string> Sha2Digests = new(StringComparer.Ordinal)
    {
        ManifestSigner.Sha256Oid, "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3",
    };

    /// <summary>Verifies the bundle in <paramref name="bundleDirectory"/>.</summary>
    /// <param name="bundleDirectory">The bundle folder.</param>
    /// <param name="trustedRoot">A root certificate the signer's chain must build to, or null to skip that check.</param>
    /// <param name="expectedSigner">The exact certificate that must have signed (a pin), or null to skip that check.</param>
    /// <exception cref="InputException">The folder does not exist.</exception>
    public static BundleVerification Verify(
        string bundleDirectory, X509Certificate2? trustedRoot = null, X509Certificate2? expectedSigner = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundleDirectory);
        var directory = Path.GetFullPath(bundleDirectory);
        if (!Directory.Exists(directory))
        {
            throw new InputException(Messages.BundleNotFound(directory));
        }

        var checks = new List<VerificationCheck>();
        var manifestBytes = ReadIfPresent(directory, BundleLayout.ManifestFileName, checks);
        var signatureBytes = ReadIfPresent(directory, BundleLayout.SignatureFileName, checks);
        var manifest = CheckManifest(manifestBytes, checks);
        var signer = CheckSignature(manifestBytes, signatureBytes, checks, out var signingTime);
        using (signer)
        {
            var signerSha = signer is null ? null : SigningCertificate.Sha256(signer);
            var trust = CheckSignerIdentity(manifest, signer, signerSha, trustedRoot, expectedSigner, signingTime, checks);
            CheckFiles(directory, manifest, checks);
            return new BundleVerification(directory, [.. checks], manifest, signerSha, trust);
        }
    }

    private static byte[]? ReadIfPresent(string directory, string name, List<VerificationCheck> checks)
    {
        var path = Path.Combine(directory, name);
        if (NotRegular(path) is { } problem)
        {
            checks.Add(new(Messages.CheckPresent(name), CheckOutcome.Failed, problem));
            return null;
        }

        checks.Add(new(Messages.CheckPresent(name), CheckOutcome.Passed, Messages.CheckFound));
        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// Why the bundle entry at <paramref name="path"/> cannot be checked, or null for a regular file. Links are not
    /// followed: a bundle is the files in its folder, and a link to an identical copy elsewhere is not one of them (the
    /// target can change after verification). A FIFO or a device is never opened: reading one blocks or never ends.
    /// </summary>
    private static string? NotRegular(string path) => FileNode.Of(path, followLinks: false).Kind switch
    {
        FileKind.Regular => null,
        FileKind.Missing => Messages.CheckMissing,
        FileKind.SymbolicLink => Messages.CheckSymbolicLink,
        FileKind.Directory => Messages.CheckFolder,
        _ => Messages.CheckNotRegularFile,
    };

    private static ReleaseManifest? CheckManifest(byte[]? bytes, List<VerificationCheck> checks)
    {
        var name = Messages.CheckManifestWellFormed;
        if (bytes is null)
        {
            checks.Add(new(name, CheckOutcome.NotChecked, Messages.CheckNoManifest));
            return null;
        }

        var result = ManifestJson.Read(bytes, BundleLayout.ManifestFileName);
        if (!result.Succeeded)
        {
            checks.Add(new(name, CheckOutcome.Failed, string.Join("; ", result.Diagnostics.Select(d => d.ToString()))));
            return null;
        }

        var manifest = result.GetValueOrThrow();
        checks.Add(new(name, CheckOutcome.Passed, Messages.CheckManifestFormat(manifest.Format, manifest.RunId)));
        checks.Add(manifest.Privacy.InsecureNoise
            ? new(Messages.CheckSecureNoise, CheckOutcome.Failed, Messages.CheckInsecureNoise)
            : new(Messages.CheckSecureNoise, CheckOutcome.Passed, Messages.CheckNoInsecureNoise));
        return manifest;
    }

    /// <summary>Checks the CMS signature over the manifest's bytes; returns the signer's certificate when it verifies.</summary>
    private static X509Certificate2? CheckSignature(
        byte[]? manifest, byte[]? signature, List<VerificationCheck> checks, out DateTime? signingTime)
    {
        signingTime = null;
        var name = Messages.CheckSignature;
        if (manifest is null || signature is null)
        {
            checks.Add(new(name, CheckOutcome.Failed, Messages.CheckSignatureNothingToCheck));
            return null;
        }

        var cms = new SignedCms(new ContentInfo(manifest), detached: true);
        try
        {
            cms.Decode(signature);
        }
        catch (CryptographicException)
        {
            checks.Add(new(name, CheckOutcome.Failed, Messages.CheckSignatureNotCms));
            return null;
        }

        // A signature that embeds content signs that content, not manifest.json.
        if (!cms.Detached || !cms.ContentInfo.Content.AsSpan().SequenceEqual(manifest))
        {
            checks.Add(new(name, CheckOutcome.Failed, Messages.CheckSignatureNotDetached));
            return null;
        }

        if (cms.SignerInfos.Count != 1)
        {
            checks.Add(new(name, CheckOutcome.Failed, Messages.CheckSignatureSignerCount(cms.SignerInfos.Count)));
            return null;
        }

        var info = cms.SignerInfos[0];
        if (info.Certificate is not { } certificate)
        {
            checks.Add(new(name, CheckOutcome.Failed, Messages.CheckSignatureNoCertificate));
            return null;
        }

        if (!Sha2Digests.Contains(info.DigestAlgorithm.Value ?? string.Empty))
        {
            checks.Add(new(name, CheckOutcome.Failed, Messages.CheckSignatureWeakDigest(info.DigestAlgorithm.Value)));
            return null;
        }

        try
        {
            info.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException)
        {
            checks.Add(new(name, CheckOutcome.Failed, Messages.CheckSignatureMismatch));
            return null;
        }

        signingTime = SigningTime(info);
        checks.Add(new(name, CheckOutcome.Passed, Messages.CheckSignatureValid(certificate.Subject, signingTime)));
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>Adds the signer's checks; returns whether the pin and the root given (if any) passed.</summary>
    private static SignerTrust CheckSignerIdentity(
        ReleaseManifest? manifest,
        X509Certificate2? signer,
        string? signerSha,
        X509Certificate2? trustedRoot,
        X509Certificate2? expectedSigner,
        DateTime? signingTime,
        List<VerificationCheck> checks)
    {
        var named = Messages.CheckSignerNamed;
        if (manifest is null || signerSha is null)
        {
            checks.Add(new(named, CheckOutcome.NotChecked, Messages.CheckNeedsManifestAndSignature));
        }
        else
        {
            checks.Add(manifest.Signer!.CertificateSha256 == signerSha
                ? new(named, CheckOutcome.Passed, signerSha)
                : new(named, CheckOutcome.Failed, Messages.CheckSignerDiffers(signerSha, manifest.Signer.CertificateSha256)));
        }

        var pinned = Messages.CheckSignerPinned;
        VerificationCheck pin;
        if (expectedSigner is null)
        {
            pin = new(pinned, CheckOutcome.NotChecked, Messages.CheckNoPin);
        }
        else
        {
            var expected = SigningCertificate.Sha256(expectedSigner);
            pin = signerSha is null
                ? new(pinned, CheckOutcome.Failed, Messages.CheckNoSignerToCompare)
                : signerSha == expected
                    ? new(pinned, CheckOutcome.Passed, expected)
                    : new(pinned, CheckOutcome.Failed, Messages.CheckSignerDiffers(signerSha, expected));
        }

        var chained = Messages.CheckChain;
        VerificationCheck chain = trustedRoot is null
            ? new(chained, CheckOutcome.NotChecked, Messages.CheckNoRoot)
            : signer is null
                ? new(chained, CheckOutcome.Failed, Messages.CheckNoSignerToCompare)
                : CheckChain(signer, trustedRoot, signingTime ?? DateTime.UtcNow);
        checks.Add(pin);
        checks.Add(chain);

        // Trusted only when something was checked and nothing checked failed: no pin and no root trusts nobody.
        return expectedSigner is null && trustedRoot is null
            ? SignerTrust.NotChecked
            : pin.Outcome != CheckOutcome.Failed && chain.Outcome != CheckOutcome.Failed
                ? SignerTrust.Trusted
                : SignerTrust.Untrusted;
    }

    private static VerificationCheck CheckChain(X509Certificate2 signer, X509Certificate2 trustedRoot, DateTime at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustedRoot);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = at;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        var built = chain.Build(signer);
        var root = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate : null;
        if (built && root is not null && root.RawData.AsSpan().SequenceEqual(trustedRoot.RawData))
        {
            return new(Messages.CheckChain, CheckOutcome.Passed, Messages.CheckChainBuilt(trustedRoot.Subject, at));
        }

        var reasons = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
        return new(Messages.CheckChain, CheckOutcome.Failed, Messages.CheckChainBroken(trustedRoot.Subject, string.Join("; ", reasons)));
    }

    private static void CheckFiles(string directory, ReleaseManifest? manifest, List<VerificationCheck> checks)
    {
        if (manifest is null)
        {
            checks.Add(new(Messages.CheckFiles, CheckOutcome.NotChecked, Messages.CheckNoManifest));
            return;
        }

        // A manifest that omits the synthetic rows or the public report describes no release, even if every file it does
        // list matches (an empty list would otherwise verify).
        var missing = BundleLayout.MissingRequired(manifest.Files.Select(f => f.Name));
        checks.Add(missing.Count == 0
            ? new(Messages.CheckRequiredFiles, CheckOutcome.Passed, Messages.CheckRequiredFilesListed(BundleLayout.RequiredFileNames))
            : new(Messages.CheckRequiredFiles, CheckOutcome.Failed, Messages.CheckRequiredFilesNotListed(missing)));

        // The reader has checked every name is a safe plain name, so no path leaves the folder.
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(directory, file.Name);
            var name = Messages.CheckFile(file.Name);
            if (NotRegular(path) is { } problem)
            {
                checks.Add(new(name, CheckOutcome.Failed, problem));
                continue;
            }

            var found = BundleWriter.Describe(file.Name, path);
            checks.Add(found.Bytes != file.Bytes
                ? new(name, CheckOutcome.Failed, Messages.CheckFileSize(found.Bytes, file.Bytes))
                : found.Sha256 != file.Sha256
                    ? new(name, CheckOutcome.Failed, Messages.CheckFileHash(found.Sha256, file.Sha256))
                    : new(name, CheckOutcome.Passed, Messages.CheckFileMatches(file.Bytes, file.Sha256)));
        }

        var listed = new HashSet<string>(manifest.Files.Select(f => f.Name), StringComparer.Ordinal)
        {
            BundleLayout.ManifestFileName,
            BundleLayout.SignatureFileName,
        };
        var extra = Directory.EnumerateFileSystemEntries(directory)
            .Select(Path.GetFileName)
            .Where(n => !listed.Contains(n!))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var entry in extra)
        {
            checks.Add(new(Messages.CheckUnlisted(entry!), CheckOutcome.Failed, Messages.CheckUnlistedDetail));
        }

        if (extra.Count == 0)
        {
            checks.Add(new(Messages.CheckNoUnlisted, CheckOutcome.Passed, Messages.CheckNoUnlistedDetail(manifest.Files.Length)));
        }
    }

    private static DateTime? SigningTime(SignerInfo info)
    {
        foreach (var attribute in info.SignedAttributes)
        {
            if (attribute.Oid.Value == SigningTimeOid && attribute.Values.Count == 1)
            {
                var value = attribute.Values[0];
                var time = (value as Pkcs9SigningTime ?? new Pkcs9SigningTime(value.RawData)).SigningTime;
                return time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
            }
        }

        return null;
    }
}
