namespace DPSynth.Release;

/// <summary>Creates a file that must not exist yet, atomically: a private temporary file, then a rename that never overwrites.</summary>
internal static class NewFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> unless it exists. Readers never see a partial file, and
    /// of two processes racing, exactly one wins. Returns false when the file already existed (nothing is changed).
    /// </summary>
    /// <param name="path">The file to create (its folder is created if missing).</param>
    /// <param name="content">The bytes.</param>
    /// <param name="ownerOnly">On Unix, create it with mode 0600 (owner read and write only): for secrets.</param>
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

            try
            {
                File.Move(temp, full, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(full))
            {
                return false;
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
