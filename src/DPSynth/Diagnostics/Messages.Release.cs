using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>
/// Messages of the release bundle: the fingerprint key, the manifest, signing, verification, and
/// <c>dpsynth keys create</c> / <c>dpsynth verify</c>. None quotes a private value or a password.
/// </summary>
public static partial class Messages
{
    // ---- fingerprint key ----

    /// <summary>The fingerprint key file exists but is not 64 hex characters (fail closed: never silently replaced).</summary>
    public static string FingerprintKeyMalformed(string path) =>
        $"the input-fingerprint key {path} is malformed (expected 64 hex characters and a newline); it is never replaced " +
        "automatically, because a new key changes every fingerprint: restore it from a backup, or delete it to start a new key";

    /// <summary>A key or certificate file could not be given its name (the file system refused the hard link).</summary>
    public static string NewFilePublishFailed(string path, string reason) =>
        $"could not create {path} ({reason}); nothing was overwritten";

    /// <summary>A folder holding a file just given its name could not be flushed to the disk.</summary>
    public static string FolderSyncFailed(string call, string folder, string reason) =>
        $"could not make the names in {folder} durable ({call}: {reason}); a power cut now could lose a file just written there";

    // ---- manifest ----

    /// <summary>A manifest to be written breaks rules of docs/release.md.</summary>
    public static string ManifestInvalid(IEnumerable<string> problems) =>
        "the manifest breaks rules of docs/release.md: " + string.Join("; ", problems);

    /// <summary>A manifest file that is not JSON.</summary>
    public const string ManifestNotJson = "not valid JSON (or not UTF-8)";

    /// <summary>A manifest of another format.</summary>
    public static string ManifestUnknownFormat(string found, string expected) =>
        $"unknown manifest format '{found}'; this version reads '{expected}'";

    /// <summary>A required key is missing.</summary>
    public const string ManifestMissingKey = "missing";

    /// <summary>A key this format does not have.</summary>
    public const string ManifestUnknownKey = "unknown key (this format has no such field)";

    /// <summary>A key given twice in one object (readers could disagree on which one counts).</summary>
    public const string ManifestDuplicateKey = "given twice";

    /// <summary>A value of the wrong JSON type.</summary>
    public static string ManifestWrongType(string expected) => $"must be {expected}";

    /// <summary>A time not in the manifest's UTC form.</summary>
    public const string ManifestBadTime = "must be a UTC time like 2026-01-31T12:00:00.0000000Z";

    /// <summary>An empty required text or list.</summary>
    public const string ManifestEmpty = "must not be empty";

    /// <summary>A value that must be one fixed text.</summary>
    public static string ManifestMustBe(string value) => $"must be '{value}'";

    /// <summary>A value that must be lower-case hex of a given length.</summary>
    public static string ManifestNotHex(int length) =>
        string.Create(CultureInfo.InvariantCulture, $"must be {length} lower-case hex characters");

    /// <summary>A file name with a folder, a separator or another unsafe character.</summary>
    public const string ManifestNotAFileName =
        "must be a plain file name (no folder, no separator, not starting with a dot, not manifest.json/manifest.p7s)";

    /// <summary>A file listed twice.</summary>
    public static string ManifestDuplicateFile(string name) => $"'{name}' is listed twice";

    /// <summary>A privacy cost that is negative or not finite.</summary>
    public const string ManifestNotACost = "must be a finite number >= 0";

    /// <summary>A value that must be positive.</summary>
    public const string ManifestNotPositive = "must be a finite number > 0";

    /// <summary>An integer below its minimum.</summary>
    public static string ManifestAtLeast(int minimum) => string.Create(CultureInfo.InvariantCulture, $"must be at least {minimum}");

    /// <summary>rho_exact is not p/q.</summary>
    public const string ManifestNotARational = "must be an exact rational p/q (non-negative integers, q > 0)";

    /// <summary>rho is not rho_exact rounded up.</summary>
    public const string ManifestRhoNotRoundedUp = "must be rho_exact rounded up to a double";

    /// <summary>delta outside (0, 1).</summary>
    public const string ManifestDeltaOutOfRange = "must be in (0, 1)";

    /// <summary>The audit gate's disclosure is missing.</summary>
    public const string ManifestGateDisclosureMissing =
        "must state that the audit gate's pass bit is released (ReleaseDisclosures.AuditGatePassBit): every bundle discloses it";

    // ---- signing ----

    /// <summary>A public certificate that cannot be read.</summary>
    public static string CertificateUnreadable(string path) => $"{path} is not a certificate (PEM or DER expected)";

    /// <summary>A signing certificate without its private key.</summary>
    public static string SigningNoPrivateKey(string subject) =>
        $"the signing certificate '{subject}' has no private key; give a PKCS#12 file with its key, or a PEM key with --key";

