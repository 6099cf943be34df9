using System.Runtime.Versioning;
using DPSynth.IO;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.IO;

/// <summary>
/// The folder flush behind every atomic write and every published bundle. A power cut cannot be staged in a test: these
/// check that the flush really opens and syncs the folder, and that a folder it cannot open is an error, never skipped.
/// </summary>
public sealed class FolderSyncTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void AFolderWithANewNameIsFlushedAndAMissingOneIsAnError()
    {
        var file = temp.WriteFile("entry.txt", "x");
        FolderSync.FlushParentOf(file);
        FolderSync.Flush(temp.Path);

        var missing = temp.File("absent");
        var error = Assert.Throws<IOException>(() => FolderSync.Flush(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("open", error.Message, StringComparison.Ordinal);
    }
}
