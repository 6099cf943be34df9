using DPSynth.Budget;

namespace DPSynth.Release;

/// <summary>
/// The hidden folder a bundle is written into before it is renamed into place (<c>.&lt;name&gt;.tmp-&lt;guid&gt;</c>),
/// with a lock file beside it (the same name plus <c>.lock</c>) that its writer holds open with
/// <see cref="FileShare.None"/> from before the folder exists until after it is renamed or deleted.
/// </summary>
/// <remarks>
/// A writer killed mid-write leaves its folder behind, and no one else knows it is dead. The lock tells: the operating
/// system drops a dead process's lock, so <see cref="RemoveStale"/> removes exactly the folders whose lock it can take,
/// and never the folder of a writer still at work. The lock file sits beside the folder, not in it, because the folder
/// becomes the bundle and a bundle holds nothing unlisted. Ordering makes the check sound: a writer locks before it
/// creates its folder and unlocks only once the folder is gone (renamed or deleted), so a folder without a lock file
/// belongs to no live writer (it was left by a kill, or by a version of DPSynth without these locks). Where locks do not
/// work (.NET's file locking switched off, or a file system that ignores <c>flock</c>, which .NET then ignores silently),
/// nothing is removed: a lock could not be told from no lock. Lock files are deleted by name while held, never with
/// <see cref="FileOptions.DeleteOnClose"/>, which would also fire when a second open fails to get the lock.
/// </remarks>
internal sealed class StagingFolder : IDisposable
{
    /// <summary>What sits between the bundle's name and the writer's id in a staging folder's name.</summary>
    public const string Marker = ".tmp-";

    /// <summary>The lock file's suffix: <c>.&lt;name&gt;.tmp-&lt;guid&gt;.lock</c>.</summary>
    public const string LockSuffix = ".lock";

    // A new lock file can lose its lock to a cleaner that opened it between its creation and the writer's lock (on Unix
    // the two are separate calls); the writer then tries a new name.
    private const int Attempts = 5;

    // Exclusive for everyone. On Windows the holder also allows deletion, so it can delete its lock file by name while
    // holding it (a share mode there, not a lock); on Unix FileShare.None is what makes .NET take flock(LOCK_EX).
    private static readonly FileShare LockShare = OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None;

    private readonly FileStream lockFile;
    private bool published;

    private StagingFolder(string path, FileStream lockFile)
    {
        Path = path;
        this.lockFile = lockFile;
    }

    /// <summary>The folder (absolute).</summary>
    public string Path { get; }

    /// <summary>Locks a new staging folder for the bundle <paramref name="name"/> in <paramref name="parent"/> and creates it.</summary>
    /// <exception cref="IOException">The lock file or the folder cannot be created.</exception>
    public static StagingFolder Create(string parent, string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            var path = System.IO.Path.Combine(parent, $".{name}{Marker}{Guid.NewGuid():N}");
            FileStream lockFile;
            try
            {
                lockFile = Lock(path + LockSuffix, FileMode.CreateNew);
            }
            catch (IOException) when (attempt < Attempts)
            {
                continue;
            }

            try
            {
                Directory.CreateDirectory(path);
                return new StagingFolder(path, lockFile);
            }
            catch
            {
                Unlock(lockFile);
                throw;
            }
        }
    }

    /// <summary>
    /// Renames the folder to <paramref name="final"/> (atomic on one volume); it is then no longer deleted on dispose. The
    /// parent folder is flushed before this returns: the ledger records the release next, and after a power cut a
    /// "released" entry must not point at a rename that was lost (the next run would remove the complete bundle as a
    /// stale staging folder). The folder's own entries (the bundle's files, each flushed by its writer) are flushed first.
    /// </summary>
    public void Publish(string final)
    {
        IO.FolderSync.Flush(Path);
        Directory.Move(Path, final);
        published = true;
        IO.FolderSync.FlushParentOf(final);
    }

    /// <summary>Deletes the folder unless it was published, then drops the lock (which deletes the lock file).</summary>
    public void Dispose()
    {
        if (!published)
        {
            TryDelete(Path);
        }

        Unlock(lockFile);
    }

    /// <summary>
    /// Removes the staging folders in <paramref name="parent"/> left by writers that are gone (killed, crashed), with their
    /// lock files; never one whose writer still holds its lock. Best effort: what cannot be removed now is left for later.
    /// </summary>
    /// <returns>The folders removed.</returns>
    public static IReadOnlyList<string> RemoveStale(string parent)
    {
        var removed = new List<string>();
        if (!Directory.Exists(parent) || !LocksWork(parent))
        {
            return removed;
        }

        foreach (var folder in Directory.EnumerateDirectories(parent, $".*{Marker}*").Where(IsStagingName))
        {
            if (TryRemoveUnlocked(folder))
            {
                removed.Add(folder);
            }
        }

        // A writer killed between its rename and its unlock leaves only the lock file.
        foreach (var lockPath in Directory.EnumerateFiles(parent, $".*{Marker}*{LockSuffix}"))
        {
            var folder = lockPath[..^LockSuffix.Length];
            if (IsStagingName(folder) && !Directory.Exists(folder))
            {
                TryRemoveUnlocked(folder);
            }
        }

        return removed;
    }

    /// <summary>True for <c>.&lt;name&gt;.tmp-&lt;32 hex digits&gt;</c>.</summary>
    private static bool IsStagingName(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        var at = name.LastIndexOf(Marker, StringComparison.Ordinal);
        return name.StartsWith('.') && at > 1 && name.Length - at - Marker.Length == 32
            && name.AsSpan(at + Marker.Length).ContainsAnyExcept("0123456789abcdef") is false;
    }

    /// <summary>Takes the folder's lock if no one holds it, then deletes the folder and the lock file.</summary>
    private static bool TryRemoveUnlocked(string folder)
    {
        FileStream? held = null;
        try
        {
            // No lock file: no live writer (each locks before it creates its folder and unlocks after it is gone).
            if (File.Exists(folder + LockSuffix))
            {
                held = Lock(folder + LockSuffix, FileMode.Open);
            }

            return TryDelete(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // held by a live writer (or gone meanwhile, or not ours to remove)
        }
        finally
        {
            if (held is not null)
            {
                Unlock(held);
            }
        }
    }

    private static FileStream Lock(string path, FileMode mode) =>
        new(path, mode, FileAccess.ReadWrite, LockShare, bufferSize: 1);

    /// <summary>Deletes the lock file while still holding it, then lets go.</summary>
    private static void Unlock(FileStream held)
    {
        try
        {
            File.Delete(held.Name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unheld lock file left behind is taken and removed by the next cleaner.
        }

        held.Dispose();
    }

    /// <summary>
    /// True when a second exclusive open of a file in <paramref name="folder"/> is refused while the first is held: the
    /// locks this cleaning relies on are real here.
    /// </summary>
    private static bool LocksWork(string folder)
    {
        if (BudgetLedger.FileLockingDisabled())
        {
            return false;
        }

        // Named like a lock file whose folder is gone, so one left by a kill is removed like any other.
        var probe = System.IO.Path.Combine(folder, $".lock-probe{Marker}{Guid.NewGuid():N}{LockSuffix}");
        try
        {
            using var first = Lock(probe, FileMode.CreateNew);
            try
            {
                using var second = Lock(probe, FileMode.Open);
                return false;
            }
            catch (IOException)
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private static bool TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover hidden staging folder is never mistaken for a bundle; a later writer tries again.
        }

        return false;
    }
}
