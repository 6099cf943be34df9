using System.ComponentModel;
using System.Runtime.InteropServices;

namespace DPSynth.IO;

/// <summary>Creates a file that must not exist yet, atomically: a private temporary file, then a publish that never overwrites.</summary>
internal static class NewFile
{
    /// <summary>errno for "the target exists", the same on Linux and macOS.</summary>
    private const int AlreadyExists = 17;

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> unless it exists. Of two processes racing, exactly one
    /// wins, and readers never see a partial file (except on a file system without hard links: see
    /// <see cref="CreateInPlace"/>). Returns false when the file already existed (nothing is changed).
    /// </summary>
    /// <param name="path">The file to create (its folder is created if missing).</param>
    /// <param name="content">The bytes.</param>
    /// <param name="ownerOnly">On Unix, create it with mode 0600 (owner read and write only): for secrets.</param>
    /// <exception cref="IOException">The file system refused to publish the file (for example, it has no hard links).</exception>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content, bool ownerOnly)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!Publish(temp, full))
            {
                return false;
            }

            FolderSync.Flush(folder);
            return true;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Gives the complete file <paramref name="temp"/> the name <paramref name="target"/> unless that name is taken (by a
    /// file, a folder or a link), atomically; false when it was taken. On Unix <paramref name="temp"/> stays as a second
    /// name of the file: the caller removes it.
    /// </summary>
    internal static bool Publish(string temp, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails atomically when the target exists.
            try
            {
                File.Move(temp, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }

        // On Unix, .NET's File.Move(overwrite: false) checks for the target and then calls rename(2), which replaces it:
        // two racing processes both "win" and the later one silently replaces the first one's file (CI saw three
        // different fingerprint keys from sixteen racers). link(2) fails with EEXIST when the name is taken, atomically;
        // the temporary name is then removed by the caller.
        if (Native.Link(temp, target) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == AlreadyExists)
        {
            return false;
        }

        return HasNoHardLinks(errno)
            ? CreateInPlace(temp, target)
            : throw new IOException(Diagnostics.Messages.NewFilePublishFailed(target, new Win32Exception(errno).Message));
    }

    /// <summary>
    /// True for the errors of a file system without hard links (FAT and exFAT, many SMB mounts, some FUSE file systems):
    /// EPERM everywhere, ENOTSUP/EOPNOTSUPP (95 on Linux; 45 and 102 on macOS), ENOSYS.
    /// </summary>
    private static bool HasNoHardLinks(int errno) =>
        errno == 1 || (OperatingSystem.IsMacOS() ? errno is 45 or 102 or 78 : errno is 95 or 38);

    /// <summary>
    /// Where there are no hard links: create the target itself with O_CREAT | O_EXCL, which still lets exactly one racer
    /// win, and copy the complete temporary file into it. The one cost: a reader racing the winner may see the file
    /// before its bytes are in; the key and certificate readers then fail closed (a malformed file) and a retry reads it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    internal static bool CreateInPlace(string temp, string target)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        options.UnixCreateMode = File.GetUnixFileMode(temp);
        FileStream stream;
        try
        {
            stream = new FileStream(target, options);
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }

        // Streamed, not read whole: a synthetic table published this way may be larger than the memory.
        try
        {
            using (stream)
            using (var source = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                source.CopyTo(stream);
                stream.Flush(flushToDisk: true);
            }

            return true;
        }
        catch
        {
            // The name is ours but the copy failed (a full disk): never leave a partial file under it.
            File.Delete(target);
            throw;
        }
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "link", SetLastError = true)]
        public static extern int Link(
            [MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    }
}
