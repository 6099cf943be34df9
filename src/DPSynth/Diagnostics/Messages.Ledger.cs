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

    /// <summary>More than one entry past the anchored head: a writer leaves at most one.</summary>
    public static string LedgerEntriesPastAnchor(long anchored, int entries) =>
        $"it has {entries} entries but its anchored head records {anchored}: a writer leaves at most one entry past its " +
        $"anchored head (the one it announced there before appending it), so entries {anchored + 1} to {entries} were " +
        "appended without the ledger's key (by hand: tampering), or the anchor was put back from an older copy. " +
        LedgerRecovery(anchored);

    /// <summary>One entry past the anchored head that the anchor did not announce.</summary>
    public static string LedgerEntryNotAnnounced(int sequence) =>
        $"its entry {sequence} is past its anchored head but is not the entry the last writer announced there: it was " +
        "appended without the ledger's key (by hand, e.g. a cap raised or spend lowered: tampering), or the anchor was " +
        "put back from an older copy. " + LedgerRecovery(sequence - 1);

    /// <summary>One entry past a legacy anchored head that cannot be accepted unauthenticated.</summary>
    public static string LedgerRemnantRefused(long sequence, string why) =>
        $"its entry {sequence} is past its anchored head, which an earlier DPSynth wrote without announcing the next " +
        "entry, so nothing authenticates that entry; one is accepted only when it cannot let more be spent, and this " +
        $"one {why}. " + LedgerRecovery(sequence - 1);

    /// <summary>Why a remnant is refused: its dataset id.</summary>
    public static string LedgerRemnantBadId => "names a dataset id that a writer would refuse";

    /// <summary>Why a remnant is refused: a first cap.</summary>
    public static string LedgerRemnantFirstCap(string dataset) =>
        $"sets the first cap of dataset '{Printable(dataset, 40)}' (which lets an uncapped dataset be charged)";

    /// <summary>Why a remnant is refused: a cap raise.</summary>
    public static string LedgerRemnantCapRaise(string dataset, double inForce, double raised) =>
        $"raises the cap of dataset '{Printable(dataset, 40)}' from rho {Format(inForce)} to {Format(raised)}";

    /// <summary>Why a remnant is refused: a cap after a discovery charge.</summary>
    public static string LedgerRemnantCapAfterDiscovery(string dataset) =>
        $"changes the cap of dataset '{Printable(dataset, 40)}' after its discovery charge, which a writer refuses";

    // What an operator does about entries past the anchored head (docs/ledger.md#recovery).
    private static string LedgerRecovery(long anchored) =>
        "Writes are refused until an operator reviews the entries past the anchored head (docs/ledger.md#recovery): " +
        $"entries not written by DPSynth are cut off (keep the first {anchored} lines, e.g. 'head -n {anchored}'); " +
        "entries checked as genuine (against bundles' ledger.charge_entry_hash or a head kept elsewhere) are kept by " +
        "moving the anchor aside and adopting the ledger with 'dpsynth budget init --adopt --expect-head HASH --anchor-lost'";

    /// <summary>A cap entry that raises its dataset's cap without a reason.</summary>
    public static string LedgerCapRaisedWithoutReason(long line, string dataset, double inForce, double raised) =>
        $"line {line} is a cap that raises dataset '{Printable(dataset, 40)}' from rho {Format(inForce)} to " +
        $"{Format(raised)} without a reason; DPSynth writes a raise only with --raise-cap --reason, so it was written by " +
        "hand (or by a DPSynth before 2026-12-03, which did not ask for a reason)";

    /// <summary>The anchor could not announce an entry, so nothing was written.</summary>
    public static string LedgerAnchorNotAnnounced(string path, string anchorPath, string detail) =>
        $"budget refused: cannot write the anchored head {anchorPath} ({detail}); nothing was recorded in the ledger " +
        $"{path} (a write announces its entry in the anchored head before appending it). Fix the cause (disk space, " +
        "permissions, what is at that path) and try again";

    /// <summary>The anchor could not be moved onto an entry that was appended: the entry stands, the command fails.</summary>
    public static string LedgerAnchorNotMoved(string path, string anchorPath, long sequence, string detail) =>
        $"budget refused after recording: entry {sequence} was appended to the ledger {path} and STANDS (its rho stays " +
        $"spent, the safe side), but the anchored head {anchorPath} could not be moved onto it ({detail}). So this " +
        "command fails and nothing was computed from it. The ledger verifies one entry past its anchored head (the entry " +
        "announced there); once the cause (disk space, permissions) is fixed the next write anchors it, and a write " +
        "that cannot write the anchored head records nothing";

    /// <summary>A ledger file too large to read.</summary>
    public static string LedgerTooLarge(long bytes, long maxBytes) =>
        $"the ledger is larger than {maxBytes} bytes ({bytes} bytes; DPSynth entries are a few hundred bytes each); " +
        "refusing to read it";

    /// <summary>Adopt refused: the ledger had an anchored head, now missing.</summary>
    public static string LedgerHadAnchor(string evidence) =>
        $"{evidence}. So its anchored head was deleted or lost, and adopting would accept the ledger as it is now, even if " +
        "entries were cut from its end before (a rollback). Restore the anchor with the ledger from a backup; if it is " +
        "truly lost and the ledger has been checked against a head kept elsewhere (a bundle's ledger.charge_entry_hash, " +
        "a ticket), adopt with --anchor-lost as well (docs/ledger.md#init)";

    /// <summary>Evidence of an anchor: the key file.</summary>
    public static string LedgerKeyShowsAnchor(string keyPath) =>
        $"its key {keyPath} shows it was made by 'dpsynth budget init', which writes an anchored head with the key (a " +
        "ledger that 'dpsynth run' of a DPSynth before anchors used has a key too: check it the same way)";

    /// <summary>Evidence of an anchor: an entry only an anchoring DPSynth writes.</summary>
    public static string LedgerEntryShowsAnchor(long sequence) =>
        $"its entry {sequence} (a charge's nonce or a cap's reason) was written by a DPSynth that anchors every write";

    /// <summary>--anchor-lost without --adopt.</summary>
    public static string AnchorLostNeedsAdopt => "--anchor-lost is only for --adopt (with --expect-head)";

    /// <summary>Note after adopting with --anchor-lost.</summary>
    public static string LedgerAdoptedAnchorLost =>
        "note: adopted with --anchor-lost: the ledger is anchored as it is now; entries cut from its end before its " +
        "anchor was lost show only against a head kept elsewhere (dpsynth budget verify --expect-head HASH)";

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
