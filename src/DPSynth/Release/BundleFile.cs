using DPSynth.Diagnostics;

namespace DPSynth.Release;

/// <summary>
/// One file to put into a bundle, by name: written by a callback, or copied from an existing file. The name is checked
/// when the value is made (<see cref="BundleLayout.IsSafeFileName"/>, and neither <c>manifest.json</c> nor
/// <c>manifest.p7s</c>).
/// </summary>
public sealed class BundleFile
{
    private readonly Action<Stream>? write;
    private readonly string? sourcePath;

    private BundleFile(string name, Action<Stream>? write, string? sourcePath)
    {
        if (!BundleLayout.IsSafeFileName(name) || BundleLayout.IsReserved(name))
        {
            throw new ArgumentException(Messages.BundleUnsafeFileName(name), nameof(name));
        }

        Name = name;
        this.write = write;
        this.sourcePath = sourcePath;
    }

    /// <summary>The file's name in the bundle folder.</summary>
    public string Name { get; }

    /// <summary>A file whose content <paramref name="write"/> writes to the stream it is given (it must not close it).</summary>
    /// <exception cref="ArgumentException">The name is not a safe plain file name, or is reserved.</exception>
    public static BundleFile FromWriter(string name, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return new BundleFile(name, write, null);
    }

    /// <summary>A copy of the existing file at <paramref name="sourcePath"/> (read when the bundle is written).</summary>
    /// <exception cref="ArgumentException">The name is not a safe plain file name, or is reserved.</exception>
    public static BundleFile FromPath(string name, string sourcePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        return new BundleFile(name, null, sourcePath);
    }

    /// <summary>Writes the content to <paramref name="destination"/>.</summary>
    internal void WriteTo(Stream destination)
    {
        if (write is not null)
        {
            write(destination);
            return;
        }

        if (!File.Exists(sourcePath))
        {
            throw new InputException(Messages.FileNotFound(sourcePath!));
        }

        using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        source.CopyTo(destination);
    }
}
