using System.ComponentModel;
using System.Runtime.InteropServices;

namespace DPSynth.IO;

/// <summary>
/// Makes a folder's entries durable: <c>fsync(2)</c> of the folder itself. Flushing a file writes its bytes, not its name:
/// after a power cut a rename or a new name that was never flushed in its folder can be gone, while a ledger entry
/// written (and flushed) after it says the file is there. A release's bundle folder, the ledger's anchor and every
/// atomically written file are therefore flushed in their folder once they have their final name.
/// </summary>
/// <remarks>
/// On Windows there is no folder handle to flush through .NET; NTFS journals renames, so nothing is done there. A file
/// system that cannot flush a folder (<c>EINVAL</c>: some network and FUSE file systems) keeps its own ordering rules,
/// and the flush is skipped; any other failure is an <see cref="IOException"/>, so a name that may not be durable is
/// never reported as written.
/// </remarks>
internal static class FolderSync
{
    /// <summary>errno of fsync(2) on a file descriptor that does not support it (Linux and macOS).</summary>
    private const int NotSupported = 22;

    /// <summary>Flushes the entries of <paramref name="folder"/> to the disk.</summary>
    /// <exception cref="IOException">The folder cannot be opened or flushed.</exception>
    public static void Flush(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Native.Open(folder, 0);
        if (descriptor < 0)
        {
            throw Failure("open", folder);
        }

        try
        {
            if (Native.Fsync(descriptor) != 0 && Marshal.GetLastPInvokeError() != NotSupported)
            {
                throw Failure("fsync", folder);
            }
        }
        finally
        {
            _ = Native.Close(descriptor);
        }
    }

    /// <summary>Flushes the folder that holds <paramref name="path"/>.</summary>
    public static void FlushParentOf(string path) => Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);

    private static IOException Failure(string call, string folder)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException(Diagnostics.Messages.FolderSyncFailed(call, folder, new Win32Exception(errno).Message));
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int descriptor);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int descriptor);
    }
}
