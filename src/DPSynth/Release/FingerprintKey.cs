using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.Privacy.Sampling;

namespace DPSynth.Release;

/// <summary>
/// The operator's secret key for <see cref="InputFingerprint"/>: 32 random bytes kept beside the budget ledger in
/// <c>&lt;ledger path&gt;.hmac-key</c> (64 hex characters and a newline), never in a bundle. Created once, then reused, so
/// the same input file gets the same fingerprint in every run of one deployment.
/// </summary>
/// <remarks>
/// The key file is created atomically (a temporary file with mode 0600 on Unix, then a rename that never overwrites), so
/// two processes starting at once end up with the same key. A key file that is not exactly 64 hex characters is an
/// error (fail closed): silently making a new key would change every fingerprint. Losing the key only means new
/// fingerprints stop matching old ones; publishing it would turn fingerprints back into a membership oracle
/// (privacy-details.md section 8). The key bytes never leave this assembly; <see cref="ToString"/> shows the id only.
/// </remarks>
public sealed class FingerprintKey
{
    private const int KeyBytes = 32;

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
    public static string PathFor(string ledgerPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerPath);
        return System.IO.Path.GetFullPath(ledgerPath) + ".hmac-key";
    }

    /// <summary>
    /// Loads the key kept beside the ledger at <paramref name="ledgerPath"/>, creating it (once, atomically) if it does
    /// not exist. The ledger itself need not exist yet; its folder is created if missing.
    /// </summary>
    /// <exception cref="InputException">The key file exists but is malformed.</exception>
    public static FingerprintKey LoadOrCreate(string ledgerPath)
    {
        var path = PathFor(ledgerPath);
        if (File.Exists(path))
        {
            return Load(path);
        }

        var fresh = NewSecret();
        var text = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(fresh) + "\n");
        return NewFile.TryCreate(path, text, ownerOnly: true) ? new FingerprintKey(fresh, path, wasCreated: true) : Load(path);
    }

    /// <summary>Names the key by its id; never shows the key.</summary>
    public override string ToString() => $"fingerprint key {KeyId} ({Path})";

    private static byte[] NewSecret()
    {
        // CsprngBits is the program's one wrapper of the operating system's CSPRNG: the convention keeps every direct use
        // of the CSPRNG in Privacy/Sampling (docs/architecture.md), and key material needs exactly that source.
        var bits = new CsprngBits();
        var secret = new byte[KeyBytes];
        for (var i = 0; i < KeyBytes; i += sizeof(ulong))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(secret.AsSpan(i), bits.NextUInt64());
        }

        return secret;
    }

    private static FingerprintKey Load(string path)
    {
        // A key file is 64 hex characters and a line end; anything much longer is malformed and not worth reading.
        var text = new FileInfo(path).Length <= (2 * KeyBytes) + 2 ? Encoding.ASCII.GetString(File.ReadAllBytes(path)) : string.Empty;
        if (text.EndsWith('\n'))
        {
            text = text[..^(text.EndsWith("\r\n", StringComparison.Ordinal) ? 2 : 1)];
        }

        if (text.Length != 2 * KeyBytes || !text.All(char.IsAsciiHexDigit))
        {
            throw new InputException(Messages.FingerprintKeyMalformed(path));
        }

        return new FingerprintKey(Convert.FromHexString(text), path, wasCreated: false);
    }
}
