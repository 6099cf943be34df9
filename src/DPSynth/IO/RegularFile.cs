using System.Runtime.InteropServices;
using System.Text;
using DPSynth.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace DPSynth.IO;

/// <summary>
/// Opens the files a user names as input (policy, schema, CSV, model, ledger) only when they are regular files,
/// following symbolic links. Anything else is refused with an <see cref="InputException"/> before it is read: a FIFO
/// blocks the open until some writer appears (a hang), a device such as <c>/dev/zero</c> never ends (memory runs out),
/// and a folder or socket cannot be read at all.
/// </summary>
/// <remarks>
/// The type is checked on the path before opening (a FIFO must never be opened for reading) and again on the opened
/// handle, so a path swapped for a device between the two is still refused. .NET has no public API for a file's type
/// (dotnet/runtime#85148), so on Unix it comes from <c>stat</c>/<c>fstat</c> through the runtime's own native shim; where
/// that is unavailable (Windows), folders are refused by name and anything not seekable once opened (a pipe, a
/// console) is refused.
/// </remarks>
public static class RegularFile
{
    /// <summary>
    /// What <paramref name="path"/> is when it exists but is not a regular file ("a folder", "a FIFO (named pipe)",
    /// ...); null when it is a regular file, does not exist, or its type cannot be told.
    /// </summary>
    public static string? NonRegularKind(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return Messages.FileKindFolder;
        }

        if (UnixFileType.OfPath(path) is { } mode)
        {
            return KindName(mode);
        }

        // Fail closed: on Unix, where the type query works (it tells /dev/null is a device), an existing file whose type
        // cannot be read is not known to be regular; where the query itself is broken, no file is.
        return !OperatingSystem.IsWindows() && File.Exists(path) ? Messages.FileKindUnknown : null;
    }

    /// <summary>Checks that <paramref name="path"/> names an existing regular file.</summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="what">What the file is for, in a message ("the policy", "the input CSV").</param>
    /// <exception cref="InputException">The file does not exist, or is not a regular file.</exception>
    public static void Require(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(what);
        if (NonRegularKind(path) is { } kind)
        {
            throw new InputException(Messages.NotARegularFile(what, path, kind));
        }

        if (!File.Exists(path))
        {
            throw new InputException(Messages.FileNotFound(path));
        }
    }

    /// <summary>Opens a regular file for reading (shared read), after <see cref="Require"/>.</summary>
    /// <exception cref="InputException">The file does not exist, or is not a regular file.</exception>
    public static FileStream OpenRead(string path, string what, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        Require(path, what);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, options);
        var kind = UnixFileType.OfHandle(stream.SafeFileHandle) is { } mode ? KindName(mode) : null;
        if (kind is null && !stream.CanSeek)
        {
            kind = Messages.FileKindStream;
        }

        if (kind is not null)
        {
            stream.Dispose();
            throw new InputException(Messages.NotARegularFile(what, path, kind));
        }

        return stream;
    }

    /// <summary>Every byte of a regular file.</summary>
    /// <exception cref="InputException">The file does not exist, or is not a regular file.</exception>
    public static byte[] ReadAllBytes(string path, string what)
    {
        using var stream = OpenRead(path, what);
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>The text of a regular file, decoded as <see cref="File.ReadAllText(string, Encoding)"/> does.</summary>
    /// <exception cref="InputException">The file does not exist, or is not a regular file.</exception>
    public static string ReadAllText(string path, string what, Encoding encoding)
    {
        using var reader = new StreamReader(OpenRead(path, what), encoding, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The name of a non-regular file type, or null for a regular file.</summary>
    private static string? KindName(int mode) => (mode & UnixFileType.TypeMask) switch
    {
        UnixFileType.Regular => null,
        UnixFileType.Directory => Messages.FileKindFolder,
        UnixFileType.Fifo => Messages.FileKindFifo,
        UnixFileType.CharacterDevice or UnixFileType.BlockDevice => Messages.FileKindDevice,
        UnixFileType.Socket => Messages.FileKindSocket,
        _ => Messages.FileKindStream,
    };

    /// <summary>
    /// <c>stat</c> and <c>fstat</c> through <c>libSystem.Native</c>, the shim every .NET runtime on Unix ships and its
    /// own file APIs use: unlike libc's <c>struct stat</c>, its record has one layout on every Unix and architecture,
    /// with the type bits in the second field, in the runtime's own (POSIX-valued) constants.
    /// </summary>
    private static class UnixFileType
    {
        public const int TypeMask = 0xF000;
        public const int Fifo = 0x1000;
        public const int CharacterDevice = 0x2000;
        public const int Directory = 0x4000;
        public const int BlockDevice = 0x6000;
        public const int Regular = 0x8000;
        public const int Socket = 0xC000;

        private const string Library = "libSystem.Native";

        /// <summary>The mode bits of the file at <paramref name="path"/> (links followed); null when unknown.</summary>
        public static int? OfPath(string path) => Query(() => (Stat(path, out var status), status));

        /// <summary>The mode bits of an opened file; null when unknown.</summary>
        public static int? OfHandle(SafeFileHandle handle) => Query(() => (FStat(handle, out var status), status));

        /// <summary>
        /// True when the query reports what it must for a file whose type every Unix fixes: <c>/dev/null</c> is a
        /// character device. Checked once; false means the runtime's shim changed, and nothing is taken for regular.
        /// </summary>
        private static readonly Lazy<bool> Works = new(() =>
            !OperatingSystem.IsWindows() && Raw(() => (Stat("/dev/null", out var status), status)) is { } mode
            && (mode & TypeMask) == CharacterDevice);

        private static int? Query(Func<(int Result, Status Status)> call) =>
            OperatingSystem.IsWindows() || !Works.Value ? null : Raw(call);

        private static int? Raw(Func<(int Result, Status Status)> call)
        {

            try
            {
                var (result, status) = call();
                return result == 0 ? status.Mode : null;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }

        [DllImport(Library, EntryPoint = "SystemNative_Stat")]
        private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out Status status);

        [DllImport(Library, EntryPoint = "SystemNative_FStat")]
        private static extern int FStat(SafeFileHandle handle, out Status status);

        /// <summary>
        /// The shim's <c>FileStatus</c>: only <c>Mode</c> (after the 32-bit <c>Flags</c>) is read. The size leaves room
        /// far beyond the record's (about 120 bytes), so a later runtime that adds fields cannot write past it.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 512)]
        private struct Status
        {
            [FieldOffset(4)]
            public int Mode;
        }
    }
}
