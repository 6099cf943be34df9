using System.Text.Json;
using DPSynth.Data;
using DPSynth.Evaluation;
using DPSynth.Schema;
using DPSynth.Tests.Support;
using DPSynth.Tests.Synthesizers;

namespace DPSynth.Tests.Cli;

public sealed class SynthCliTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly string schema;
    private readonly string input;

    public SynthCliTests()
    {
        schema = temp.WriteFile("chain.yaml", ChainTables.SchemaYaml);
        input = temp.WriteFile("chain.csv", ChainTables.ToCsv(ChainTables.Generate(1500, seed: 11)));
    }

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("memory")]
    [InlineData("duckdb")]
    public void AHeaderWithoutASchemaColumnIsRefusedBeforeTheCharge(string source)
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var empty = File.ReadAllBytes(ledger);
        var renamed = temp.WriteFile("renamed.csv", string.Join('\n', ["a,b,c,e", .. File.ReadAllLines(input).Skip(1)]) + "\n");

        var refused = CliRunner.Run(
            "synth", "--input", renamed, "--schema", schema, "--epsilon", "1", "--delta", "1e-6", "--method", "mst",
            "--out", temp.File("refused.csv"), "--ledger", ledger, "--allow-uncapped", "--source", source);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("the header lacks schema column(s): d", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("charged rho", refused.Error, StringComparison.Ordinal);
        Assert.Equal(empty, File.ReadAllBytes(ledger));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("duckdb")]
    public void TheEncodersCountsReachTheConsole(string source)
    {
        var run = CliRunner.Run(
            "synth", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-6", "--method", "mst",
            "--out", temp.File("out.csv"), "--source", source);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("kept 1500 rows; 0 skipped as bad rows, 0 dropped as out of domain", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SynthWritesTheSchemasColumnsChargesTheLedgerAndEvaluateScoresIt()
    {
        var output = temp.File("out.csv");
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var run = CliRunner.Run(
            "synth", "--input", input, "--schema", schema, "--epsilon", "2", "--delta", "1e-6", "--method", "mst",
            "--out", output, "--ledger", ledger, "--seed", "5", "--allow-uncapped");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("charged rho", run.Error, StringComparison.Ordinal);
        Assert.Contains("mst: final estimate", run.Error, StringComparison.Ordinal);
        Assert.Contains("wrote", run.Output, StringComparison.Ordinal);

        var lines = File.ReadAllLines(output);
        Assert.Equal("a,b,c,d", lines[0]);

        // Rows default to floor of the model's total, est = sum_i w_i (n + Z_i) with w_i = (1/v_i) / W over the 4 one-way
        // and 3 pair measurements (v_i = the sum of its cell variances, W = sum 1/v_i). False failure <= 2e-31, needing
        // |est - 1500| >= 200: the discrete Gaussian N_Z(0, s^2) is s^2-subgaussian (Canonne, Kamath, Steinke 2020), so
        // a measurement's noisy total Z_i is v_i-subgaussian (merged MST cells carry k s^2). rho >= (sqrt(eps + L) -
        // sqrt(L))^2 = 0.06757 (L = ln 1e6), so s_1^2 = (3 * 4 / 2) / rho (+1e-6 rounding) <= 88.8 and the one-way
        // weights are fixed: v = (3, 4, 2, 5) s_1^2, 1 / W_1 <= 88.8 / (1/3 + 1/4 + 1/2 + 1/5) = 69.2. Their part is
        // (W_1/W) A with A (1/W_1)-subgaussian; the pairs' part B, given phases 1-2 (which fix its weights), is
        // (W_p/W^2 <= 1/W_1)-subgaussian. P(|A| >= 100) + P(|B| >= 100) <= 4 exp(-100^2 / (2 * 69.2)) < 2e-31.
        Assert.InRange(lines.Length - 1, 1300, 1700);
        Assert.All(lines.Skip(1), l => Assert.Matches("^a[0-2],b[0-3],c[01],[0-4]$", l));

        // The ledger holds one charge for the dataset named after the input file, at the plan's rho, and then the run's
        // outcome: synth records how it ended, as a policy run does, so no charge is left open.
        var show = CliRunner.Run("budget", "show", "--ledger", ledger, "--json");
        var entries = show.Output.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["charge", "outcome"], entries.Select(e => e.GetProperty("kind").GetString()));
        Assert.All(entries, e => Assert.Equal("chain.csv", e.GetProperty("dataset").GetString()));
        Assert.Equal(entries[0].GetProperty("run").GetString(), entries[1].GetProperty("run").GetString());
        Assert.Equal("released", entries[1].GetProperty("outcome").GetString());

        var evaluate = CliRunner.Run("evaluate", "--real", input, "--synthetic", output, "--schema", schema, "--json");
        Assert.Equal(0, evaluate.ExitCode);
        var report = JsonDocument.Parse(evaluate.Output).RootElement;
        Assert.Equal(lines.Length - 1, report.GetProperty("rows").GetInt64());

        // evaluate reports the mean k-way TVDs of the two files as the library computes them (deterministic). How close
        // MST gets at epsilon 2 depends on the noise, which synth always draws from the CSPRNG and no honest bound pins
        // below 1; SynthesizerTests checks that quality on the same table with seeded insecure noise instead.
        var parsed = TableSchema.Load(schema);
        var real = CsvEncoder.EncodeFile(input, parsed).Table;
        var synthetic = CsvEncoder.EncodeFile(output, parsed.WithCsv(CsvOptions.Default)).Table;
        foreach (var (name, k) in new[] { ("oneWay", 1), ("twoWay", 2), ("threeWay", 3) })
        {
            Assert.Equal(MarginalTvd.MeanKWay(real, synthetic, k), report.GetProperty(name).GetDouble(), 1e-12);
        }

        Assert.Contains("without noise", evaluate.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SynthRebalancesAndConditionsTheRowsItWrites()
    {
        var output = temp.File("balanced.csv");
        var run = CliRunner.Run(
            "synth", "--input", input, "--schema", schema, "--epsilon", "2", "--delta", "1e-6", "--method", "mst",
            "--out", output, "--rows", "1000", "--seed", "3", "--rebalance", "b=uniform", "--condition", "a=a1");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("changed on purpose (conditioned on a=a1; rebalanced b to uniform)", run.Error, StringComparison.Ordinal);

        var rows = File.ReadLines(output).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(1000, rows.Count);
        Assert.All(rows, r => Assert.Equal("a1", r[0]));
        // The rounding bound of rebalancing: each of the 4 values of b gets 1000 / 4 = 250 rows, give or take one (any
        // fitted model: the count is fixed before the rows are drawn).
        var counts = rows.GroupBy(r => r[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["b0", "b1", "b2", "b3"], counts.Keys.Order(StringComparer.Ordinal));
        Assert.All(counts.Values, c => Assert.InRange(c, 249, 251));
    }

    [Fact]
    public void AimIsTheDefaultAndRowsCanBeGiven()
    {
        var output = temp.File("aim.csv");
        var run = CliRunner.Run(
            "synth", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-6", "--rows", "250", "--out", output);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("aim: round 1 of 16", run.Error, StringComparison.Ordinal); // T = 4 d planned rounds, d = 4
        Assert.Equal(251, File.ReadAllLines(output).Length);

        var text = CliRunner.Run("evaluate", "--real", input, "--synthetic", output, "--schema", schema);
        Assert.Contains("2-way:", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunPastTheLedgerCapIsRefusedWithExitTwoBeforeTheInputIsRead()
    {
        // The input is not valid UTF-8: reading it fails with exit 1, so exit 2 shows the refusal came first.
        var garbage = temp.File("garbage.csv");
        File.WriteAllBytes(garbage, [0x61, 0x0a, 0xff, 0xfe, 0xc3, 0x28, 0x0a]);
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", ledger, "--dataset", "clinic", "--epsilon", "0.5", "--delta", "1e-9").ExitCode);
        var before = File.ReadAllBytes(ledger);
        var output = temp.File("never.csv");

        var refused = CliRunner.Run(
            "synth", "--input", garbage, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--out", output,
            "--ledger", ledger, "--dataset-id", "clinic");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("would pass its cap", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Equal(before, File.ReadAllBytes(ledger));

        var read = CliRunner.Run("synth", "--input", garbage, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--out", output);
        Assert.Equal(1, read.ExitCode);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--epsilon", "0")]
    [InlineData("--epsilon", "-2")]
    [InlineData("--epsilon", "abc")]
    [InlineData("--delta", "1")]
    [InlineData("--delta", "0")]
    [InlineData("--method", "gan")]
    [InlineData("--workload", "4way")]
    [InlineData("--rows", "0")]
    [InlineData("--max-model-size", "0.00001")]
    [InlineData("--max-model-size", "1e308")] // was an internal error (exit 70): the preflight estimate overflowed
    public void ImpossibleSettingsExitOneBeforeAnyChargeOrOutput(string option, string value)
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var output = temp.File("out.csv");
        var args = new Dictionary<string, string>
        {
            ["--input"] = input, ["--schema"] = schema, ["--epsilon"] = "1", ["--delta"] = "1e-9", ["--out"] = output,
            ["--ledger"] = ledger,
        };
        args[option] = value;
        var result = CliRunner.Run(["synth", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.Error.TrimStart(), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(ledger) && new FileInfo(ledger).Length > 0);
    }

    [Fact]
    public void AMissingInputExitsOneWithoutCharging()
    {
        var ledger = temp.File("ledger.jsonl");
        var result = CliRunner.Run(
            "synth", "--input", temp.File("absent.csv"), "--schema", schema, "--epsilon", "1", "--delta", "1e-9",
            "--out", temp.File("o.csv"), "--ledger", ledger);
        Assert.Equal(1, result.ExitCode);
        Assert.False(File.Exists(ledger) && new FileInfo(ledger).Length > 0);
    }

    [Fact]
    public void SeedHelpSaysItFixesPostProcessingOnly()
    {
        var help = CliRunner.Run("synth", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("post-processing generator only", help.Output, StringComparison.Ordinal);
        Assert.Contains("does NOT fix the privacy noise", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateRefusesAnEmptySyntheticFile()
    {
        var empty = temp.WriteFile("empty.csv", "a,b,c,d\n");
        var result = CliRunner.Run("evaluate", "--real", input, "--synthetic", empty, "--schema", schema);
        Assert.Equal(1, result.ExitCode);
    }
}
