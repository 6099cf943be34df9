using DPSynth.Tests.Support;

namespace DPSynth.Tests.Cli;

public sealed class CliShellTests
{
    [Fact]
    public void HelpListsTheCommandAndExitsZero()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("DPSynth", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionPrintsTheAssemblyVersion()
    {
        var result = CliRunner.Run("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownVerbIsAUsageErrorWithExitCodeOne()
    {
        var result = CliRunner.Run("no-such-verb");
        Assert.Equal(1, result.ExitCode);
    }
}
