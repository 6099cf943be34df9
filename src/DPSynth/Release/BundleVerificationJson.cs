using System.Collections.Immutable;
using System.Text.Json;

namespace DPSynth.Release;

/// <summary>The <c>verify --json</c> output: the bundle, whether it verified, its signer and every check.</summary>
/// <param name="Bundle">The bundle folder (absolute).</param>
/// <param name="Valid">True when no check failed.</param>
/// <param name="SignerCertificateSha256">SHA-256 of the signing certificate, when it could be read.</param>
/// <param name="Checks">Every check, in order (<c>outcome</c> is <c>passed</c>, <c>failed</c> or <c>not_checked</c>).</param>
public sealed record BundleVerificationJson(
    string Bundle, bool Valid, string? SignerCertificateSha256, ImmutableArray<VerificationCheck> Checks)
{
    /// <summary>The output for <paramref name="verification"/>.</summary>
    public static BundleVerificationJson Of(BundleVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new(verification.Directory, verification.IsValid, verification.SignerCertificateSha256, verification.Checks);
    }

    /// <summary>Indented JSON (<c>\n</c> line ends), without a final newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ReleaseJsonContext.Default.BundleVerificationJson);
}