    /// <summary>An expired signing certificate.</summary>
    public static string SigningCertificateExpired(string subject, DateTime notAfter) =>
        string.Create(CultureInfo.InvariantCulture, $"the signing certificate '{subject}' expired on {notAfter:yyyy-MM-dd HH:mm:ss} UTC");

    /// <summary>A signing certificate that is not valid yet.</summary>
    public static string SigningCertificateNotYetValid(string subject, DateTime notBefore) =>
        string.Create(CultureInfo.InvariantCulture,
            $"the signing certificate '{subject}' is not valid before {notBefore:yyyy-MM-dd HH:mm:ss} UTC (check the clock)");

    /// <summary>A separate key given with a PKCS#12 file.</summary>
    public static string SigningKeyWithPkcs12(string path) =>
        $"{path} is a PKCS#12 file, which holds its own key; a separate key file is only for a PEM certificate";

    /// <summary>A file that is neither PEM nor PKCS#12.</summary>
    public static string SigningNotACertificate(string path) => $"{path} is neither a PEM certificate nor a PKCS#12 (.pfx/.p12) file";

    /// <summary>A password-protected file and no password.</summary>
    public static string SigningPasswordMissing(string path) => $"{path} is protected by a password, and none was given";

    /// <summary>A wrong password.</summary>
    public static string SigningWrongPassword(string path) => $"the password for {path} is wrong";

    /// <summary>A PKCS#12 file that opens with its password but cannot be loaded.</summary>
    public static string SigningUnreadable(string path, string detail) => $"cannot load {path}: {detail}";

    /// <summary>A PEM certificate without a key and no key file.</summary>
    public static string SigningPemWithoutKey(string path) =>
        $"the PEM certificate {path} has no private key; give the key file too";

    /// <summary>A key file that holds no private key.</summary>
    public static string SigningKeyFileWithoutKey(string path) => $"{path} holds no PEM private key";

    /// <summary>An encrypted key and no password.</summary>
    public static string SigningKeyNeedsPassword(string path) => $"the private key in {path} is encrypted, and no password was given";

    /// <summary>A key that does not belong to the certificate, or cannot be used with it.</summary>
    public static string SigningKeyMismatch(string certificate, string key, string detail) =>
        $"the private key in {key} cannot be used with the certificate {certificate} ({detail})";

    /// <summary><c>keys create</c> would replace a file.</summary>
    public static string KeysFileExists(string path) => $"{path} exists already; a signing key is never replaced (choose another --out)";

    // ---- bundle ----

    /// <summary>A bundle or file name that is not a safe plain name.</summary>
    public static string BundleUnsafeFileName(string? name) =>
        $"'{name}' is not a safe bundle file name (a plain name: no folder, no separator, not starting with a dot, " +
        "not manifest.json or manifest.p7s)";

    /// <summary>Two files with one name.</summary>
    public static string BundleDuplicateFileName(string name) =>
        $"the bundle has two files named '{name}' (names are compared ignoring case)";

    /// <summary>The bundle folder exists already.</summary>
    public static string BundleExists(string path) => $"the bundle {path} exists already; a release is never overwritten";

    /// <summary>Refusal to sign a manifest made with insecure noise.</summary>
    public const string BundleInsecureNoise =
        "refusing to sign: this run used insecure, reproducible test noise (NOT PRIVATE); such output is never released";

    /// <summary>A bundle without a file every bundle must hold.</summary>
    public static string BundleRequiredFilesMissing(IEnumerable<string> required, IEnumerable<string> missing) =>
        $"a release bundle must hold {string.Join(" and ", required)}; missing: {string.Join(", ", missing)}";

    /// <summary>The bundle folder to verify does not exist.</summary>
    public static string BundleNotFound(string path) => $"no bundle folder at {path}";

    // ---- verification checks ----

    /// <summary>Check name: a fixed file is present.</summary>
    public static string CheckPresent(string name) => $"{name} present";

    /// <summary>Check detail: found.</summary>
    public const string CheckFound = "found";

    /// <summary>Check detail: missing.</summary>
    public const string CheckMissing = "missing";

    /// <summary>Check name: the manifest is well-formed.</summary>
    public const string CheckManifestWellFormed = "manifest well-formed";

    /// <summary>Check detail: the manifest's format and run.</summary>
    public static string CheckManifestFormat(string format, string runId) => $"{format}, run {runId}";

    /// <summary>Check detail: nothing to check without a manifest.</summary>
    public const string CheckNoManifest = "not checked: no readable manifest";

    /// <summary>Check name: the manifest is not marked insecure.</summary>
    public const string CheckSecureNoise = "privacy noise secure";

