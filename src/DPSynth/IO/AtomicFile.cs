namespace DPSynth.IO;

/// <summary>
/// Writes an output file so that a failure never leaves a half-written file behind: the content goes to a
/// temporary file in the same folder (same volume, so the rename is atomic), is flushed, then renamed over the target,
/// and the folder is flushed so that the new name survives a power cut (<see cref="FolderSync"/>).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any exception the target is untouched.</summary>
    /// <param name="path">The file to write (its folder is created if missing).</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="ownerOnly">
    /// On Unix, the file is mode 0600 (owner read and write only) from its creation on, for figures of the private rows;
    /// the rename keeps the mode. Otherwise the usual mode (0666 less the umask).
    /// </param>
    public static void Write(string path, Action<Stream> write, bool ownerOnly = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (ownerOnly && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            FolderSync.Flush(folder);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes UTF-8 text (no BOM) atomically; <paramref name="ownerOnly"/> as for <see cref="Write"/>.</summary>
    public static void WriteText(string path, string text, bool ownerOnly = false) =>
        Write(
            path,
            stream =>
            {
                using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
                writer.Write(text);
            },
            ownerOnly);
}
