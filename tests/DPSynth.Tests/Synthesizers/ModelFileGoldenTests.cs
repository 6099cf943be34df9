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

/// <summary>Model files are read through a strict contract: an unknown, missing or repeated key is a damaged file.</summary>
public sealed class ModelFileStrictnessTests
{
    [Theory]
    [InlineData("\"total\":", "\"extra\":1,\"total\":")]
    [InlineData("\"heuristic\":\"MinWeight\",", "")]
    [InlineData("\"total\":", "\"total\":1,\"total\":")]
    [InlineData("\"method\":\"mst\"", "\"method\":null")]
    public void AnEditedKeyIsADamagedFile(string what, string edited)
    {
        using var dir = new TempDirectory();
        var text = File.ReadAllText(Golden.PathOf("model-mst.model"));
        Assert.Contains(what, text, StringComparison.Ordinal);
        var path = dir.WriteFile("edited.model", text.Replace(what, edited, StringComparison.Ordinal));

        var error = Assert.Throws<DPSynth.Diagnostics.InputException>(() => ModelFile.Load(path));

        Assert.Contains("damaged", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