    /// <summary>Check detail: marked insecure.</summary>
    public const string CheckInsecureNoise =
        "the manifest says the noise came from an insecure seeded source (privacy.insecure_noise): NOT PRIVATE";

    /// <summary>Check detail: not marked insecure.</summary>
    public const string CheckNoInsecureNoise = "privacy.insecure_noise is false";

    /// <summary>Check name: the signature.</summary>
    public const string CheckSignature = "signature over manifest.json";

    /// <summary>Check detail: a file is missing, so nothing is signed.</summary>
    public const string CheckSignatureNothingToCheck = "cannot be checked: manifest.json or manifest.p7s is missing";

    /// <summary>Check detail: not CMS.</summary>
    public const string CheckSignatureNotCms = "manifest.p7s is not a CMS (PKCS#7) signature";

    /// <summary>Check detail: the signature carries content of its own.</summary>
    public const string CheckSignatureNotDetached = "manifest.p7s embeds content of its own instead of signing manifest.json";

    /// <summary>Check detail: not exactly one signer.</summary>
    public static string CheckSignatureSignerCount(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"manifest.p7s has {count} signers; exactly one is expected");

    /// <summary>Check detail: the signer's certificate is not included.</summary>
    public const string CheckSignatureNoCertificate = "manifest.p7s does not include its signer's certificate";

    /// <summary>Check detail: a digest other than SHA-2.</summary>
    public static string CheckSignatureWeakDigest(string? oid) => $"the signature uses digest {oid}; SHA-256, -384 or -512 is required";

    /// <summary>Check detail: the signature does not match the manifest's bytes.</summary>
    public const string CheckSignatureMismatch =
        "the signature does not match manifest.json's bytes (the manifest or the signature was changed)";

