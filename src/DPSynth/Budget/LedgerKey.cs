using System.Security.Cryptography;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Privacy.Sampling;

namespace DPSynth.Budget;

/// <summary>
/// The operator's secret beside a budget ledger: 32 random bytes in <c>&lt;ledger path&gt;.hmac-key</c> (64 hex
/// characters and a newline), never in a bundle. It keys the input fingerprint (<c>Release.FingerprintKey</c>) and,
/// through a derived key, the MAC of the ledger's anchored head (<see cref="LedgerAnchor"/>).
/// </summary>
/// <remarks>
/// The file is created atomically (a temporary file with mode 0600 on Unix, then a publish that never overwrites), so
/// two processes starting at once end up with the same key. A file that is not exactly 64 hex characters is an error
/// (fail closed): silently making a new key would change every fingerprint and orphan the anchored head.
/// </remarks>
public sealed class LedgerKey
{
    private const int KeyBytes = 32;

    private readonly byte[] secret;

    private LedgerKey(byte[] secret, string path, bool wasCreated)
    {
        this.secret = secret;
        Path = path;
        WasCreated = wasCreated;
    }

    /// <summary>The key file (absolute).</summary>
    public string Path { get; }

    /// <summary>True when this call created the key file.</summary>
    public bool WasCreated { get; }

    /// <summary>The secret bytes; never leave this assembly.</summary>
    internal ReadOnlySpan<byte> Secret => secret;

    /// <summary>
    /// The key file of the ledger at <paramref name="ledgerPath"/>: <c>&lt;real ledger path&gt;.hmac-key</c>, links
    /// followed, so every path to one ledger finds the same key.
    /// </summary>
    public static string PathFor(string ledgerPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerPath);
        return BudgetLedger.RealPath(ledgerPath) + ".hmac-key";
    }

    /// <summary>Loads the key of the ledger at <paramref name="ledgerPath"/>, creating it (once, atomically) if missing.</summary>
    /// <exception cref="InputException">The key file exists but is malformed.</exception>
    public static LedgerKey LoadOrCreate(string ledgerPath)
    {
        var path = PathFor(ledgerPath);
        if (File.Exists(path))
        {
            return Load(path);
        }

        var fresh = CsprngBits.SecretBytes(KeyBytes);
        var text = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(fresh) + "\n");
        return NewFile.TryCreate(path, text, ownerOnly: true) ? new LedgerKey(fresh, path, wasCreated: true) : Load(path);
    }

    /// <summary>Loads the key of the ledger at <paramref name="ledgerPath"/>, or null when its file does not exist.</summary>
    /// <exception cref="InputException">The key file exists but is malformed.</exception>
    public static LedgerKey? TryLoad(string ledgerPath)
    {
        var path = PathFor(ledgerPath);
        return File.Exists(path) ? Load(path) : null;
    }

    /// <summary>
    /// A key for one purpose only, derived by HKDF-SHA-256 with the purpose as salt. Its extract step is an HMAC keyed
    /// by the purpose over the secret, never an HMAC keyed by the secret, so no input file's fingerprint (an HMAC keyed
    /// by the secret over the file's bytes, published in manifests) can ever equal a derived key.
    /// </summary>
    internal byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyBytes, Encoding.UTF8.GetBytes(purpose), []);

    private static LedgerKey Load(string path)
    {
        // A key file is 64 hex characters and a line end; anything much longer (or not a file at all) is malformed.
        var info = new FileInfo(path);
        var text = RegularFile.NonRegularKind(path) is not null || info.Length > (2 * KeyBytes) + 2
            ? string.Empty
            : Encoding.ASCII.GetString(File.ReadAllBytes(path));
        if (text.EndsWith('\n'))
        {
            text = text[..^(text.EndsWith("\r\n", StringComparison.Ordinal) ? 2 : 1)];
        }

        if (text.Length != 2 * KeyBytes || !text.All(char.IsAsciiHexDigit))
        {
            throw new InputException(Messages.FingerprintKeyMalformed(path));
        }

        return new LedgerKey(Convert.FromHexString(text), path, wasCreated: false);
    }
}
