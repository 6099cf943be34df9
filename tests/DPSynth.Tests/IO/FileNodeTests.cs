using System.Runtime.Versioning;
using DPSynth.IO;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.IO;

public sealed class FileNodeTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void EveryKindOfFileIsToldApartWithoutOpeningIt()
    {
        var file = temp.WriteFile("file.txt", "x");
        var link = temp.File("link.txt");
        File.CreateSymbolicLink(link, file);
        var fifo = temp.File("fifo");
        UnixFiles.Fifo(fifo);

        Assert.Equal(FileKind.Regular, FileNode.Of(file, followLinks: false).Kind);
        Assert.Equal(FileKind.Directory, FileNode.Of(temp.Path, followLinks: false).Kind);
        Assert.Equal(FileKind.SymbolicLink, FileNode.Of(link, followLinks: false).Kind);
        Assert.Equal(FileKind.Regular, FileNode.Of(link, followLinks: true).Kind);
        Assert.Equal(FileKind.Other, FileNode.Of(fifo, followLinks: false).Kind); // stat only: a read would block
        Assert.Equal(FileKind.Other, FileNode.Of("/dev/null", followLinks: true).Kind);
        Assert.Equal(FileKind.Missing, FileNode.Of(temp.File("absent"), followLinks: false).Kind);
        Assert.Equal(FileKind.Missing, FileNode.Of(Path.Combine(file, "below-a-file"), followLinks: false).Kind);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void EveryNameOfAFileHasItsIdentityAndOtherFilesDoNot()
    {
        var file = temp.WriteFile("file.txt", "x");
        var copy = temp.WriteFile("copy.txt", "x");
        var hard = temp.File("hard.txt");
        UnixFiles.HardLink(file, hard);
        var link = temp.File("link.txt");
        File.CreateSymbolicLink(link, file);

        static (ulong, ulong)? Identity(string path, bool follow) =>
            FileNode.Of(path, follow) is { HasIdentity: true } n ? (n.Device, n.Inode) : null;

        var identity = Identity(file, true);
        Assert.NotNull(identity);
        Assert.Equal(identity, Identity(hard, true));
        Assert.Equal(identity, Identity(link, true));
        Assert.NotEqual(identity, Identity(link, false));
        Assert.NotEqual(identity, Identity(copy, true));
        Assert.Null(Identity(temp.File("absent"), true));
    }
}
