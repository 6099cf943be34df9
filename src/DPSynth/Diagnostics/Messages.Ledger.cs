using System.Globalization;
using System.Text;

namespace DPSynth.Diagnostics;

// The ledger's fail-closed checks: creation, the anchored head, dataset ids, caps (docs/ledger.md).
public static partial class Messages
{
    /// <summary>A write to a ledger that was never created.</summary>
    public static string LedgerNotInitialized(string path) =>
        $"budget refused: there is no ledger at {path}; a ledger is never created by a charge. Create it once with " +
        $"'dpsynth budget init --ledger {path}' (or 'dpsynth run ... --init-ledger'); if one existed, restore it from a backup";

    /// <summary>The ledger file is gone but files beside it show it existed.</summary>
    public static string LedgerMissing(string path, string evidence) =>
        $"the ledger file {path} is missing, but a ledger existed there ({evidence}): it was deleted or moved. Restore it " +
        "from a backup; a new ledger would make the spent budget spendable again. (If only a lock or key file remains " +
        "because a 'budget init' was killed before it made the file, and no ledger ever existed there, remove them by hand.)";

    /// <summary>The files that show a ledger existed.</summary>
    public static string LedgerTraces(IEnumerable<string> files) => "found " + string.Join(", ", files);

    /// <summary>budget init refused.</summary>
    public static string LedgerInitRefused(string path, string problem) =>
        $"budget refused: will not create or adopt the ledger {path}: {problem}";

    /// <summary>budget init found a ledger without an anchored head.</summary>
    public static string LedgerAdoptNeeded(string path, int entries) =>
        $"budget refused: the ledger {path} ({entries} entries) verifies but has no anchored head (made by an earlier " +
        "DPSynth, an init killed before its anchor, or its anchor was deleted). After checking it, anchor it with " +
        $"'dpsynth budget init --ledger {path} --adopt --expect-head HASH', HASH being a head recorded outside the " +
        "ledger (a bundle's ledger.charge_entry_hash, a ticket; 64 zeros for a ledger created empty)";

    /// <summary>budget init --adopt refused.</summary>
    public static string LedgerAdoptRefused(string path, string problem) =>
        $"budget refused: will not adopt the ledger {path}: {problem}";

    /// <summary>Adopt found an anchor already there.</summary>
    public static string LedgerAlreadyAnchored(string anchorPath) =>
        $"it already has an anchored head {anchorPath} (check it with 'dpsynth budget verify')";

    /// <summary>--adopt without --expect-head, or the reverse.</summary>
    public static string AdoptNeedsExpectedHead =>
        "--adopt needs --expect-head HASH (a head recorded outside the ledger), and --expect-head is only for --adopt here";

    /// <summary>verify: the anchor lags the ledger (a writer stopped between its append and its anchor).</summary>
    public static string LedgerAnchorBehind(long anchored, int entries) =>
        $"note: the anchored head records {anchored} of {entries} entries (a writer stopped before moving it); the next " +
        "write moves it";

    /// <summary>A ledger, anchor or key path that is a folder, a FIFO or a device.</summary>
    public static string LedgerNotAFile(string path, string kind) =>
        $"{path} is {kind}, not a regular file; it is never opened as part of a ledger";

    /// <summary>An empty or blank --ledger.</summary>
    public static string LedgerPathBlank => "the ledger path is empty; give --ledger PATH (or privacy.ledger in the policy)";

    /// <summary>The ledger has no anchor file.</summary>
    public static string LedgerNotAnchored(string anchorPath) =>
        $"its anchored head {anchorPath} is missing (deleted, or a ledger never made by 'dpsynth budget init'; an " +
        "operator who has reviewed it can adopt it with 'dpsynth budget init --adopt --expect-head HASH')";

    /// <summary>The key that authenticates the anchor is missing.</summary>
    public static string LedgerAnchorKeyMissing(string keyPath) =>
        $"the key {keyPath} that authenticates its anchored head is missing; restore it from a backup";

    /// <summary>The anchor file cannot be read or authenticated.</summary>
    public static string LedgerAnchorUnreadable(string anchorPath, string detail) =>
        $"its anchored head {anchorPath} does not verify: {detail}";

    /// <summary>The ledger has fewer entries than its anchor records.</summary>
    public static string LedgerShorterThanAnchor(long anchored, string head, int found) =>
        $"it has {found} entries but its anchored head records {anchored} (head {head}): entries were cut from the " +
            "end, or it was emptied or replaced by an older copy (a rollback)";

