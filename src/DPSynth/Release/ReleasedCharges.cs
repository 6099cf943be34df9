using DPSynth.Budget;
using DPSynth.Diagnostics;

namespace DPSynth.Release;

/// <summary>
/// The charges a release folder's bundles record, to check a ledger against (docs/ledger.md#bundles). Every bundle's
/// manifest records the hash of the ledger entry that charged it (<c>ledger.charge_entry_hash</c>), a copy of the
/// ledger's history that left the ledger's host when the bundle was published. A ledger that no longer holds that entry
/// was rolled back, replaced or emptied, or is not the ledger this dataset's releases were charged to.
/// </summary>
/// <remarks>
/// Read the bundles first, then the ledger: a run that charges and publishes in between then adds a bundle this list
/// does not have, never a bundle whose charge the ledger read too early to hold.
/// </remarks>
public sealed class ReleasedCharges
{
    // A manifest carries the public schema in full, so it is not tiny; anything past this is not a manifest.
    private const long MaxManifestBytes = 64L * 1024 * 1024;

    private readonly List<(string Bundle, string DatasetId, string ChargeEntryHash)> bundles;

    private ReleasedCharges(List<(string, string, string)> bundles) => this.bundles = bundles;

    /// <summary>
    /// Reads every bundle in <paramref name="releaseFolder"/>: each folder holding a manifest; hidden folders, which are
    /// unfinished writes, are skipped. A missing folder has no bundles.
    /// </summary>
    /// <exception cref="BudgetRefusedException">A manifest cannot be read, so nothing can be checked against it.</exception>
    public static ReleasedCharges In(string releaseFolder)
    {
        ArgumentNullException.ThrowIfNull(releaseFolder);
        var found = new List<(string, string, string)>();
        if (Directory.Exists(releaseFolder))
        {
            foreach (var bundle in Directory.EnumerateDirectories(releaseFolder).Order(StringComparer.Ordinal))
            {
                var manifestPath = Path.Combine(bundle, BundleLayout.ManifestFileName);
                if (!Path.GetFileName(bundle).StartsWith('.') && File.Exists(manifestPath))
                {
                    var manifest = Read(bundle, manifestPath);
                    found.Add((bundle, manifest.Dataset.Id, manifest.Ledger.ChargeEntryHash));
                }
            }
        }

        return new ReleasedCharges(found);
    }

    /// <summary>
    /// The bundles read. Only their manifests were read: their signatures and signers are not checked here
    /// (<see cref="BundleVerifier"/> does that).
    /// </summary>
    public int Count => bundles.Count;

    /// <summary>
    /// Throws unless <paramref name="ledger"/> holds the charge entry of every bundle of <paramref name="datasetId"/>
    /// (compared ignoring case, as the ledger refuses case variants; every dataset when null). A ledger that never
    /// existed (<see cref="LedgerVerification.Uninitialized"/>) must have no bundle at all beside it, of any dataset:
    /// a new ledger is never started beside releases.
    /// </summary>
    /// <exception cref="BudgetRefusedException">A bundle's charge is not in the ledger.</exception>
    public void RequireIn(LedgerVerification ledger, string? datasetId)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var hashes = ledger.Entries.Where(e => e.Kind == LedgerEntryKind.Charge).Select(e => e.Hash).ToHashSet(StringComparer.Ordinal);
        foreach (var (bundle, id, hash) in bundles)
        {
            var ofDataset = ledger.Uninitialized || datasetId is null || string.Equals(id, datasetId, StringComparison.OrdinalIgnoreCase);
            if (ofDataset && !hashes.Contains(hash))
            {
                throw new BudgetRefusedException(Messages.LedgerMissesBundleCharge(bundle, hash));
            }
        }
    }

    private static ReleaseManifest Read(string bundle, string manifestPath)
    {
        // Never opened unless it is a regular file of a manifest's size: a FIFO would block, a device read forever.
        if (IO.RegularFile.NonRegularKind(manifestPath) is not null || new FileInfo(manifestPath).Length > MaxManifestBytes)
        {
            throw new BudgetRefusedException(Messages.LedgerBundleUnreadable(bundle, "the manifest is not a regular file of a manifest's size"));
        }

        byte[] bytes;
        try
        {
            bytes = IO.RegularFile.ReadAllBytes(manifestPath, BundleLayout.ManifestFileName); // checks the opened handle too
        }
        catch (InputException ex)
        {
            throw new BudgetRefusedException(Messages.LedgerBundleUnreadable(bundle, ex.Message), ex);
        }

        var loaded = ManifestJson.Read(bytes, manifestPath);
        return loaded.Succeeded
            ? loaded.GetValueOrThrow()
            : throw new BudgetRefusedException(Messages.LedgerBundleUnreadable(bundle, loaded.Diagnostics[0].ToString()));
    }
}
