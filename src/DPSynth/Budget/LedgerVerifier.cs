using DPSynth.Diagnostics;
using DPSynth.Privacy;

namespace DPSynth.Budget;

/// <summary>
/// Checks a ledger's bytes (docs/ledger.md#verification): every line ends with a newline (else the last line is torn),
/// parses, is byte-for-byte canonical, carries the hash of its content, has the next sequence number and links to the
/// hash of the entry before; a cap's rho is the tight conversion of its (epsilon, delta), and a cap that raises its
/// dataset's cap in force carries a reason (only <c>budget cap --raise-cap --reason</c> writes one). This catches an
/// edited entry, a deleted, inserted or reordered entry, a cap raised by hand and a torn last line.
/// Dropping entries from the end (a rollback) needs the head hash kept elsewhere: see <see cref="VerifyHead"/>.
/// </summary>
public static class LedgerVerifier
{
    /// <summary>Verifies ledger content; stops at the first problem.</summary>
    public static LedgerVerification Verify(ReadOnlySpan<byte> content)
    {
        var entries = new List<LedgerEntry>();
        var previous = LedgerEntry.GenesisHash;
        var caps = new Dictionary<string, double>(StringComparer.Ordinal);
        long lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var end = content.IndexOf((byte)'\n');
            if (end < 0)
            {
                return new LedgerVerification(entries, Messages.LedgerTornLine(lineNumber));
            }

            var line = content[..end];
            content = content[(end + 1)..];
            LedgerEntry entry;
            try
            {
                entry = LedgerEntry.Parse(line);
            }
            catch (FormatException ex)
            {
                return new LedgerVerification(entries, Messages.LedgerMalformedLine(lineNumber, ex.Message));
            }

            string? problem = null;
            if (entry.ComputeHash() != entry.Hash)
            {
                problem = Messages.LedgerHashMismatch(lineNumber);
            }
            else if (!line.SequenceEqual(entry.ToLine()))
            {
                problem = Messages.LedgerNotCanonical(lineNumber);
            }
            else if (entry.Sequence != lineNumber)
            {
                problem = Messages.LedgerSequenceGap(lineNumber, lineNumber, entry.Sequence);
            }
            else if (entry.PreviousHash != previous)
            {
                problem = Messages.LedgerChainBroken(lineNumber);
            }
            else if (entry.Kind == LedgerEntryKind.Cap && !CapRhoMatches(entry))
            {
                problem = Messages.LedgerCapRhoMismatch(lineNumber, entry.Rho, entry.Epsilon, entry.Delta);
            }
            else if (entry.Kind == LedgerEntryKind.Cap && entry.Reason is null
                && caps.TryGetValue(entry.DatasetId, out var inForce) && entry.Rho > inForce)
            {
                // The same test SetCap applies before it refuses a raise without --raise-cap --reason.
                problem = Messages.LedgerCapRaisedWithoutReason(lineNumber, entry.DatasetId, inForce, entry.Rho);
            }

            if (problem is not null)
            {
                return new LedgerVerification(entries, problem);
            }

            entries.Add(entry);
            previous = entry.Hash;
            if (entry.Kind == LedgerEntryKind.Cap)
            {
                caps[entry.DatasetId] = entry.Rho;
            }
        }

        return new LedgerVerification(entries, null);
    }

    // The cap that is enforced is its rho; the cap a reviewer reads is its (epsilon, delta). They must be the same cap:
    // rho is the tight conversion of (epsilon, delta) rounded down to a double, exactly as SetCap stores it.
    private static bool CapRhoMatches(LedgerEntry cap)
    {
        try
        {
            return LedgerCap.StoredRho(new ApproxDp(cap.Epsilon, cap.Delta)) == cap.Rho;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // not a guarantee at all (entries are validated on parsing; this is belt and braces)
        }
    }

    /// <summary>
    /// Checks a verified ledger against a head hash kept elsewhere: null when the head is that hash, or when that
    /// hash is an earlier entry (the ledger grew since); otherwise the problem (rolled back or a different ledger).
    /// </summary>
    public static string? VerifyHead(LedgerVerification verification, string expectedHead)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var expected = expectedHead.Trim().ToLowerInvariant();
        if (expected == verification.HeadHash || verification.Entries.Any(e => e.Hash == expected))
        {
            return null;
        }

        return Messages.LedgerHeadMissing(expected);
    }
}
