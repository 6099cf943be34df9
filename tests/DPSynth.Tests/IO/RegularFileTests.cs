using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.IO;

/// <summary><see cref="RegularFile"/>: only regular files (symbolic links followed) are opened as input (issue 14).</summary>
public sealed class RegularFileTests
{
    [Fact]
    public void ARegularFileAndALinkToOneAreRead()
    {
        using var dir = new TempDirectory();
        var file = dir.WriteFile("a.txt", "hello");

        Assert.Equal("hello", RegularFile.ReadAllText(file, "the test file", System.Text.Encoding.UTF8));
        Assert.Null(RegularFile.NonRegularKind(file));
        if (!OperatingSystem.IsWindows())
        {
            var link = dir.File("link.txt");
            File.CreateSymbolicLink(link, file);
            Assert.Equal("hello"u8.ToArray(), RegularFile.ReadAllBytes(link, "the test file"));
        }
    }

    [Fact]
    public void AMissingFileAndAFolderAreRefusedByName()
    {
        using var dir = new TempDirectory();

        var missing = Assert.Throws<InputException>(() => RegularFile.Require(dir.File("none.csv"), Messages.WhatCsv));
        var folder = Assert.Throws<InputException>(() => RegularFile.OpenRead(dir.Path, Messages.WhatCsv));

        Assert.Equal(Messages.FileNotFound(dir.File("none.csv")), missing.Message);
        Assert.Contains("is a folder, not a regular file", folder.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public void ADeviceIsRefusedBeforeAnyByteIsRead()
    {
        var ex = Assert.Throws<InputException>(() => RegularFile.ReadAllBytes(SpecialFiles.Device, Messages.WhatPolicy));

        Assert.Equal(Messages.NotARegularFile(Messages.WhatPolicy, SpecialFiles.Device, Messages.FileKindDevice), ex.Message);
    }

    [UnixFact]
    public void AFifoIsRefusedWithoutBeingOpened()
    {
        using var dir = new TempDirectory();
        var fifo = SpecialFiles.MakeFifo(dir, "input.csv");

        var ex = SpecialFiles.WithoutBlockingOn(fifo, () => Record.Exception(() => RegularFile.OpenRead(fifo, Messages.WhatCsv)));

        Assert.IsType<InputException>(ex);
        Assert.Contains("is a FIFO (named pipe), not a regular file", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Messages.FileKindFifo, RegularFile.NonRegularKind(fifo));
    }
}
