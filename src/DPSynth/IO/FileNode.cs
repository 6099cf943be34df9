using System.Runtime.InteropServices;

namespace DPSynth.IO;

/// <summary>What a path names in the file system.</summary>
internal enum FileKind
{
    /// <summary>Nothing (or a folder on the way is missing).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (only when links are not followed).</summary>
    SymbolicLink,

    /// <summary>Anything else: a FIFO, a device, a socket, or a path the system cannot stat (a link loop).</summary>
    Other,
}

/// <summary>
/// A file-system object as <c>stat(2)</c> or <c>lstat(2)</c> describes it: its <see cref="Kind"/> and, on Linux and
/// macOS, the device and inode that name it whatever the path (hard links, symbolic links, <c>..</c>).
/// </summary>
/// <remarks>
/// .NET reports neither the inode nor whether a file is a FIFO or a device (<see cref="FileAttributes"/> calls both
/// <c>Normal</c>), and opening a FIFO to find out blocks until a writer comes. So this calls the C library's
/// <c>stat</c>/<c>lstat</c> and reads three fields of <c>struct stat</c> at the offsets of the platforms .NET supports:
/// Linux x64 and arm64 (glibc or musl), macOS x64 and arm64. Elsewhere it falls back to what .NET can tell (links and
/// folders; no identity, and FIFOs or devices look regular), and <see cref="HasIdentity"/> is false.
/// </remarks>
/// <param name="Kind">What the path names.</param>
/// <param name="Device">The device (<c>st_dev</c>), when <see cref="HasIdentity"/>.</param>
/// <param name="Inode">The inode (<c>st_ino</c>), when <see cref="HasIdentity"/>.</param>
/// <param name="HasIdentity">True when the device and inode are known (the object exists and the platform reports them).</param>
internal readonly record struct FileNode(FileKind Kind, ulong Device, ulong Inode, bool HasIdentity)
{
    /// <summary>Describes <paramref name="path"/>; with <paramref name="followLinks"/>, what its links finally point to.</summary>
    public static FileNode Of(string path, bool followLinks)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Native.Layout is { } layout)
        {
            try
            {
                return Native.Stat(layout, path, followLinks);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // No C library of the expected shape: what .NET itself can tell (no identity) is still safe to compare.
            }
        }

        return Managed(path, followLinks);
    }

    private static FileNode Managed(string path, bool followLinks)
    {
        FileSystemInfo info = new FileInfo(path);
        if (followLinks && info.LinkTarget is not null)
        {
            try
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            }
            catch (IOException)
            {
                return new FileNode(FileKind.Other, 0, 0, false); // a link loop
            }
        }

        if (!info.Exists && !System.IO.Directory.Exists(info.FullName))
        {
            return new FileNode(!followLinks && info.LinkTarget is not null ? FileKind.SymbolicLink : FileKind.Missing, 0, 0, false);
        }

        var attributes = info.Attributes;
        var kind = !followLinks && attributes.HasFlag(FileAttributes.ReparsePoint) ? FileKind.SymbolicLink
            : attributes.HasFlag(FileAttributes.Directory) ? FileKind.Directory
            : attributes.HasFlag(FileAttributes.Device) ? FileKind.Other
            : FileKind.Regular;
        return new FileNode(kind, 0, 0, false);
    }

    /// <summary>Where <c>st_dev</c>, <c>st_ino</c> and <c>st_mode</c> sit in this platform's <c>struct stat</c>.</summary>
    private sealed record StatLayout(int DeviceOffset, bool DeviceIs32Bits, int InodeOffset, int ModeOffset, bool ModeIs16Bits);

    private static class Native
    {
        // The file-type bits of st_mode: the same values on Linux and macOS.
        private const uint TypeMask = 0xF000;
        private const uint RegularType = 0x8000;
        private const uint DirectoryType = 0x4000;
        private const uint LinkType = 0xA000;

        // errno values meaning "no such path": ENOENT and ENOTDIR, the same on Linux and macOS.
        private const int NoEntry = 2;
        private const int NotADirectory = 20;

        // Larger than struct stat on every supported platform (144 bytes at most).
        private const int BufferSize = 256;

        private static bool useLegacyGlibc;

        /// <summary>The layout of this platform, or null where the offsets are not known.</summary>
        public static StatLayout? Layout { get; } = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 when OperatingSystem.IsLinux() => new StatLayout(0, false, 8, 24, false),
            Architecture.Arm64 when OperatingSystem.IsLinux() => new StatLayout(0, false, 8, 16, false),
            Architecture.X64 or Architecture.Arm64 when OperatingSystem.IsMacOS() => new StatLayout(0, true, 8, 4, true),
            _ => null,
        };

        public static FileNode Stat(StatLayout layout, string path, bool followLinks)
        {
            var buffer = new byte[BufferSize];
            if (Call(path, followLinks, buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return new FileNode(errno is NoEntry or NotADirectory ? FileKind.Missing : FileKind.Other, 0, 0, false);
            }

            var span = buffer.AsSpan();
            var mode = layout.ModeIs16Bits
                ? BitConverter.ToUInt16(span[layout.ModeOffset..])
                : BitConverter.ToUInt32(span[layout.ModeOffset..]);
            var device = layout.DeviceIs32Bits
                ? BitConverter.ToUInt32(span[layout.DeviceOffset..])
                : BitConverter.ToUInt64(span[layout.DeviceOffset..]);
            var kind = (mode & TypeMask) switch
            {
                RegularType => FileKind.Regular,
                DirectoryType => FileKind.Directory,
                LinkType => FileKind.SymbolicLink,
                _ => FileKind.Other,
            };
            return new FileNode(kind, device, BitConverter.ToUInt64(span[layout.InodeOffset..]), true);
        }

        private static int Call(string path, bool followLinks, byte[] buffer)
        {
            if (OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            {
                // x64 macOS keeps the 32-bit-inode struct under the plain names for old binaries.
                return followLinks ? Stat64(path, buffer) : LStat64(path, buffer);
            }

            if (!useLegacyGlibc)
            {
                try
                {
                    return followLinks ? Stat(path, buffer) : LStat(path, buffer);
                }
                catch (EntryPointNotFoundException)
                {
                    useLegacyGlibc = true; // glibc before 2.33 exports only __xstat and __lxstat
                }
            }

            // _STAT_VER of the kernel's struct stat: 1 on x64, 0 on arm64.
            var version = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0;
            return followLinks ? XStat(version, path, buffer) : LXStat(version, path, buffer);
        }

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "__xstat", SetLastError = true)]
        private static extern int XStat(int version, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "__lxstat", SetLastError = true)]
        private static extern int LXStat(int version, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        private static extern int Stat64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
        private static extern int LStat64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
    }
}
