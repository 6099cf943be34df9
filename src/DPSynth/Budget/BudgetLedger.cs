using System.Diagnostics;
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

    /// <summary>The lock file beside it.</summary>
    public string LockPath => Path + ".lock";

    /// <summary>How long a write waits for another process's lock before it is refused.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reads and verifies the ledger under the lock. A missing file is an empty, valid ledger.</summary>
    public LedgerVerification Verify()
    {
        if (!File.Exists(Path))
        {
            return LedgerVerifier.Verify([]);
        }

        using var held = AcquireLock();
        return LedgerVerifier.Verify(ReadAll());
    }

    /// <summary>Records a cap for <paramref name="datasetId"/>: rho from (epsilon, delta) by the tight conversion.</summary>
    /// <exception cref="BudgetRefusedException">The ledger does not verify.</exception>
    public LedgerEntry SetCap(string datasetId, ApproxDp cap)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        var rho = Rounding.ToDoubleDown(Rho.FromApproxDp(cap).Value);
        return Append((entries, sequence, previous) => LedgerEntry.Create(
            sequence, LedgerEntryKind.Cap, clock.GetUtcNow(), datasetId, null, null, null, rho, cap.Epsilon, cap.Delta, previous));
    }

    /// <summary>
    /// Charges <paramref name="rho"/> (rounded up to a double) to <paramref name="datasetId"/>: refused when the
    /// dataset's spend would pass its cap; recorded with a warning flag when the dataset has no cap.
    /// </summary>
    /// <exception cref="BudgetRefusedException">The charge would pass the cap, or the ledger does not verify; nothing was written.</exception>
    public LedgerCharge Charge(string datasetId, string runId, Rho rho, string mechanism, string? policySha256 = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(mechanism);
        var charged = rho.ToDoubleUp();
        DatasetSpend? after = null;
        var entry = Append((entries, sequence, previous) =>
        {
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

    private LedgerEntry Append(Func<IReadOnlyList<LedgerEntry>, long, string, LedgerEntry> build)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var held = AcquireLock();
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
        var pause = Environment.GetEnvironmentVariable(TornAppendPauseVariable);
        if (pause is not null && int.TryParse(pause, out var milliseconds))
        {
            // Fault injection for the crash test (docs/ledger.md#testing): write half the line, make it durable, say
            // so, and wait to be killed. Only set by the test suite for a child process it then kills.
            stream.Write(line, 0, line.Length / 2);
            stream.Flush(flushToDisk: true);
            Console.Error.WriteLine("paused mid-append");
            Console.Error.Flush();
            Thread.Sleep(milliseconds);
        }

        stream.Write(line);
        stream.Flush(flushToDisk: true);
        return entry;
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

    private FileStream AcquireLock()
    {
        // FileShare.None is an exclusive advisory lock (flock on Unix, a share lock on Windows) that every DPSynth
        // process honours; retry with capped exponential backoff and jitter until the timeout.
        var watch = Stopwatch.StartNew();
        var delay = 1;
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (DirectoryNotFoundException)
            {
                throw;
            }
            catch (IOException) when (watch.Elapsed < LockTimeout)
            {
                Thread.Sleep(delay + Random.Shared.Next(delay));
                delay = Math.Min(delay * 2, 50);
            }
            catch (IOException ex)
            {
                throw new BudgetRefusedException(Messages.LedgerLockTimeout(LockPath), ex);
            }
        }
    }
}
