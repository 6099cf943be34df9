using DPSynth.Tests.Support;

namespace DPSynth.Tests.Cli;

/// <summary>synth warns the operator about spends that are not recorded and schemas that disclose the data.</summary>
public sealed class SynthWarningTests
{
    private static readonly string Demo = Path.Combine(SharedData.RepositoryRoot, "policies", "demo");

    [Fact]
    public void ARunWithoutALedgerAndWithADraftSchemaIsWarnedAbout()
    {
        using var dir = new TempDirectory();
        var input = Path.Combine(Demo, "visits.csv");
        Assert.Equal(0, CliRunner.Run("schema", "infer", "--input", input, "--out", dir.File("draft.yaml")).ExitCode);

        var result = CliRunner.Run(
            "synth", "--input", input, "--schema", dir.File("draft.yaml"), "--epsilon", "1", "--delta", "1e-9", "--method", "mst",
            "--out", dir.File("s.csv"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no --ledger given", result.Error, StringComparison.Ordinal);
        Assert.Contains("is still a draft read from the private data", result.Error, StringComparison.Ordinal);

        var reviewed = CliRunner.Run(
            "synth", "--input", input, "--schema", Path.Combine(Demo, "visits.schema.yaml"), "--epsilon", "1", "--delta", "1e-9",
            "--method", "mst", "--out", dir.File("t.csv"), "--ledger", dir.File("l.jsonl"), "--dataset-id", "visits",
            "--init-ledger", "--allow-uncapped");
        Assert.Equal(0, reviewed.ExitCode);
        Assert.DoesNotContain("no --ledger given", reviewed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("draft", reviewed.Error, StringComparison.Ordinal);
    }
}