    /// <summary>The anchored entry is not the ledger's entry at that position.</summary>
    public static string LedgerAnchorMismatch(long position, string anchored, string found) =>
        $"its entry {position} has hash {found}, but its anchored head records {anchored}: it was rewritten (hashes " +
            "recomputed) or replaced by another ledger";

    /// <summary>A bundle records a charge entry that the ledger does not hold.</summary>
    public static string LedgerMissesBundleCharge(string bundle, string hash) =>
        $"the release {bundle} was charged to ledger entry {hash}, which this ledger does not contain: " +
        "the ledger was rolled back, replaced, or is not the one this dataset's releases were charged to";

    /// <summary>A bundle beside the releases cannot be read.</summary>
    public static string LedgerBundleUnreadable(string bundle, string detail) =>
        $"cannot read the manifest of the release {bundle} ({detail}), so the ledger cannot be checked " +
        "against it; repair it or move it out of the release folder";

    /// <summary>A cap entry whose rho is not the conversion of its (epsilon, delta).</summary>
    public static string LedgerCapRhoMismatch(long line, double rho, double epsilon, double delta) =>
        $"line {line} is a cap whose rho {Format(rho)} is not the tight conversion of its epsilon {Format(epsilon)} and delta " +
            $"{Format(delta)} (the enforced cap and the stated cap differ)";

    /// <summary>A charge to a dataset with no cap, refused.</summary>
    public static string LedgerUncappedRefused(string dataset) =>
        $"budget refused: dataset '{dataset}' has no cap in the ledger, so nothing would limit its spend; record one with " +
        "'dpsynth budget cap' (or a policy's privacy.cap), or pass --allow-uncapped to charge it anyway";

    /// <summary>budget cap refused to raise a cap without a reason.</summary>
    public static string CapRaiseRefused(string dataset, double oldEpsilon, double oldDelta, double newEpsilon, double newDelta) =>
        $"budget refused: this would RAISE the cap of dataset '{dataset}' from (epsilon {Format(oldEpsilon)}, delta " +
            $"{Format(oldDelta)}) to (epsilon {Format(newEpsilon)}, delta {Format(newDelta)}); raising a cap needs --raise-cap and " +
            "--reason TEXT, which is recorded in the ledger";

    /// <summary>A blank reason for a cap.</summary>
    public static string CapReasonBlank => "--reason must say why the cap changes (it is recorded in the ledger)";

    /// <summary>--reason given without --raise-cap, or the reverse.</summary>
    public static string CapRaiseNeedsReason => "--raise-cap needs --reason TEXT, and --reason is only for --raise-cap";

    /// <summary>An empty dataset id.</summary>
    public static string DatasetIdEmpty => "the dataset id is empty; give a name such as 'adult' or 'visits-2026'";

    /// <summary>A dataset id outside the rule.</summary>
    public static string DatasetIdInvalid(string id, int maxLength) =>
        $"the dataset id '{Printable(id, maxLength + 8)}' is not valid: use 1 to {maxLength} ASCII letters, digits, " +
            "'.', '_' or '-', starting with a letter or digit (no spaces)";

    /// <summary>A dataset id that differs from one in the ledger only by case.</summary>
    public static string DatasetIdCaseVariant(string id, string existing) =>
        $"budget refused: the dataset id '{id}' differs from '{existing}' in the ledger only by case; they would be two " +
        $"budgets for one dataset. Use '{existing}'";

    /// <summary>budget init created a ledger.</summary>
    public static string LedgerCreated(string path, string anchorPath) =>
        $"created the ledger {path} (empty) and its anchored head {anchorPath}; back up both with the key beside them";

    /// <summary>budget init adopted an earlier ledger.</summary>
    public static string LedgerAdopted(string path, int entries, string head) =>
        $"anchored the ledger {path} at its current head: {entries} entries, head {head}";

    /// <summary>budget init found the ledger in place.</summary>
    public static string LedgerAlreadyInitialized(string path, int entries, string head) =>
        $"the ledger {path} exists and verifies: {entries} entries, head {head}; nothing changed";

    // Text from the command line may hold terminal control characters: show them as \u escapes, and cut it short.
    private static string Printable(string text, int max)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            _ = char.IsControl(c) ? shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : shown.Append(c);
        }

        return text.Length > max ? shown.Append("...").ToString() : shown.ToString();
    }
}
