using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Budget;

/// <summary>
/// The ledger's anchored head (docs/ledger.md#anchor): <c>&lt;ledger path&gt;.head</c>, one line with the number of
/// entries and the hash of the last one when the ledger was last written, MACed under a key derived from
/// <see cref="LedgerKey"/>. The hash chain alone cannot show that entries were cut from the end, that the file was
/// replaced by an older copy, emptied, deleted, or rewritten with recomputed hashes; the anchor can, because a valid
/// ledger must still hold the anchored entry at the anchored position.
/// </summary>
/// <remarks>
/// Every writer appends its entry and flushes it, then replaces the anchor (a temporary file renamed over it). A writer
/// killed between the two leaves the ledger one entry ahead of its anchor; that is accepted (the ledger only grew) and
/// the next write moves the anchor on. The anchor is as secret-protected as the key beside it: someone who can read the
/// key can forge it, which is why every bundle also records its charge entry's hash, a copy the ledger's host cannot
/// rewrite once published.
/// </remarks>
/// <param name="Entries">How many entries the ledger had.</param>
/// <param name="Head">The hash of the last of them (the genesis hash for none).</param>
public sealed record LedgerAnchor(long Entries, string Head)
{
    /// <summary>The <c>format</c> field.</summary>
    public const string Format = "dpsynth-ledger-head/1";

    private const string MacPurpose = "DPSynth ledger head MAC key v1";

    /// <summary>The anchor of an empty ledger (<c>dpsynth budget init</c> writes it).</summary>
    public static LedgerAnchor Empty { get; } = new(0, LedgerEntry.GenesisHash);

    /// <summary>The anchor file of the ledger at <paramref name="ledgerPath"/>: <c>&lt;real ledger path&gt;.head</c> (links followed).</summary>
    public static string PathFor(string ledgerPath) => BudgetLedger.RealPath(ledgerPath) + ".head";

    /// <summary>The anchor of a verified ledger's current state.</summary>
    public static LedgerAnchor Of(LedgerVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new(verification.Entries.Count, verification.HeadHash);
    }

    /// <summary>
    /// Checks a verified ledger against this anchor: null when the ledger still holds the anchored entry at the anchored
    /// position (it may have grown since), otherwise what is wrong.
    /// </summary>
    public string? Check(LedgerVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var entries = verification.Entries;
        if (entries.Count < Entries)
        {
            return Messages.LedgerShorterThanAnchor(Entries, Head, entries.Count);
        }

        var anchored = Entries == 0 ? LedgerEntry.GenesisHash : entries[(int)(Entries - 1)].Hash;
        return anchored == Head ? null : Messages.LedgerAnchorMismatch(Entries, Head, anchored);
    }

    /// <summary>Reads and authenticates the anchor file <paramref name="path"/> under <paramref name="key"/>.</summary>
    /// <exception cref="FormatException">The file is malformed, or its MAC does not match (forged or another key's).</exception>
    public static LedgerAnchor Read(string path, LedgerKey key)
    {
        ArgumentNullException.ThrowIfNull(key);

        // An anchor is one short line; anything longer is not one (and a device file is never read to the end).
        var info = new FileInfo(path);
        if (!info.Exists || info.Attributes.HasFlag(FileAttributes.Directory) || info.Length > 512)
        {
            throw new FormatException("not an anchor file (missing, a folder, or too long)");
        }

        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(path), BudgetJsonContext.Default.LedgerAnchorFile)
                ?? throw new FormatException("the anchor is null");
            if (file.Format != Format)
            {
                throw new FormatException($"unknown format (expected {Format})");
            }

            var anchor = new LedgerAnchor(file.Entries, file.Head);
            if (anchor.Entries < 0 || !CryptographicOperations.FixedTimeEquals(
                    Encoding.ASCII.GetBytes(file.Mac), Encoding.ASCII.GetBytes(anchor.Mac(key))))
            {
                throw new FormatException("its MAC does not match (edited, or made under another key)");
            }

            return anchor;
        }
        catch (JsonException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    /// <summary>Replaces the anchor file <paramref name="path"/> with this anchor, atomically, MACed under <paramref name="key"/>.</summary>
    public void Write(string path, LedgerKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var line = JsonSerializer.Serialize(new LedgerAnchorFile(Format, Entries, Head, Mac(key)), BudgetJsonContext.Default.LedgerAnchorFile);
        AtomicFile.WriteText(path, line + "\n");
    }

    // HMAC-SHA-256 under a key used for nothing else, over the format, the count and the head, so no field can change alone.
    private string Mac(LedgerKey key)
    {
        var message = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Format}\n{Entries}\n{Head}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Derive(MacPurpose), message));
    }
}
