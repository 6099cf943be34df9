using System.Security.Cryptography;
using DPSynth.Budget;

namespace DPSynth.Release;

/// <summary>
/// The operator's secret key for <see cref="InputFingerprint"/>: 32 random bytes kept beside the budget ledger in
/// <c>&lt;ledger path&gt;.hmac-key</c> (64 hex characters and a newline), never in a bundle. Created once, then reused, so
/// the same input file gets the same fingerprint in every run of one deployment.
/// </summary>
/// <remarks>
/// The key file is <see cref="LedgerKey"/>'s (which also keys the ledger's anchored head). It is created atomically (a temporary file with mode 0600 on Unix, then a rename that never overwrites), so
/// two processes starting at once end up with the same key. A key file that is not exactly 64 hex characters is an
/// error (fail closed): silently making a new key would change every fingerprint. Losing the key only means new
/// fingerprints stop matching old ones; publishing it would turn fingerprints back into a membership oracle
/// (privacy-details.md section 8). The key bytes never leave this assembly; <see cref="ToString"/> shows the id only.
/// </remarks>
public sealed class FingerprintKey
{
    /// <summary>Domain separation: the key id is a hash of the key that no other part of the program computes.</summary>
    private static readonly byte[] KeyIdPrefix = "DPSynth input fingerprint key id v1\0"u8.ToArray();

    private readonly byte[] secret;

    private FingerprintKey(byte[] secret, string path, bool wasCreated)
    {
        this.secret = secret;
        Path = path;
        WasCreated = wasCreated;
        var prefixed = new byte[KeyIdPrefix.Length + secret.Length];
        KeyIdPrefix.CopyTo(prefixed, 0);
        secret.CopyTo(prefixed, KeyIdPrefix.Length);
        KeyId = Convert.ToHexStringLower(SHA256.HashData(prefixed))[..16];
        CryptographicOperations.ZeroMemory(prefixed);
    }

    /// <summary>The key file (absolute).</summary>
    public string Path { get; }

    /// <summary>
    /// The key's public id: the first 16 hex characters of SHA-256 over a domain-separation prefix and the key. Names
    /// the key in a manifest without revealing it.
    /// </summary>
    public string KeyId { get; }

    /// <summary>True when this call created the key file (a new deployment, or a lost key): worth telling the operator.</summary>
    public bool WasCreated { get; }

    /// <summary>The secret bytes, for <see cref="InputFingerprint"/> only.</summary>
    internal ReadOnlySpan<byte> Secret => secret;

    /// <summary>The key file of the ledger at <paramref name="ledgerPath"/>: <c>&lt;full ledger path&gt;.hmac-key</c>.</summary>
    public static string PathFor(string ledgerPath) => LedgerKey.PathFor(ledgerPath);

    /// <summary>
    /// Loads the key kept beside the ledger at <paramref name="ledgerPath"/>, creating it (once, atomically) if it does
    /// not exist. The ledger itself need not exist yet; its folder is created if missing.
    /// </summary>
    /// <exception cref="Diagnostics.InputException">The key file exists but is malformed.</exception>
    public static FingerprintKey LoadOrCreate(string ledgerPath)
    {
        var key = LedgerKey.LoadOrCreate(ledgerPath);
        return new FingerprintKey(key.Secret.ToArray(), key.Path, key.WasCreated);
    }

    /// <summary>Names the key by its id; never shows the key.</summary>
    public override string ToString() => $"fingerprint key {KeyId} ({Path})";
}
