namespace DPSynth.Tests.Support;

/// <summary>Every file below a folder with its bytes: a test takes one before a command and checks nothing changed after.</summary>
public sealed class FolderSnapshot
{
    private readonly string folder;
    private readonly SortedDictionary<string, byte[]> files = new(StringComparer.Ordinal);

    /// <summary>Reads every file below <paramref name="folder"/> now.</summary>
    public FolderSnapshot(string folder)
    {
        this.folder = folder;
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(folder, path)] = File.ReadAllBytes(path);
        }
    }

    /// <summary>Asserts the folder holds the same files with the same bytes: nothing written, replaced, added or removed.</summary>
    public void AssertUnchanged()
    {
        var now = new FolderSnapshot(folder);
        Assert.Equal(files.Keys, now.files.Keys);
        foreach (var (name, bytes) in files)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(now.files[name]), $"{name} changed");
        }
    }
}
