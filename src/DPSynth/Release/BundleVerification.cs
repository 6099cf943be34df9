using System.Collections.Immutable;

namespace DPSynth.Release;

/// <summary>The outcome of <see cref="BundleVerifier.Verify"/>: every check made, in order, passed or not.</summary>
/// <param name="Directory">The bundle folder (absolute).</param>
/// <param name="Checks">Every check, in the order made; a failed one says what is wrong.</param>
/// <param name="Manifest">The manifest when it could be read (even if other checks failed), else null.</param>
/// <param name="SignerCertificateSha256">SHA-256 of the certificate in <c>manifest.p7s</c>, when it could be read, else null.</param>
public sealed record BundleVerification(
    string Directory, ImmutableArray<VerificationCheck> Checks, ReleaseManifest? Manifest, string? SignerCertificateSha256)
{
    /// <summary>True when no check failed (checks that were not made, for want of a root or a pin, do not count).</summary>
    public bool IsValid => Checks.All(c => c.Outcome != CheckOutcome.Failed);

    /// <summary>The failed checks.</summary>
    public IEnumerable<VerificationCheck> Problems => Checks.Where(c => c.Outcome == CheckOutcome.Failed);
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
