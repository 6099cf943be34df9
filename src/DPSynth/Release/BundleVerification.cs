using System.Collections.Immutable;

namespace DPSynth.Release;

/// <summary>The outcome of <see cref="BundleVerifier.Verify"/>: every check made, in order, passed or not.</summary>
/// <param name="Directory">The bundle folder (absolute).</param>
/// <param name="Checks">Every check, in the order made; a failed one says what is wrong.</param>
/// <param name="Manifest">The manifest when it could be read (even if other checks failed), else null.</param>
/// <param name="SignerCertificateSha256">SHA-256 of the certificate in <c>manifest.p7s</c>, when it could be read, else null.</param>
/// <param name="Trust">
/// Whether the signer is the expected one: checked against the pinned certificate and the trusted root given, or not
/// checked because neither was given.
/// </param>
public sealed record BundleVerification(
    string Directory,
    ImmutableArray<VerificationCheck> Checks,
    ReleaseManifest? Manifest,
    string? SignerCertificateSha256,
    SignerTrust Trust)
{
    /// <summary>
    /// True when a pinned certificate or a trusted root was given and every such check passed: the bundle says who signed
    /// it. False when neither was given (the signer was not checked) or one failed.
    /// </summary>
    public bool SignerTrusted => Trust == SignerTrust.Trusted;

    /// <summary>
    /// True when no check failed: the files match a manifest signed by the certificate in <c>manifest.p7s</c>. Checks
    /// that were not made, for want of a root or a pin, do not count, so on its own this says nothing about who signed:
    /// anyone can change a bundle and re-sign it with their own key. See <see cref="IsVerified"/>.
    /// </summary>
    public bool IsValid => Checks.All(c => c.Outcome != CheckOutcome.Failed);

    /// <summary>
    /// True when no check failed and the signer is trusted (<see cref="SignerTrusted"/>): the files are what the
    /// expected signer signed. What <c>dpsynth verify</c> requires unless told <c>--any-signer</c>.
    /// </summary>
    public bool IsVerified => IsValid && SignerTrusted;

    /// <summary>The failed checks.</summary>
    public IEnumerable<VerificationCheck> Problems => Checks.Where(c => c.Outcome == CheckOutcome.Failed);
}

/// <summary>What a <see cref="BundleVerification"/> says about who signed the bundle.</summary>
public enum SignerTrust
{
    /// <summary>
    /// Neither a pinned certificate nor a trusted root was given: the signature shows only that the files match whoever
    /// signed, and anyone can re-sign a changed bundle with their own key.
    /// </summary>
    NotChecked,

    /// <summary>A pinned certificate or a trusted root (or both) was given, and every one given passed.</summary>
    Trusted,

    /// <summary>A pinned certificate or a trusted root was given, and the signer did not match it (a failed check).</summary>
    Untrusted,
}

/// <summary>One check of a bundle verification.</summary>
/// <param name="Name">What was checked (<c>signature</c>, <c>file synthetic.csv</c>...).</param>
/// <param name="Outcome">Passed, failed, or not checked.</param>
/// <param name="Detail">What was found: the reason of a failure, or why a check was not made.</param>
public sealed record VerificationCheck(string Name, CheckOutcome Outcome, string Detail);

/// <summary>The outcome of one <see cref="VerificationCheck"/>.</summary>
public enum CheckOutcome
{
    /// <summary>The check passed.</summary>
    Passed,

    /// <summary>The check failed: the bundle does not verify.</summary>
    Failed,

    /// <summary>
    /// The check was not made: its input was not given (no trusted root, no pinned certificate) or an earlier failure
    /// left nothing to check. Verification can still succeed; the detail says what that means.
    /// </summary>
    NotChecked,
}
