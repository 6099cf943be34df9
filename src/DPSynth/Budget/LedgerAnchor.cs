using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Budget;

/// <summary>
/// The ledger's anchored head (docs/ledger.md#anchor): <c>&lt;ledger path&gt;.head</c>, one line with the number of
/// entries and the hash of the last one when the ledger was last written, and the hash of the entry a writer is about
/// to append (<see cref="Next"/>), MACed under a key derived from <see cref="LedgerKey"/>. The hash chain alone cannot
/// show that entries were cut from the end, that the file was replaced by an older copy, emptied, deleted, rewritten
/// with recomputed hashes, or that an entry was appended by hand; the anchor can, because a valid ledger must still hold
/// the anchored entry at the anchored position, and may hold at most one entry more: the one the anchor announced.
/// </summary>
/// <remarks>
/// Every writer first replaces the anchor with one that announces its entry (<see cref="Next"/>), then appends and
/// flushes the entry, then replaces the anchor with one at the new head (each replacement a temporary file renamed over
/// the anchor). A writer killed between the two replacements leaves the ledger one entry ahead of its anchor, and that
/// entry is the announced one: it is accepted, and the next write moves the anchor over it. Any other entry past the
/// anchor was written without the key (or the anchor was put back from an older copy) and is refused. An anchor written
/// before anchors announced entries (<see cref="LegacyFormat"/>) authenticates no entry past it; one entry past it is
/// accepted only when it could not raise what may be spent (<see cref="LedgerRemnant"/>). The anchor is as
/// secret-protected as the key beside it: someone who can read the key can forge it, which is why every bundle also
/// records its charge entry's hash, a copy the ledger's host cannot rewrite once published.
/// </remarks>
/// <param name="Entries">How many entries the ledger had.</param>
/// <param name="Head">The hash of the last of them (the genesis hash for none).</param>
/// <param name="Next">The hash of the entry a writer announced and is appending, or null when no write is under way.</param>
public sealed record LedgerAnchor(long Entries, string Head, string? Next = null)
{
    /// <summary>The <c>format</c> field written.</summary>
    public const string Format = "dpsynth-ledger-head/2";

    /// <summary>The <c>format</c> of anchors written before anchors announced the next entry (still read).</summary>
    public const string LegacyFormat = "dpsynth-ledger-head/1";

    private const string MacPurpose = "DPSynth ledger head MAC key v1";

    /// <summary>The anchor of an empty ledger (<c>dpsynth budget init</c> writes it).</summary>
    public static LedgerAnchor Empty { get; } = new(0, LedgerEntry.GenesisHash);

    /// <summary>
    /// True for an anchor read from a <see cref="LegacyFormat"/> file: it names no next entry, so it cannot authenticate
    /// an entry past it.
    /// </summary>
    public bool IsLegacy { get; private init; }

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
    /// position and at most one entry after it, which must be the entry this anchor announced (or, for a legacy anchor,
    /// one that cannot raise what may be spent); otherwise what is wrong.
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
        if (anchored != Head)
        {
            return Messages.LedgerAnchorMismatch(Entries, Head, anchored);
        }

        return (entries.Count - Entries) switch
        {
            0 => null,
            1 when IsLegacy => LedgerRemnant.Problem(entries),
            1 => entries[^1].Hash == Next ? null : Messages.LedgerEntryNotAnnounced(entries.Count),
            _ => Messages.LedgerEntriesPastAnchor(Entries, entries.Count),
        };
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
            var anchor = file.Format switch
            {
                Format => new LedgerAnchor(file.Entries, file.Head, file.Next),
                LegacyFormat when file.Next is null => new LedgerAnchor(file.Entries, file.Head) { IsLegacy = true },
                LegacyFormat => throw new FormatException($"{LegacyFormat} has no next entry"),
                _ => throw new FormatException($"unknown format (expected {Format})"),
            };
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

    /// <summary>
    /// Replaces the anchor file <paramref name="path"/> with this anchor, atomically, MACed under <paramref name="key"/>,
    /// always in <see cref="Format"/>.
    /// </summary>
    public void Write(string path, LedgerKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var current = this with { IsLegacy = false };
        var line = JsonSerializer.Serialize(
            new LedgerAnchorFile(Format, Entries, Head, current.Mac(key)) { Next = Next }, BudgetJsonContext.Default.LedgerAnchorFile);
        AtomicFile.WriteText(path, line + "\n");
    }

    // HMAC-SHA-256 under a key used for nothing else, over the format, the count, the head and (format 2) the announced
    // entry, so no field can change alone, and a legacy anchor cannot be passed off as one that announces nothing.
    private string Mac(LedgerKey key)
    {
        var message = IsLegacy
            ? string.Create(CultureInfo.InvariantCulture, $"{LegacyFormat}\n{Entries}\n{Head}")
            : string.Create(CultureInfo.InvariantCulture, $"{Format}\n{Entries}\n{Head}\n{Next}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Derive(MacPurpose), Encoding.ASCII.GetBytes(message)));
    }
}
