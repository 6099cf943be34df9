using System.Diagnostics;
using System.Globalization;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Privacy;

namespace DPSynth.Budget;

/// <summary>
/// The budget ledger across runs (design.md section 4; docs/ledger.md): a JSON Lines file with one hash-chained entry
/// per charge or cap. Every write takes an exclusive cross-process lock (<c>PATH.lock</c>), re-reads and verifies the
/// whole chain, checks the dataset's cap, appends one line and flushes it to disk before returning: a charge counts
/// only once it is durable, and concurrent processes compose. A ledger that does not verify refuses every write.
/// </summary>
/// <remarks>
/// Fail closed (docs/ledger.md#anchor): a ledger exists only once it was created explicitly (<see cref="Initialize"/>,
/// <c>dpsynth budget init</c>); a missing ledger is never taken for an empty one. Every read and write also checks the
/// anchored head beside it (<see cref="LedgerAnchor"/>), so a ledger cut back, emptied, restored from an older copy or
/// rewritten with recomputed hashes is refused, and a missing ledger whose anchor, lock or key file remains is refused
/// as deleted.
/// </remarks>
public sealed class BudgetLedger
{
    /// <summary>The delta at which implied epsilons are reported for a dataset without a cap.</summary>
    public const double DefaultDelta = 1e-9;

    /// <summary>
    /// The largest ledger file read (1 GiB, some two million entries): a larger one is refused without being read, so it
    /// can never exhaust memory or overflow an array (fail closed, docs/ledger.md#verification).
    /// </summary>
    public const long MaxBytes = 1L << 30;

    private readonly TimeProvider clock;

