namespace DPSynth.IO;

/// <summary>
/// A folder for the operator's eyes only (figures computed from the private rows without DP): on Unix mode 0700, so
/// no other local user can list or read it. Its files are written with <c>ownerOnly</c> (<see cref="AtomicFile"/>).
/// </summary>
internal static class PrivateFolder
{
    /// <summary>The folder's mode on Unix: owner read, write and search (0700).</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> (its missing parents with the usual mode), or takes the existing folder, and on
    /// Unix makes it mode 0700. On Windows the folder inherits its parent's access rules.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">An existing folder belongs to another user (its mode cannot be set).</exception>
    public static void Create(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return;
        }

        // The parents first, with the usual mode: the mode given to CreateDirectory applies to every folder it creates.
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Directory.CreateDirectory(full, Mode); // mkdir(2) with 0700: never open to others, not even for a moment
        File.SetUnixFileMode(full, Mode);      // a folder that existed (an earlier version made it 0755), or a umask
    }
}
