using System.Diagnostics;
using System.Globalization;
using DPSynth.Diagnostics;
using DPSynth.Privacy;

namespace DPSynth.Budget;

/// <summary>
/// The budget ledger across runs (design.md section 4; docs/ledger.md): a JSON Lines file with one hash-chained entry
/// per charge or cap. Every write takes an exclusive cross-process lock (<c>PATH.lock</c>), re-reads and verifies the
/// whole chain, checks the dataset's cap, appends one line and flushes it to disk before returning: a charge counts
/// only once it is durable, and concurrent processes compose. A ledger that does not verify refuses every write.
/// </summary>
public sealed class BudgetLedger
{
    /// <summary>The delta at which implied epsilons are reported for a dataset without a cap.</summary>
    public const double DefaultDelta = 1e-9;

    private readonly TimeProvider clock;

    /// <summary>A ledger at <paramref name="path"/> (created by the first write).</summary>
    public BudgetLedger(string path, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
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
    public string LockPath => ResolveLinks(Path, 0) + ".lock";

    /// <summary>How long a write waits for another process's lock before it is refused.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Reads and verifies the ledger under a shared lock. A missing file is an empty, valid ledger. A read-only reader
    /// who cannot create the lock file (or a process with .NET file locking disabled) reads without the lock; the
    /// result then says so (<see cref="LedgerVerification.ReadWithoutLock"/>), as a concurrent append may be seen torn.
    /// </summary>
    public LedgerVerification Verify()
    {
        if (!File.Exists(Path))
        {
            return LedgerVerifier.Verify([]);
        }

        if (FileLockingDisabled())
        {
            return LedgerVerifier.Verify(ReadAll()) with { ReadWithoutLock = true };
        }

        using var held = AcquireLock(shared: true);
        var verification = LedgerVerifier.Verify(ReadAll());
        return held is null ? verification with { ReadWithoutLock = true } : verification;
    }

    /// <summary>Records a cap for <paramref name="datasetId"/>: rho from (epsilon, delta) by the tight conversion.</summary>
    /// <exception cref="BudgetRefusedException">The ledger does not verify.</exception>
    public LedgerEntry SetCap(string datasetId, ApproxDp cap) => SetCap(datasetId, cap, out _);

    /// <summary>
    /// Records a cap for <paramref name="datasetId"/> (see <see cref="SetCap(string, ApproxDp)"/>) and returns the cap
    /// it replaces, read under the same lock, so a caller can warn when a cap is raised.
    /// </summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cap">The new cap.</param>
    /// <param name="replaced">The cap entry in force before this one, or null when the dataset had none.</param>
    /// <exception cref="BudgetRefusedException">The ledger does not verify.</exception>
    public LedgerEntry SetCap(string datasetId, ApproxDp cap, out LedgerEntry? replaced)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        var rho = Rounding.ToDoubleDown(Rho.FromApproxDp(cap).Value);
        LedgerEntry? before = null;
        var entry = Append((entries, sequence, previous) =>
        {
            before = DatasetSpend.Of(entries, datasetId).Cap;
            return LedgerEntry.Create(
                sequence, LedgerEntryKind.Cap, clock.GetUtcNow(), datasetId, null, null, null, rho, cap.Epsilon, cap.Delta,
                previous);
        });
        replaced = before;
        return entry;
    }

    /// <summary>
    /// Charges <paramref name="rho"/> (rounded up to a double) to <paramref name="datasetId"/>: refused when the
    /// dataset's spend would pass its cap; recorded with a warning flag when the dataset has no cap.
    /// </summary>
    /// <exception cref="BudgetRefusedException">The charge would pass the cap, or the ledger does not verify; nothing was written.</exception>
    public LedgerCharge Charge(string datasetId, string runId, Rho rho, string mechanism, string? policySha256 = null) =>
        Charge(datasetId, runId, rho, mechanism, policySha256, precondition: null);

    /// <summary>
    /// Charges like <see cref="Charge(string, string, Rho, string, string?)"/>, after <paramref name="precondition"/> has
    /// seen the verified entries under the same exclusive lock: it refuses the charge by throwing (e.g. a policy run that
    /// another process has released or is running meanwhile), so the check and the charge cannot interleave with
    /// another writer.
    /// </summary>
    /// <exception cref="BudgetRefusedException">The charge would pass the cap, or the ledger does not verify; nothing was written.</exception>
    public LedgerCharge Charge(
        string datasetId, string runId, Rho rho, string mechanism, string? policySha256,
        Action<IReadOnlyList<LedgerEntry>>? precondition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(mechanism);
        var charged = rho.ToDoubleUp();
        DatasetSpend? after = null;
        var entry = Append((entries, sequence, previous) =>
        {
            precondition?.Invoke(entries);
            var before = DatasetSpend.Of(entries, datasetId);
            var total = before.Spent + Rho.FromDouble(charged);
            if (before.Cap is { } cap && total > Rho.FromDouble(cap.Rho))
            {
                throw new BudgetRefusedException(
                    Messages.LedgerCapExceeded(datasetId, charged, before.Spent.ToDoubleUp(), cap.Rho));
            }

            after = before with { Spent = total };
            var delta = before.Delta;
            var epsilon = ZcdpConversion.EpsilonFromRho(Rho.FromDouble(charged), delta);
            return LedgerEntry.Create(
                sequence, LedgerEntryKind.Charge, clock.GetUtcNow(), datasetId, runId, policySha256, mechanism, charged,
                epsilon, delta, previous);
        });
        return new LedgerCharge(entry, after!);
    }

    /// <summary>
    /// Records how a policy run that charged ended (<see cref="RunOutcome"/>). No spend; the chain makes it as
    /// tamper-evident as the charge it closes. The idempotent re-run check and the orphan report read these.
    /// </summary>
    /// <param name="datasetId">The dataset charged.</param>
    /// <param name="runId">The run id of the charge.</param>
    /// <param name="policySha256">The policy's SHA-256.</param>
    /// <param name="outcome">One of <see cref="RunOutcome"/>'s values.</param>
    /// <param name="inputFingerprint">The keyed input fingerprint (never a plain hash), or null when it is unknown.</param>
    /// <param name="bundle">The bundle folder, for a release.</param>
    /// <exception cref="BudgetRefusedException">The ledger does not verify; nothing was written.</exception>
    public LedgerEntry RecordOutcome(
        string datasetId, string runId, string policySha256, string outcome, string? inputFingerprint, string? bundle)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(policySha256);
        if (!RunOutcome.IsKnown(outcome))
        {
            throw new ArgumentException($"Unknown outcome '{outcome}'.", nameof(outcome));
        }

        return Append((entries, sequence, previous) =>
        {
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
        if (FileLockingDisabled())
        {
            throw new BudgetRefusedException(Messages.LedgerFileLockingDisabled(Path));
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var held = AcquireLock(shared: false)!;
        using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        var content = new byte[stream.Length];
        stream.ReadExactly(content);
        var verification = LedgerVerifier.Verify(content);
        if (!verification.IsValid)
        {
            throw new BudgetRefusedException(Messages.LedgerUnverifiable(Path, verification.Problem!));
        }

        var entry = build(verification.Entries, verification.Entries.Count + 1, verification.HeadHash);
        byte[] line = [.. entry.ToLine(), (byte)'\n'];
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
        return entry;
    }

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

    private byte[] ReadAll()
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            return content;
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
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
