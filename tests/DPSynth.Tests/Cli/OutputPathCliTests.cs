using System.Runtime.Versioning;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Cli;

/// <summary>
/// No command writes over its own input, schema, model or ledger (issue 14): each refuses with exit 1 and one
/// <c>error:</c> line, before it charges the ledger or reads a row, and leaves every file as it was.
/// </summary>
public sealed class OutputPathCliTests : IDisposable
{
    private const string Schema = """
        columns:
          - { name: a, type: categorical, categories: [x, y] }
          - { name: b, type: integer, min: 0, max: 3 }
        """;

    private readonly TempDirectory temp = new();
    private readonly string input;
    private readonly string schema;
    private readonly string ledger;

    public OutputPathCliTests()
    {
        input = temp.WriteFile("private.csv", "a,b\nx,1\ny,2\nx,3\ny,0\n");
        schema = temp.WriteFile("schema.yaml", Schema);
        ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", ledger, "--dataset", "d", "--epsilon", "5", "--delta", "1e-9").ExitCode);
    }

    public void Dispose() => temp.Dispose();

    private string[] Synth(string output, params string[] more) =>
        ["synth", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--method", "mst", "--out", output,
            "--ledger", ledger, "--dataset-id", "d", .. more];

    /// <summary>Runs the command and asserts the refusal; every file in the folder must be as it was.</summary>
    private void AssertRefused(string[] args, string expected)
    {
        var before = new FolderSnapshot(temp.Path);
        var result = CliRunner.Run(args);
        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        var line = Assert.Single(result.Error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains("refusing to write over it", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        before.AssertUnchanged(); // no partial output, nothing charged, the input and ledger intact
    }

    [Fact]
    public void SynthRefusesAnOutputThatIsItsInputItsLedgerALedgerSideFileOrItsOtherOutput()
    {
        AssertRefused(Synth(input), $"--out {input} is the same file as --input {input}");
        AssertRefused(Synth(ledger), $"--out {ledger} is the same file as --ledger {ledger}");
        AssertRefused(Synth(ledger + ".lock"), "is the same file as the ledger's .lock file");
        AssertRefused(Synth(temp.File("s.csv"), "--save-model", schema), $"--save-model {schema} is the same file as --schema");
        AssertRefused(Synth(temp.File("s.csv"), "--save-model", temp.File("s.csv")), "--save-model");

        // The same command with a fresh output path runs and charges.
        var ok = CliRunner.Run(Synth(temp.File("s.csv")));
        Assert.True(ok.ExitCode == 0, ok.Error);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void SynthRefusesAnOutputLinkedToItsInputOrItsSchema()
    {
        var symlink = temp.File("out-link.csv");
        File.CreateSymbolicLink(symlink, input);
        AssertRefused(Synth(symlink), "is the same file as --input");

        var hardLink = temp.File("model-link.dpsm");
        UnixFiles.HardLink(schema, hardLink);
        AssertRefused(Synth(temp.File("s.csv"), "--save-model", hardLink), "is the same file as --schema");
    }

    [Fact]
    public void SampleRefusesToWriteOverItsModel()
    {
        var model = temp.WriteFile("visits.dpsm", "{}");
        AssertRefused(["sample", "--model", model, "--out", model], $"--out {model} is the same file as --model {model}");
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void EvaluateRefusesAnHtmlReportOverTheRealOrTheSyntheticRows()
    {
        var synthetic = temp.WriteFile("synthetic.csv", "a,b\nx,1\n");
        string[] Evaluate(string html) => ["evaluate", "--real", input, "--synthetic", synthetic, "--schema", schema, "--html", html];
        AssertRefused(Evaluate(input), "is the same file as --real");
        var link = temp.File("report.html");
        File.CreateSymbolicLink(link, synthetic);
        AssertRefused(Evaluate(link), "is the same file as --synthetic");
    }

    [Fact]
    public void SchemaInferRefusesToWriteItsDraftOverTheInput()
    {
        var spelled = Path.Combine(temp.Path, ".", "private.csv");
        AssertRefused(["schema", "infer", "--input", input, "--out", spelled], "is the same file as --input");
    }

    [Fact]
    public void AuditCanariesRefusesALedgerThatIsItsInput()
    {
        AssertRefused(
            ["audit-canaries", "--input", input, "--schema", schema, "--epsilon", "1", "--ledger", input, "--dataset-id", "d"],
            $"--ledger {input} is the same file as --input {input}");
    }
}
