using System.Text;
using DPSynth.Tests.Policies;
using DPSynth.Tests.Support;
using DPSynth.Tests.Synthesizers;

namespace DPSynth.Tests.Resources;

/// <summary>
/// The preflight estimate on the command line (issue 15): printed by <c>synth</c> and <c>run</c> (dry run too), and a
/// run above <c>--max-memory</c> refused with exit 2 before the ledger is touched. A 100 MB limit is below any
/// estimate (the runtime term alone is larger), so the refusals here do not depend on the formula's other terms.
/// </summary>
public sealed class PreflightCliTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly RunFixture fixture = new();

    public void Dispose()
    {
        temp.Dispose();
        fixture.Dispose();
    }

    [Fact]
    public void SynthAboveTheLimitIsRefusedWithExit2AndTheLedgerUntouched()
    {
        var (input, schema) = ChainCsv();
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var before = LedgerBytes(ledger);
        var output = temp.File("out.csv");

        var run = CliRunner.Run(
            "synth", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--method", "mst",
            "--out", output, "--ledger", ledger, "--allow-uncapped", "--max-memory", "100MB");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(before, LedgerBytes(ledger));
        Assert.False(File.Exists(output));
        var error = Assert.Single(ErrorLines(run.Error));
        var estimate = EstimateOf(run.Error);
        Assert.Contains($"the preflight estimate of peak memory, {estimate}, is above the limit of 100 MB (--max-memory)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("charged rho", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SynthPrintsTheEstimateOnStderrBeforeTheCharge()
    {
        var (input, schema) = ChainCsv();
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var run = CliRunner.Run(
            "synth", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--method", "mst",
            "--out", temp.File("out.csv"), "--ledger", ledger, "--allow-uncapped");

        Assert.True(run.ExitCode == 0, run.Error);
        var preflight = run.Error.IndexOf("preflight: peak memory at most ", StringComparison.Ordinal);
        Assert.InRange(preflight, 0, run.Error.IndexOf("charged rho", StringComparison.Ordinal));
        Assert.Contains("(the default, 75% of the ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("preflight", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void RunAboveTheLimitIsRefusedWithExit2BeforeTheLedgerIsTouched()
    {
        var policy = fixture.WritePolicy("p.yaml");
        var before = LedgerBytes(fixture.Ledger);

        var run = CliRunner.Run("run", policy, "--max-memory", "100MB");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(before, LedgerBytes(fixture.Ledger));
        Assert.False(Directory.Exists(fixture.Releases));
        Assert.Contains("refused: memory estimate", run.Output, StringComparison.Ordinal);
        var error = Assert.Single(ErrorLines(run.Error));
        Assert.Contains($"the preflight estimate of peak memory, {EstimateOf(run.Error)}, is above the limit of 100 MB (--max-memory)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void APolicysMaxMemoryRefusesTooAndTheOptionOverridesIt()
    {
        var policy = fixture.WritePolicy("p.yaml");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("  seed: 5\n", "  seed: 5\n  max_memory: 100MB\n", StringComparison.Ordinal));
        var before = LedgerBytes(fixture.Ledger);

        var refused = CliRunner.Run("run", policy);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("above the limit of 100 MB (synthesizer.max_memory)", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, LedgerBytes(fixture.Ledger));

        var planned = CliRunner.Run("run", policy, "--dry-run", "--max-memory", "64GB");
        Assert.True(planned.ExitCode == 0, planned.Error);
        Assert.Contains("limit 64 GB (--max-memory)", planned.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ADryRunPrintsTheEstimateAndChangesNothing()
    {
        var policy = fixture.WritePolicy("p.yaml");
        var before = LedgerBytes(fixture.Ledger);

        var run = CliRunner.Run("run", policy, "--dry-run");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("preflight: peak memory at most ", run.Error, StringComparison.Ordinal);
        Assert.Contains("from the input's size", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, LedgerBytes(fixture.Ledger));

        var refused = CliRunner.Run("run", policy, "--dry-run", "--max-memory", "100MB");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("preflight: peak memory at most ", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("lots")]
    [InlineData("-1GB")]
    public void AMemorySizeWithoutAUnitOrNotPositiveIsAnInputError(string size)
    {
        var run = CliRunner.Run("run", fixture.WritePolicy("p.yaml"), "--max-memory", size);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--max-memory: '{size}' is not a memory size", Assert.Single(ErrorLines(run.Error)), StringComparison.Ordinal);
    }

    [Fact]
    public void SynthRefusesABadSizeWhateverTheSourceBeforeTheSourceIsReached()
    {
        // A PostgreSQL view has no row bound and so no estimate: the limit is parsed with the other settings, before the
        // source is chosen (here it could not be: no connection string), so a bad size never passes unseen.
        var (_, schema) = ChainCsv();
        var run = CliRunner.Run(
            "synth", "--source", "postgres", "--table", "visits", "--schema", schema, "--epsilon", "1", "--delta", "1e-9",
            "--out", temp.File("out.csv"), "--max-memory", "lots");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--max-memory: 'lots' is not a memory size", Assert.Single(ErrorLines(run.Error)), StringComparison.Ordinal);
    }

    [Fact]
    public void ALimitAboveTheAvailableMemoryIsAcceptedWithAWarning()
    {
        var policy = fixture.WritePolicy("p.yaml");
        var run = CliRunner.Run("run", policy, "--dry-run", "--max-memory", "1000TB");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("warning: the memory limit 1000000 GB (--max-memory) is above the ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadPolicyMaxMemoryIsAPolicyError()
    {
        var policy = fixture.WritePolicy("p.yaml");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("  seed: 5\n", "  seed: 5\n  max_memory: 8\n", StringComparison.Ordinal));
        var run = CliRunner.Run("run", policy);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("synthesizer.max_memory: '8' is not a memory size", run.Error, StringComparison.Ordinal);
    }

    /// <summary>The peak figure of the preflight line, as printed.</summary>
    private static string EstimateOf(string error)
    {
        const string Marker = "preflight: peak memory at most ";
        var start = error.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        Assert.True(start >= Marker.Length, error);
        return error[start..error.IndexOf(" (", start, StringComparison.Ordinal)];
    }

    private static string[] ErrorLines(string error) =>
        [.. error.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal))];

    private static byte[] LedgerBytes(string ledger) =>
        [.. File.ReadAllBytes(ledger), .. File.ReadAllBytes(ledger + ".head")];

    private (string Input, string Schema) ChainCsv()
    {
        var schema = temp.WriteFile("chain.yaml", """
            columns:
              - { name: a, type: categorical, categories: [a0, a1, a2] }
              - { name: b, type: categorical, categories: [b0, b1, b2, b3] }
              - { name: c, type: categorical, categories: [c0, c1] }
              - { name: d, type: integer, min: 0, max: 4 }
            """);
        var table = ChainTables.Generate(300, seed: 11);
        var csv = new StringBuilder("a,b,c,d\n");
        for (var r = 0; r < table.RowCount; r++)
        {
            csv.Append($"a{table[r, 0]},b{table[r, 1]},c{table[r, 2]},{table[r, 3]}\n");
        }

        return (temp.WriteFile("chain.csv", csv.ToString()), schema);
    }
}