    /// <summary>Check detail: a valid signature.</summary>
    public static string CheckSignatureValid(string subject, DateTime? signingTime) =>
        signingTime is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"valid, signed by '{subject}' at {t:yyyy-MM-dd HH:mm:ss} UTC")
            : $"valid, signed by '{subject}' (no signing time)";

    /// <summary>Check name: the signer is the certificate the manifest names.</summary>
    public const string CheckSignerNamed = "signer is the manifest's signer.certificate_sha256";

    /// <summary>Check detail: needs both the manifest and a valid signature.</summary>
    public const string CheckNeedsManifestAndSignature = "not checked: needs a readable manifest and a valid signature";

    /// <summary>Check detail: another certificate signed.</summary>
    public static string CheckSignerDiffers(string found, string expected) =>
        $"signed by certificate {found}, expected {expected} (re-signed by someone else?)";

    /// <summary>Check name: the pinned certificate.</summary>
    public const string CheckSignerPinned = "signer is the pinned certificate";

    /// <summary>Check detail: no pin given.</summary>
    public const string CheckNoPin =
        "not checked: no --certificate given; anyone can re-sign a changed bundle with their own key unless you pin the signer " +
        "or give --trusted-root";

    /// <summary>Check detail: a pin or root was given, but there is no verified signer.</summary>
    public const string CheckNoSignerToCompare = "no verified signer to compare (see the signature check)";

    /// <summary>Check name: the chain to the trusted root.</summary>
    public const string CheckChain = "chain to the trusted root";

    /// <summary>Check detail: no root given.</summary>
    public const string CheckNoRoot = "not checked: no --trusted-root given";

    /// <summary>Check detail: the chain builds.</summary>
    public static string CheckChainBuilt(string root, DateTime at) =>
        string.Create(CultureInfo.InvariantCulture,
            $"builds to '{root}' at the signing time {at:yyyy-MM-dd HH:mm:ss} UTC (no revocation check, nothing downloaded)");

    /// <summary>Check detail: the chain does not build.</summary>
    public static string CheckChainBroken(string root, string reasons) =>
        $"does not build to '{root}'" + (reasons.Length > 0 ? $": {reasons}" : string.Empty);

    /// <summary>Check name: the listed files (when they cannot be checked).</summary>
    public const string CheckFiles = "listed files";

    /// <summary>Check name: one listed file.</summary>
    public static string CheckFile(string name) => $"file {name}";

    /// <summary>Check detail: a file of another size.</summary>
    public static string CheckFileSize(long found, long expected) =>
        string.Create(CultureInfo.InvariantCulture, $"{found} bytes, the manifest says {expected}");

    /// <summary>Check detail: a file with another hash.</summary>
    public static string CheckFileHash(string found, string expected) => $"SHA-256 {found}, the manifest says {expected}";

    /// <summary>Check detail: a file that matches.</summary>
    public static string CheckFileMatches(long bytes, string sha256) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes, SHA-256 {sha256}");

    /// <summary>Check name: an entry the manifest does not list.</summary>
    public static string CheckUnlisted(string name) => $"unlisted {name}";

    /// <summary>Check detail: an unlisted entry.</summary>
    public const string CheckUnlistedDetail = "in the bundle folder but not in the manifest (added after signing?)";

    /// <summary>Check name: the manifest lists every file a bundle must hold.</summary>
    public const string CheckRequiredFiles = "required files listed";

    /// <summary>Check detail: every required file is listed.</summary>
    public static string CheckRequiredFilesListed(IEnumerable<string> names) => $"the manifest lists {string.Join(" and ", names)}";

    /// <summary>Check detail: required files the manifest does not list.</summary>
    public static string CheckRequiredFilesNotListed(IEnumerable<string> names) =>
        $"the manifest does not list {string.Join(", ", names)}, which every bundle must hold";

    /// <summary>Check name: nothing unlisted.</summary>
    public const string CheckNoUnlisted = "no unlisted files";

    /// <summary>Check detail: nothing unlisted.</summary>
    public static string CheckNoUnlistedDetail(int listed) =>
        string.Create(CultureInfo.InvariantCulture, $"the folder holds the manifest, its signature and the {listed} listed files only");

    // ---- command line ----

    /// <summary>A bundle that verifies.</summary>
    public static string BundleVerified(string path) => $"bundle OK: {path}";

    /// <summary>A bundle whose files match whoever signed it, accepted with <c>--any-signer</c>: the signer is not verified.</summary>
    public static string BundleIntegrityOnly(string path) => $"bundle files OK, SIGNER UNVERIFIED (--any-signer): {path}";

    /// <summary>
    /// <c>verify</c> without <c>--certificate</c>, <c>--trusted-root</c> or <c>--any-signer</c>: not verified, and how
    /// to check the signer.
    /// </summary>
    public static string BundleSignerNotChecked(string? signerSha256) =>
        $"the signer was NOT checked (no --certificate or --trusted-root): the files match the signature of certificate SHA-256 " +
        $"{signerSha256 ?? "(none)"}, but anyone can change a bundle and re-sign it with their own key. Check who signed: " +
        "--certificate PEM pins the expected signer's certificate, --trusted-root PEM requires its chain to build to your " +
        "root. --any-signer checks only that the files match the signature of whoever signed (the signer stays unverified)";

    /// <summary>The signer of a bundle accepted with <c>--any-signer</c>: unverified, with its fingerprint.</summary>
    public static string BundleSignerUnverified(string? signerSha256) =>
        $"WARNING: SIGNER UNVERIFIED (--any-signer): the files match the signature of certificate SHA-256 " +
        $"{signerSha256 ?? "(none)"}, whoever holds its key; anyone can change a bundle and re-sign it with their own key. " +
        "Compare this fingerprint with the expected signer's through another channel, or verify with --certificate PEM " +
        "or --trusted-root PEM";

    /// <summary><c>--any-signer</c> together with a pin or a root.</summary>
    public const string AnySignerWithTrust =
        "--any-signer cannot be combined with --certificate or --trusted-root: it accepts any signer, they check a " +
        "particular one. Drop --any-signer to check the signer, or drop the others to check the files only";

    /// <summary>A bundle whose checks passed but whose signer was not checked (no pin, no root, no --any-signer).</summary>
    public static string BundleNotVerifiedSigner(string path, string why) => $"the bundle {path} is not verified: {why}";

    /// <summary>A bundle that does not verify.</summary>
    public static string BundleNotVerified(string path, int problems) =>
        string.Create(CultureInfo.InvariantCulture, $"the bundle {path} does not verify ({problems} problem{(problems == 1 ? "" : "s")})");

    /// <summary>The environment variable named by --password-env is not set.</summary>
    public static string PasswordVariableUnset(string variable) =>
        $"the environment variable {variable} (--password-env) is not set or is empty";

    /// <summary><c>keys create</c> made a certificate.</summary>
    public static string KeysCreated(string pfx, string certificate, string sha256) =>
        $"wrote {pfx} (certificate and private key) and {certificate} (public certificate); certificate SHA-256 {sha256}";

    /// <summary>Warning after <c>keys create</c>: a test certificate only.</summary>
    public const string KeysTestOnly =
        "warning: this is a self-signed TEST certificate (NOT FOR PRODUCTION); reviewers can pin it with " +
        "'dpsynth verify --certificate signing.crt.pem', but only trust it as far as they trust how they received that file";

    /// <summary>Warning after <c>keys create</c> without a password.</summary>
    public static string KeysUnencrypted(string pfx) =>
        $"warning: {pfx} is not encrypted (no --password-env); only its file permissions protect the private key";
}
