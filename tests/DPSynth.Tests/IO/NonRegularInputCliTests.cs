using DPSynth.Tests.Support;

namespace DPSynth.Tests.IO;

/// <summary>
/// Every command that reads a policy, a schema, a CSV or a model refuses a device or a FIFO in its place with one clean
/// error line (exit 1), before reading it and before any charge (issue 14: /dev/zero ran out of memory, a FIFO hung).
/// </summary>
public sealed class NonRegularInputCliTests
{
    private const string Bad = "{bad}";

    /// <summary>Command lines; <c>{bad}</c> is replaced by the device or FIFO, <c>{out}</c> by a file that must not appear.</summary>
    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        string[][] lines =
        [
            ["synth", "--input", Bad, "--schema", DemoTable.Schema, "--epsilon", "1", "--delta", "1e-9", "--out", "{out}", "--ledger", "{ledger}", "--dataset-id", "d"],
            ["synth", "--input", DemoTable.Csv, "--schema", Bad, "--epsilon", "1", "--delta", "1e-9", "--out", "{out}", "--ledger", "{ledger}", "--dataset-id", "d"],
            ["schema", "check", "--input", Bad, "--schema", DemoTable.Schema],
            ["schema", "check", "--input", DemoTable.Csv, "--schema", Bad],
            ["schema", "infer", "--input", Bad, "--out", "{out}"],
            ["evaluate", "--real", Bad, "--synthetic", DemoTable.Csv, "--schema", DemoTable.Schema],
            ["evaluate", "--real", DemoTable.Csv, "--synthetic", Bad, "--schema", DemoTable.Schema],
            ["evaluate", "--real", DemoTable.Csv, "--synthetic", DemoTable.Csv, "--schema", DemoTable.Schema, "--target", "readmitted", "--test", Bad],
            ["sample", "--model", Bad, "--out", "{out}"],
            ["audit", "--train", Bad, "--holdout", DemoTable.Csv, "--synthetic", DemoTable.Csv, "--schema", DemoTable.Schema],
            ["run", Bad, "--ledger", "{ledger}"],
        ];
        foreach (var kind in new[] { "device", "fifo" })
        {
            foreach (var line in lines)
            {
                data.Add(kind, string.Join('\u001f', line));
            }
        }

        return data;
    }

    [UnixTheory]
    [MemberData(nameof(Commands))]
    public void TheCommandRefusesTheFileWithOneLineAndWritesNothing(string kind, string line)
    {
        using var dir = new TempDirectory();
        var bad = kind == "device" ? SpecialFiles.Device : SpecialFiles.MakeFifo(dir, "bad.csv");
        var args = line.Split('\u001f')
            .Select(a => a.Replace(Bad, bad, StringComparison.Ordinal)
                .Replace("{out}", dir.File("out.csv"), StringComparison.Ordinal)
                .Replace("{ledger}", dir.File("ledger.jsonl"), StringComparison.Ordinal))
            .ToArray();

        var result = SpecialFiles.WithoutBlockingOn(bad, () => CliRunner.Run(args));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a regular file", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.csv")), "an output was written");
        Assert.False(File.Exists(dir.File("ledger.jsonl")), "the ledger was charged");
    }

    [UnixTheory]
    [InlineData("input")]
    [InlineData("schema")]
    public void APolicyNamingADeviceOrFifoIsInvalidBeforeAnyCharge(string key)
    {
        using var dir = new TempDirectory();
        var fifo = SpecialFiles.MakeFifo(dir, "named.csv");
        foreach (var bad in new[] { SpecialFiles.Device, fifo })
        {
            var ledger = dir.File("ledger.jsonl");
            var policy = dir.WriteFile("p.yaml", $$"""
                version: 1
                dataset:
                  id: demo
                  input: {{(key == "input" ? bad : DemoTable.Csv)}}
                  schema: {{(key == "schema" ? bad : DemoTable.Schema)}}
                privacy: { epsilon: 1, delta: 1e-9, ledger: {{ledger}} }
                synthesizer: { method: mst }
                release: { output: {{dir.File("releases")}} }
                """);

            var result = SpecialFiles.WithoutBlockingOn(fifo, () => CliRunner.Run("run", policy));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"'dataset.{key}' names {bad}, which is", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(ledger), "the ledger was charged");
            Assert.False(Directory.Exists(dir.File("releases")), "a release was written");
        }
    }

    [UnixFact]
    public void AFolderRunReportsTheBadPolicyAndGoesOn()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(dir.File("policies")).FullName;
        var fifo = SpecialFiles.MakeFifo(dir, Path.Combine("policies", "a-fifo.yaml"));
        File.WriteAllText(Path.Combine(folder, "b-broken.yaml"), "version: 1\n");

        var result = SpecialFiles.WithoutBlockingOn(fifo, () => CliRunner.Run("run", folder, "--dry-run"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("a-fifo.yaml is a FIFO (named pipe), not a regular file", result.Error, StringComparison.Ordinal);
        Assert.Contains("b-broken.yaml", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
