using System.Collections.Immutable;
using System.Text.Json;
using DPSynth.Diagnostics;

namespace DPSynth.Release;

/// <summary>
/// The <c>verify --json</c> output: the bundle, the verdict (what the exit code says), whether the signer was checked,
/// the signer's fingerprint, a warning when it was not, and every check.
/// </summary>
/// <param name="Bundle">The bundle folder (absolute).</param>
/// <param name="Valid">
/// The verdict: true when no check failed and the signer is trusted, or when no check failed and the caller accepted any
/// signer (<c>--any-signer</c>); then <see cref="SignerTrusted"/> is false and <see cref="SignerWarning"/> says so.
/// </param>
/// <param name="SignerTrusted">True when the signer was pinned or chained to a trusted root and those checks passed.</param>
/// <param name="SignerCertificateSha256">SHA-256 of the signing certificate, when it could be read.</param>
/// <param name="SignerWarning">Why the signer is not trusted when it was not checked (no pin, no root), else null.</param>
/// <param name="Checks">Every check, in order (<c>outcome</c> is <c>passed</c>, <c>failed</c> or <c>not_checked</c>).</param>
public sealed record BundleVerificationJson(
    string Bundle,
    bool Valid,
    bool SignerTrusted,
    string? SignerCertificateSha256,
    string? SignerWarning,
    ImmutableArray<VerificationCheck> Checks)
{
    /// <summary>The output for <paramref name="verification"/>.</summary>
    /// <param name="verification">The verification.</param>
    /// <param name="anySigner">
    /// Whether the caller accepted any signer (integrity only): then a bundle with no failed check is valid without a
    /// trusted signer. Otherwise it must have one.
    /// </param>
    public static BundleVerificationJson Of(BundleVerification verification, bool anySigner)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new(
            verification.Directory,
            anySigner ? verification.IsValid : verification.IsVerified,
            verification.SignerTrusted,
            verification.SignerCertificateSha256,
            SignerWarningOf(verification, anySigner),
            verification.Checks);
    }

    /// <summary>
    /// What to say about a signer that was not checked (no pin and no root given; null when one was): with
    /// <paramref name="anySigner"/>, that it is unverified and its fingerprint; without, that the bundle is not verified
    /// and how to check the signer.
    /// </summary>
    public static string? SignerWarningOf(BundleVerification verification, bool anySigner)
    {
        ArgumentNullException.ThrowIfNull(verification);
        if (verification.Trust != SignerTrust.NotChecked)
        {
            return null;
        }

        return anySigner
            ? Messages.BundleSignerUnverified(verification.SignerCertificateSha256)
            : Messages.BundleSignerNotChecked(verification.SignerCertificateSha256);
    }

    /// <summary>Indented JSON (<c>\n</c> line ends), without a final newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ReleaseJsonContext.Default.BundleVerificationJson);
}