    /// <summary>A ledger at <paramref name="path"/> (which <see cref="Initialize"/> creates; no write creates it).</summary>
    public BudgetLedger(string path, TimeProvider? clock = null)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InputException(Messages.LedgerPathBlank);
        }

        Path = System.IO.Path.GetFullPath(path);
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>The ledger file.</summary>
    public string Path { get; }

    /// <summary>
    /// The lock file: beside the ledger's real location, every symbolic link (of the file and of its folders) followed
    /// to its final target, so two paths to the same file (e.g. through a symlink) take the same lock. Resolved anew
    /// on each use, so a link created later is followed too.
    /// </summary>
    public string LockPath => RealPath(Path) + ".lock";

    /// <summary>The anchored head beside the ledger (<see cref="LedgerAnchor"/>).</summary>
    public string AnchorPath => LedgerAnchor.PathFor(Path);

    /// <summary>How long a write waits for another process's lock before it is refused.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Let charges go to a dataset with no cap (<c>--allow-uncapped</c>). Off by default: a charge to an uncapped
    /// dataset is refused, because nothing would limit its spend.
    /// </summary>
    public bool AllowUncapped { get; init; }

    /// <summary>
    /// Reads and verifies the ledger under a shared lock: the hash chain, then the anchored head. A missing file is
    /// <see cref="LedgerVerification.Uninitialized"/> when nothing shows that a ledger was ever there, and a problem
    /// (deleted) when its anchor, lock or key file remains. A read-only reader who cannot create the lock file (or a
    /// process with .NET file locking disabled) reads without the lock; the result then says so
    /// (<see cref="LedgerVerification.ReadWithoutLock"/>), as a concurrent append may be seen torn.
    /// </summary>
    public LedgerVerification Verify()
    {
        if (NotAFile() is { } problem)
        {
            return new LedgerVerification([], problem);
        }

        if (!LedgerFileExists())
        {
            return Missing();
        }

        if (FileLockingDisabled())
        {
            return ReadAndCheck() with { ReadWithoutLock = true };
        }

        using var held = AcquireLock(shared: true);
        var verification = ReadAndCheck();
        return held is null ? verification with { ReadWithoutLock = true } : verification;
    }

    /// <summary>
    /// Creates the ledger explicitly (<c>dpsynth budget init</c>): its key, an empty file, then an anchor at zero
    /// entries. Refused when the ledger file is missing but its anchor, lock or key file shows that one existed (restore
    /// it instead). An existing, anchored ledger that verifies is left as it is; one without an anchor is refused (see
    /// <see cref="Adopt"/>).
    /// </summary>
    /// <returns>What was done, and the ledger's verification afterwards.</returns>
    /// <exception cref="BudgetRefusedException">The ledger cannot be created; nothing was written.</exception>
    public LedgerInitialization Initialize()
    {
        RefuseWithoutFileLocking();

        // Read before this call creates the lock file, which is itself one of the traces.
        var traces = Traces();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var held = AcquireLock(shared: false)!;
        if (!LedgerFileExists())
        {
            // Another init that held the lock meanwhile would have left the file, so traces here are a ledger's remains.
            if (traces.Count > 0)
            {
                throw new BudgetRefusedException(Messages.LedgerInitRefused(Path, Messages.LedgerMissing(Path, Messages.LedgerTraces(traces))));
            }

            // Key, file, anchor: a kill in between leaves traces (refused above) or an empty ledger without an anchor,
            // which only an explicit adopt accepts; never a state that reads as a valid ledger by itself.
            var key = LedgerKey.LoadOrCreate(Path);
            using (var created = new FileStream(RealPath(Path), FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
            {
                created.Flush(flushToDisk: true);
            }

            IO.FolderSync.FlushParentOf(RealPath(Path));
            LedgerAnchor.Empty.Write(AnchorPath, key);
            return new LedgerInitialization(LedgerInitResult.Created, Check([], out _));
        }

        var content = ReadAll(out var tooLarge);
        var chain = tooLarge is null ? LedgerVerifier.Verify(content) : new LedgerVerification([], tooLarge);
        if (!chain.IsValid)
        {
            throw new BudgetRefusedException(Messages.LedgerInitRefused(Path, chain.Problem!));
        }

        if (!File.Exists(AnchorPath))
        {
            throw new BudgetRefusedException(Messages.LedgerAdoptNeeded(Path, chain.Entries.Count));
        }

        var anchored = Check(content, out _);
        return anchored.IsValid
            ? new LedgerInitialization(LedgerInitResult.AlreadyInitialized, anchored)
            : throw new BudgetRefusedException(Messages.LedgerInitRefused(Path, anchored.Problem!));
    }

    /// <summary>
    /// Anchors an existing ledger that has no anchored head (made by a DPSynth before anchors existed) at its current
    /// head (<c>dpsynth budget init --adopt --expect-head HASH</c>). The operator states a head kept elsewhere: it must be
    /// the current head or an earlier entry (the ledger only grew since), so a ledger cut back or replaced since that
    /// record is refused, and adopting is never a reflex. A ledger that shows it had an anchored head (its key file, or
    /// an entry only a DPSynth that anchors writes) lost it: deleting the anchor and the last entries is a rollback that
    /// adopting would accept, so it is refused unless <paramref name="anchorLost"/> (<c>--anchor-lost</c>).
    /// </summary>
    /// <param name="expectedHead">A head recorded outside the ledger (64 zeros for a ledger that was created empty).</param>
    /// <param name="anchorLost">
    /// The operator states that the anchor of a ledger that had one was lost (not deleted to roll the ledger back), having
    /// checked the ledger against a head kept elsewhere (docs/ledger.md#init).
    /// </param>
    /// <exception cref="BudgetRefusedException">
    /// There is no ledger, it does not verify, it has an anchor, it shows it had one (without <paramref name="anchorLost"/>),
    /// or it does not hold the head.
    /// </exception>
    public LedgerInitialization Adopt(string expectedHead, bool anchorLost = false)
    {
        ArgumentNullException.ThrowIfNull(expectedHead);
        RefuseWithoutFileLocking();
        RefuseIfMissing();
        using var held = AcquireLock(shared: false)!;
        RefuseIfMissing();
        var content = ReadAll(out var tooLarge);
        var chain = tooLarge is null ? LedgerVerifier.Verify(content) : new LedgerVerification([], tooLarge);
        var problem = chain.Problem
            ?? (File.Exists(AnchorPath) ? Messages.LedgerAlreadyAnchored(AnchorPath) : null)
            ?? LedgerVerifier.VerifyHead(chain, expectedHead)
            ?? (anchorLost ? null : AnchorTrace(chain.Entries));
        if (problem is not null)
        {
            throw new BudgetRefusedException(Messages.LedgerAdoptRefused(Path, problem));
        }

        LedgerAnchor.Of(chain).Write(AnchorPath, LedgerKey.LoadOrCreate(Path));
        return new LedgerInitialization(LedgerInitResult.Adopted, Check(content, out _));
    }

    /// <summary>Records a cap for <paramref name="datasetId"/>: rho from (epsilon, delta) by the tight conversion.</summary>
    /// <exception cref="BudgetRefusedException">The ledger does not verify, or the cap would raise the one in force.</exception>
    public LedgerEntry SetCap(string datasetId, ApproxDp cap) => SetCap(datasetId, cap, raiseReason: null, out _);

    /// <summary>
    /// Records a cap for <paramref name="datasetId"/> (see <see cref="SetCap(string, ApproxDp)"/>). A cap that raises
    /// the one in force is refused unless <paramref name="raiseReason"/> says why; the reason is then recorded in the
    /// cap's entry, so a reviewer sees every raise and its stated reason.
    /// </summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cap">The new cap.</param>
    /// <param name="raiseReason">Why the cap is raised (<c>--raise-cap --reason</c>), or null to refuse a raise.</param>
    /// <param name="replaced">The cap entry in force before this one, or null when the dataset had none.</param>
    /// <exception cref="InputException">The dataset id is not a valid id, or the reason is blank.</exception>
    /// <exception cref="BudgetRefusedException">The ledger does not verify, or the cap raises the one in force without a reason.</exception>
    public LedgerEntry SetCap(string datasetId, ApproxDp cap, string? raiseReason, out LedgerEntry? replaced)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        if (raiseReason is not null && string.IsNullOrWhiteSpace(raiseReason))
        {
            throw new InputException(Messages.CapReasonBlank);
        }

        var rho = LedgerCap.StoredRho(cap);
        LedgerEntry? before = null;
        var entry = Append((entries, sequence, previous) =>
        {
            RefuseBadId(entries, datasetId);
            if (DiscoveryCharge.Exists(entries, datasetId))
            {
                // The discovery's threshold delta was paid for (or left unpaid, uncapped) at the cap then in force; a new
                // cap, even a lower one, could leave it uncovered (docs/privacy.md#discovery-charge).
                throw new BudgetRefusedException(Messages.CapAfterDiscovery(datasetId));
            }

            before = DatasetSpend.Of(entries, datasetId).Cap;
            if (before is not null && rho > before.Rho && raiseReason is null)
            {
                throw new BudgetRefusedException(Messages.CapRaiseRefused(datasetId, before.Epsilon, before.Delta, cap.Epsilon, cap.Delta));
            }

            var made = LedgerEntry.Create(
                sequence, LedgerEntryKind.Cap, clock.GetUtcNow(), datasetId, null, null, null, rho, cap.Epsilon, cap.Delta,
                previous);
            return raiseReason is null ? made : made.WithReason(raiseReason.Trim());
        });
        replaced = before;
        return entry;
    }

    /// <summary>
    /// Charges <paramref name="rho"/> (rounded up to a double) to <paramref name="datasetId"/>, with the epsilon it
    /// implies at the dataset's reporting delta (<see cref="DatasetSpend.Delta"/>): a bare charge made outside DPSynth
    /// (<c>budget charge</c>), which has no delta of its own. Refused when the dataset's spend would pass its cap, and
    /// when the dataset has no cap unless <see cref="AllowUncapped"/>.
    /// </summary>
    /// <exception cref="BudgetRefusedException">The charge would pass the cap, or the ledger does not verify; nothing was written.</exception>
    public LedgerCharge Charge(string datasetId, string runId, Rho rho, string mechanism, string? policySha256 = null) =>
        Charge(datasetId, runId, Rho.FromDouble(rho.ToDoubleUp()), before => PrivacySpend.Of(rho, before.Delta), mechanism, policySha256, null);

    /// <summary>
    /// Charges a run's <paramref name="spend"/> to <paramref name="datasetId"/>: the entry records its charged rho,
    /// epsilon and delta exactly as the run's reports and manifest state them. <paramref name="precondition"/>, when
    /// given, sees the verified entries under the same exclusive lock first and refuses the charge by throwing (e.g. a
    /// policy run that another process has released or is running meanwhile), so the check and the charge cannot
    /// interleave with another writer. Refused when the dataset's spend would pass its cap, and when the dataset has no
    /// cap unless <see cref="AllowUncapped"/>.
    /// </summary>
    /// <exception cref="BudgetRefusedException">The charge would pass the cap, or the ledger does not verify; nothing was written.</exception>
    public LedgerCharge Charge(
        string datasetId, string runId, PrivacySpend spend, string mechanism, string? policySha256 = null,
        Action<IReadOnlyList<LedgerEntry>>? precondition = null)
    {
        ArgumentNullException.ThrowIfNull(spend);
        return Charge(datasetId, runId, spend.Charged, _ => spend, mechanism, policySha256, precondition);
    }

    /// <summary>
    /// Refuses now, from the verified ledger as it is, a charge of <paramref name="charged"/> to
    /// <paramref name="datasetId"/> that <see cref="Charge(string, string, PrivacySpend, string, string?, Action{IReadOnlyList{LedgerEntry}}?)"/>
    /// would refuse (a ledger that is missing or does not verify, a bad dataset id, no cap, a cap it would pass), and
    /// writes nothing: what a command checks before it reads anything of its input, even the header. The charge makes
    /// every check again under the ledger's lock.
    /// </summary>
    /// <exception cref="BudgetRefusedException">The charge would be refused.</exception>
    public void RefuseChargeNow(string datasetId, Rho charged)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        var verification = Verify();
        if (!verification.IsValid)
        {
            throw new BudgetRefusedException(Messages.LedgerUnverifiable(Path, verification.Problem!));
        }

        if (verification.Uninitialized)
        {
            throw new BudgetRefusedException(Messages.LedgerNotInitialized(Path));
        }

        RefuseBadId(verification.Entries, datasetId);
        _ = Admit(verification.Entries, datasetId, charged);
    }

    // The dataset's spend before a charge of `charged`, or the refusal: no cap (unless AllowUncapped), or a cap it passes.
    private DatasetSpend Admit(IReadOnlyList<LedgerEntry> entries, string datasetId, Rho charged)
    {
        var before = DatasetSpend.Of(entries, datasetId);
        if (before.Cap is null && !AllowUncapped)
        {
            throw new BudgetRefusedException(Messages.LedgerUncappedRefused(datasetId));
        }

        if (before.Cap is { } cap && before.Spent + charged > Rho.FromDouble(cap.Rho))
        {
            throw new BudgetRefusedException(
                Messages.LedgerCapExceeded(datasetId, charged.ToDoubleUp(), before.Spent.ToDoubleUp(), cap.Rho));
        }

        return before;
    }

    private LedgerCharge Charge(
        string datasetId, string runId, Rho charged, Func<DatasetSpend, PrivacySpend> stated, string mechanism,
        string? policySha256, Action<IReadOnlyList<LedgerEntry>>? precondition)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(mechanism);
        DatasetSpend? after = null;
        var entry = Append((entries, sequence, previous) =>
        {
            RefuseBadId(entries, datasetId);
            precondition?.Invoke(entries);
            var before = Admit(entries, datasetId, charged);
            after = before with { Spent = before.Spent + charged };
            var spend = stated(before);
            return LedgerEntry.Create(
                sequence, LedgerEntryKind.Charge, clock.GetUtcNow(), datasetId, runId, policySha256, mechanism,
                charged.ToDoubleUp(), spend.Epsilon, spend.Delta, previous)
                .WithNonce(Convert.ToHexStringLower(Privacy.Sampling.CsprngBits.SecretBytes(32)));
        });
        return new LedgerCharge(entry, after!);
    }

    /// <summary>
    /// Records how a policy run that charged ended (<see cref="RunOutcome"/>). No spend; the chain makes it as
    /// tamper-evident as the charge it closes. The idempotent re-run check and the orphan report read these.
    /// </summary>
    /// <param name="datasetId">The dataset charged.</param>
    /// <param name="runId">The run id of the charge.</param>
    /// <param name="policySha256">The policy's SHA-256, or null for a run without a policy (<c>synth</c>, <c>audit-canaries</c>).</param>
    /// <param name="outcome">One of <see cref="RunOutcome"/>'s values.</param>
    /// <param name="inputFingerprint">The keyed input fingerprint (never a plain hash), or null when it is unknown.</param>
    /// <param name="bundle">The bundle folder, for a release.</param>
    /// <exception cref="BudgetRefusedException">
    /// The ledger does not verify, or the anchored head cannot announce the entry: nothing was written. Or the entry
    /// was appended but the anchored head could not be moved onto it (<see cref="LedgerAnchorNotMovedException"/>): the
    /// outcome is recorded and stands.
    /// </exception>
    public LedgerEntry RecordOutcome(
        string datasetId, string runId, string? policySha256, string outcome, string? inputFingerprint, string? bundle)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (!RunOutcome.IsKnown(outcome))
        {
            throw new ArgumentException($"Unknown outcome '{outcome}'.", nameof(outcome));
        }

        return Append((entries, sequence, previous) =>
        {
            RefuseBadId(entries, datasetId);

            // One outcome per run: a second (e.g. a recovery racing the live run) is refused, not appended.
            if (entries.Any(e => e.Kind == LedgerEntryKind.Outcome && e.DatasetId == datasetId && e.RunId == runId))
            {
                throw new BudgetRefusedException(Messages.LedgerOutcomeRecorded(runId));
            }

            return LedgerEntry.CreateOutcome(
                sequence, clock.GetUtcNow(), datasetId, runId, policySha256, outcome, inputFingerprint, bundle,
                DatasetSpend.Of(entries, datasetId).Delta, previous);
        });
    }

    private LedgerEntry Append(Func<IReadOnlyList<LedgerEntry>, long, string, LedgerEntry> build)
    {
        RefuseWithoutFileLocking();

        // Before the lock, whose file would itself be a trace: a writer never brings a ledger into being.
        RefuseIfMissing();
        using var held = AcquireLock(shared: false)!;
        RefuseIfMissing();
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var content = ReadContent(stream, out var tooLarge);
        LedgerKey? key = null;
        var verification = tooLarge is null ? Check(content, out key) : new LedgerVerification([], tooLarge);
        if (!verification.IsValid)
        {
            throw new BudgetRefusedException(Messages.LedgerUnverifiable(Path, verification.Problem!));
        }

        var entry = build(verification.Entries, verification.Entries.Count + 1, verification.HeadHash);
        byte[] line = [.. entry.ToLine(), (byte)'\n'];

        // Announce the entry in the anchored head before it exists: the anchor moves to the ledger as verified (over the
        // one entry a killed writer may have left, which Check has authenticated) and names the entry's hash. So the only
        // entry that can ever sit past the anchor is one a writer holding the key announced, and a writer that cannot
        // write the anchor records nothing (docs/ledger.md#anchor).
        try
        {
            new LedgerAnchor(verification.Entries.Count, verification.HeadHash, entry.Hash).Write(AnchorPath, key!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BudgetRefusedException(Messages.LedgerAnchorNotAnnounced(Path, AnchorPath, ex.Message), ex);
        }

        stream.Seek(0, SeekOrigin.End);
        var written = 0;
        if (TornAppendPause() is { } milliseconds)
        {
            // Fault injection for the crash test (docs/ledger.md#testing): write half the line, make it durable, say
            // so, and wait to be killed. Only set by the test suite for a child process it then kills; if the process
            // survives the pause, the rest of the line (and only the rest) completes the entry.
            Console.Error.WriteLine(Messages.LedgerFaultInjectionActive(TornAppendPauseVariable));
            written = line.Length / 2;
            stream.Write(line, 0, written);
            stream.Flush(flushToDisk: true);
            Console.Error.WriteLine("paused mid-append");
            Console.Error.Flush();
            Thread.Sleep(milliseconds);
        }

        stream.Write(line, written, line.Length - written);
        stream.Flush(flushToDisk: true);

        // The entry is durable and counts from here (its rho stays spent whatever follows). Then move the anchor onto it.
        // A kill here leaves the ledger one entry past its anchor, the entry the anchor announced, which Check accepts
        // and the next write anchors. A failure here is reported, never swallowed: the command fails (so nothing is
        // computed from a charge whose write did not complete), and its message says that the entry stands.
        try
        {
            new LedgerAnchor(entry.Sequence, entry.Hash).Write(AnchorPath, key!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LedgerAnchorNotMovedException(
                Messages.LedgerAnchorNotMoved(Path, AnchorPath, entry.Sequence, ex.Message), entry.Sequence, ex.Message, ex);
        }

        return entry;
    }

    private void RefuseWithoutFileLocking()
    {
        if (FileLockingDisabled())
        {
            throw new BudgetRefusedException(Messages.LedgerFileLockingDisabled(Path));
        }
    }

    // A missing ledger file is refused for writing, with the reason: never created (budget init), or deleted. So is a
    // path that is not a file (a FIFO would block the reader, a device would read forever).
    private void RefuseIfMissing()
    {
        if (NotAFile() is { } notAFile)
        {
            throw new BudgetRefusedException(Messages.LedgerUnverifiable(Path, notAFile));
        }

        if (!LedgerFileExists())
        {
            var missing = Missing();
            throw new BudgetRefusedException(missing.Problem is { } problem
                ? Messages.LedgerUnverifiable(Path, problem)
                : Messages.LedgerNotInitialized(Path));
        }
    }

    // A missing ledger file: one that never existed when nothing is beside it, otherwise one that was deleted or moved
    // (its anchor, lock or key remains). Never an empty ledger: only Initialize makes one.
    private LedgerVerification Missing()
    {
        var traces = Traces();
        return traces.Count > 0
            ? new LedgerVerification([], Messages.LedgerMissing(Path, Messages.LedgerTraces(traces)))
            : new LedgerVerification([], null) { Uninitialized = true };
    }

    // The hash chain, then the anchored head: the anchor must exist, carry a valid MAC under the key beside the ledger,
    // and name an entry the chain still holds at the same position. The key that checked it is returned for the writer.
    private LedgerVerification Check(ReadOnlySpan<byte> content, out LedgerKey? key)
    {
        key = null;
        var chain = LedgerVerifier.Verify(content);
        if (!chain.IsValid)
        {
            return chain;
        }

        if (!File.Exists(AnchorPath))
        {
            return chain with { Problem = Messages.LedgerNotAnchored(AnchorPath) };
        }

        LedgerAnchor anchor;
        try
        {
            key = LedgerKey.TryLoad(Path);
            if (key is null)
            {
                return chain with { Problem = Messages.LedgerAnchorKeyMissing(LedgerKey.PathFor(Path)) };
            }

            anchor = LedgerAnchor.Read(AnchorPath, key);
        }
        catch (Exception ex) when (ex is FormatException or InputException or IOException or UnauthorizedAccessException)
        {
            return chain with { Problem = Messages.LedgerAnchorUnreadable(AnchorPath, ex.Message) };
        }

        return anchor.Check(chain) is { } problem ? chain with { Problem = problem } : chain with { Anchor = anchor };
    }

    // What shows that a ledger without an anchor had one: its key (init writes the key, then the ledger, then the
    // anchor), or an entry that only a DPSynth that anchors every write makes (a charge's nonce, a cap's reason).
    private string? AnchorTrace(IReadOnlyList<LedgerEntry> entries)
    {
        var keyPath = LedgerKey.PathFor(Path);
        if (File.Exists(keyPath))
        {
            return Messages.LedgerHadAnchor(Messages.LedgerKeyShowsAnchor(keyPath));
        }

        return entries.FirstOrDefault(e => e.Nonce is not null || e.Reason is not null) is { } anchored
            ? Messages.LedgerHadAnchor(Messages.LedgerEntryShowsAnchor(anchored.Sequence))
            : null;
    }

    // Files that exist only beside a ledger that existed: its anchor, lock and key.
    private List<string> Traces() =>
        [.. new[] { AnchorPath, LockPath, LedgerKey.PathFor(Path) }.Where(File.Exists)];

    // A new id must follow DatasetIds' rule; an id the ledger already holds exactly (written before the rule) keeps its
    // history. Two ids that differ only by case are one dataset to a person and two budgets to the ledger: refuse a
    // second one (unless the ledger holds this exact id too, from before the rule).
    private static void RefuseBadId(IReadOnlyList<LedgerEntry> entries, string datasetId)
    {
        if (entries.Any(e => e.DatasetId == datasetId))
        {
            return;
        }

        DatasetIds.Require(datasetId);
        if (DatasetIds.CaseVariant(entries, datasetId) is { } existing)
        {
            throw new BudgetRefusedException(Messages.DatasetIdCaseVariant(datasetId, existing));
        }
    }

    // The ledger, its anchor and its key must be regular files (or missing); anything else is never opened.
    private string? NotAFile() =>
        new[] { Path, AnchorPath, LedgerKey.PathFor(Path) }
            .Select(p => RegularFile.NonRegularKind(p) is { } kind ? Messages.LedgerNotAFile(p, kind) : null)
            .FirstOrDefault(problem => problem is not null);

    // .NET counts a dangling symbolic link as an existing file; the ledger exists only when its final target does.
    private bool LedgerFileExists() => File.Exists(RealPath(Path));

    /// <summary>
    /// The crash test's pause in milliseconds: only a positive decimal integer counts; anything else (empty, zero,
    /// negative, signed, non-numeric) is ignored and the append is a normal one.
    /// </summary>
    internal static int? TornAppendPause()
    {
        var text = Environment.GetEnvironmentVariable(TornAppendPauseVariable);
        return text is not null
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds > 0
                ? milliseconds
                : null;
    }

    /// <summary>
    /// True when .NET file locking is disabled for this process (the <c>System.IO.DisableFileLocking</c> AppContext
    /// switch or <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> = 1 or true): the lock file would then lock nothing.
    /// </summary>
    internal static bool FileLockingDisabled()
    {
        if (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled))
        {
            return disabled;
        }

        var text = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING")?.Trim();
        return text is not null && (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link (of the file and of its folders) followed to its final target: a
    /// realpath that also works for a file that does not exist yet. The ledger's lock, anchor and key sit beside this
    /// path, so every path to one ledger finds the same ones.
    /// </summary>
    internal static string RealPath(string path) => ResolveLinks(System.IO.Path.GetFullPath(path), 0);

    // Follows every symbolic link in fullPath, folder by folder, to its final target (a realpath that also works for a
    // file that does not exist yet). Targets are resolved again, so a link to a path through another link is followed.
    private static string ResolveLinks(string fullPath, int depth)
    {
        if (depth > 40)
        {
            return fullPath; // a link cycle: the OS will refuse to open it anyway
        }

        var root = System.IO.Path.GetPathRoot(fullPath) ?? string.Empty;
        var parts = fullPath[root.Length..].Split(
            [System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = System.IO.Path.Combine(current, parts[i]);
            try
            {
                FileSystemInfo info = i == parts.Length - 1 ? new FileInfo(next) : new DirectoryInfo(next);
                if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    next = ResolveLinks(System.IO.Path.GetFullPath(target.FullName), depth + 1);
                }
            }
            catch (IOException)
            {
                // An unreadable or cyclic link: keep the path as given.
            }
            catch (UnauthorizedAccessException)
            {
            }

            current = next;
        }

        return current;
    }

    /// <summary>Environment variable of the crash test's fault injection (see docs/ledger.md#testing).</summary>
    internal const string TornAppendPauseVariable = "DPSYNTH_TEST_PAUSE_MID_APPEND_MS";

    // The chain and its anchor of the ledger as it is now, or the reason it is not read.
    private LedgerVerification ReadAndCheck()
    {
        var content = ReadAll(out var tooLarge);
        return tooLarge is null ? Check(content, out _) : new LedgerVerification([], tooLarge);
    }

    // The whole file; empty when it vanished meanwhile (the check then compares it with its anchor), and empty with a
    // problem when it is larger than MaxBytes.
    private byte[] ReadAll(out string? tooLarge)
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return ReadContent(stream, out tooLarge);
        }
        catch (FileNotFoundException)
        {
            tooLarge = null;
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            tooLarge = null;
            return [];
        }
    }

    // The stream's bytes from its start, or nothing and the problem when there are more than MaxBytes: never an array
    // sized by an unchecked length.
    private static byte[] ReadContent(FileStream stream, out string? tooLarge)
    {
        var length = stream.Length;
        if (length > MaxBytes)
        {
            tooLarge = Messages.LedgerTooLarge(length, MaxBytes);
            return [];
        }

        tooLarge = null;
        var content = new byte[length];
        stream.ReadExactly(content);
        return content;
    }

    // Writers take an exclusive lock (FileShare.None: flock LOCK_EX on Unix, a share lock on Windows), readers a shared
    // one (FileShare.Read: LOCK_SH), which every DPSynth process honours; retry with capped exponential backoff and
    // jitter until the timeout. A reader that cannot create or open the lock file (read-only folder or file) gets null
    // and reads without the lock; a writer is refused.
    private FileStream? AcquireLock(bool shared)
    {
        var lockPath = LockPath;
        var watch = Stopwatch.StartNew();
        var delay = 1;
        while (true)
        {
            try
            {
                return shared
                    ? new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.Read)
                    : new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (DirectoryNotFoundException)
            {
                throw;
            }
            catch (UnauthorizedAccessException) when (shared)
            {
                return null;
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new BudgetRefusedException(Messages.LedgerLockUnavailable(lockPath, ex.Message), ex);
            }
            catch (IOException) when (shared && !File.Exists(lockPath))
            {
                return null; // the lock file could not be created (e.g. a read-only file system)
            }
            catch (IOException ex) when (!shared && !File.Exists(lockPath))
            {
                throw new BudgetRefusedException(Messages.LedgerLockUnavailable(lockPath, ex.Message), ex);
            }
            catch (IOException) when (watch.Elapsed < LockTimeout)
            {
                Thread.Sleep(delay + Random.Shared.Next(delay));
                delay = Math.Min(delay * 2, 50);
            }
            catch (IOException ex)
            {
                throw new BudgetRefusedException(Messages.LedgerLockTimeout(lockPath), ex);
            }
        }
    }
}
