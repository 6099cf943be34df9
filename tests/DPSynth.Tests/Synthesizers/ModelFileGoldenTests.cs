using DPSynth.Synthesizers;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// Model files written by earlier versions load, and writing what was loaded gives their bytes back: an MST model (with
/// its compression map) and an AIM model (with per-cell standard deviations), both fitted on the demo table.
/// </summary>
public sealed class ModelFileGoldenTests
{
    [Theory]
    [InlineData("model-mst.model")]
    [InlineData("model-aim.model")]
    public void AGoldenModelLoadsAndSavesToTheSameBytes(string name)
    {
        using var dir = new TempDirectory();
        var (_, source, result) = ModelFile.Load(Golden.PathOf(name));

        ModelFile.Save(dir.File(name), source, result);

        Golden.AssertSame(name, File.ReadAllBytes(dir.File(name)));
    }
}
