using DPSynth.Budget;
using DPSynth.Diagnostics;

namespace DPSynth.Release;

/// <summary>
/// Checks a ledger against the releases already published from it (docs/ledger.md#anchor). Every bundle's manifest
/// records the hash of the ledger entry that charged it (<c>ledger.charge_entry_hash</c>), a copy of the ledger's head
/// that left the ledger's host when the bundle was published. A ledger that no longer holds that entry was rolled back,
/// replaced or emptied, or is not the ledger this dataset's releases were charged to; it is refused before any charge.
/// </summary>
public static class ReleasedCharges
{
    // A manifest carries the public schema in full, so it is not tiny; anything past this is not a manifest.
    private const long MaxManifestBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Throws unless every bundle in <paramref name="releaseFolder"/> (each folder holding a manifest; hidden folders,
    /// which are unfinished writes, are skipped) of dataset <paramref name="datasetId"/> (every dataset when null) was
    /// charged to an entry that <paramref name="ledger"/> holds. A missing folder has no releases.
    /// </summary>
    /// <exception cref="BudgetRefusedException">A bundle's charge is not in the ledger, or a manifest cannot be read.</exception>
    public static void RequireInLedger(string releaseFolder, string? datasetId, LedgerVerification ledger)
    {
        ArgumentNullException.ThrowIfNull(releaseFolder);
        ArgumentNullException.ThrowIfNull(ledger);
        if (!Directory.Exists(releaseFolder))
        {
            return;
        }

        var hashes = ledger.Entries.Where(e => e.Kind == LedgerEntryKind.Charge).Select(e => e.Hash).ToHashSet(StringComparer.Ordinal);
        foreach (var bundle in Directory.EnumerateDirectories(releaseFolder).Order(StringComparer.Ordinal))
        {
            var manifestPath = Path.Combine(bundle, BundleLayout.ManifestFileName);
            if (Path.GetFileName(bundle).StartsWith('.') || !File.Exists(manifestPath))
            {
                continue;
            }

            var manifest = Read(bundle, manifestPath);
            if ((datasetId is null || manifest.Dataset.Id == datasetId) && !hashes.Contains(manifest.Ledger.ChargeEntryHash))
            {
                throw new BudgetRefusedException(Messages.LedgerMissesBundleCharge(bundle, manifest.Ledger.ChargeEntryHash));
            }
        }
    }

    private static ReleaseManifest Read(string bundle, string manifestPath)
    {
        var info = new FileInfo(manifestPath);
        if (info.Length > MaxManifestBytes)
        {
            throw new BudgetRefusedException(Messages.LedgerBundleUnreadable(bundle, "the manifest is too large"));
        }

        var loaded = ManifestJson.Read(File.ReadAllBytes(manifestPath), manifestPath);
        return loaded.Succeeded
            ? loaded.GetValueOrThrow()
            : throw new BudgetRefusedException(Messages.LedgerBundleUnreadable(bundle, loaded.Diagnostics[0].ToString()));
    }
}
