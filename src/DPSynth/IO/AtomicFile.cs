using DPSynth.Diagnostics;

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
    /// <param name="existing">
    /// Whether a file already at <paramref name="path"/> is replaced, or kept: then the complete file is published under
    /// its name only if the name is still free at that instant (<see cref="NewFile"/>: link(2) on Unix, a rename that
    /// does not replace on Windows), and an <see cref="InputException"/> says that it was taken meanwhile.
    /// </param>
    /// <exception cref="InputException"><paramref name="existing"/> is <see cref="ExistingFile.Refuse"/> and the name was taken.</exception>
    public static void Write(string path, Action<Stream> write, bool ownerOnly = false, ExistingFile existing = ExistingFile.Replace)
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

            if (existing == ExistingFile.Replace)
            {
                File.Move(temp, full, overwrite: true);
            }
            else if (!NewFile.Publish(temp, full))
            {
                throw new InputException(Messages.OutputAppeared(path));
            }

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
    public static void WriteText(string path, string text, bool ownerOnly = false, ExistingFile existing = ExistingFile.Replace) =>
        Write(
            path,
            stream =>
            {
                using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
                writer.Write(text);
            },
            ownerOnly,
            existing);
}
