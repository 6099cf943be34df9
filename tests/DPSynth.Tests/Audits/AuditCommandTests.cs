using System.Text;
using System.Text.Json;
using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Audits;

/// <summary>The real <c>dpsynth audit</c> and <c>audit-canaries</c> verbs on CSV files (seeded data: deterministic).</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly string schema;
    private readonly string train;
    private readonly string holdout;

    public AuditCommandTests()
    {
        var split = TrainHoldoutSplit.Split(AuditTables.Population(3000, seed: 21), 0.8, RandomBitsCoins.Seeded(22));
        var domain = AuditTables.Domain;
        schema = dir.WriteFile(
            "domain.json", "{" + string.Join(", ", domain.Names.Select((n, i) => $"\"{n}\": {domain.Size(i)}")) + "}");
        train = Write("train.csv", split.Train);
        holdout = Write("holdout.csv", split.Holdout);
        TrainTable = split.Train;
    }

    private EncodedTable TrainTable { get; }

    public void Dispose() => dir.Dispose();

    [Fact]
    public void ACopyOfTrainFailsWithExitCodeThreeAndReasons()
    {
        var result = CliRunner.Run("audit", "--train", train, "--holdout", holdout, "--synthetic", train, "--schema", schema);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("release gate: FAILED", result.Output, StringComparison.Ordinal);
        Assert.Contains("INTERNAL", result.Output, StringComparison.Ordinal);
        Assert.Contains("gate: the distance membership-inference attack", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: the release gate failed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FreshRowsPassWithJsonOutput()
    {
        var fresh = Write("fresh.csv", AuditTables.Population(TrainTable.RowCount, seed: 23));

        var result = CliRunner.Run("audit", "--train", train, "--holdout", holdout, "--synthetic", fresh, "--schema", schema, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("gate").GetProperty("passed").GetBoolean());
        Assert.True(root.GetProperty("internal").GetBoolean());
        var auc = root.GetProperty("membership_inference").GetProperty("distance").GetProperty("auc").GetDouble();
        Assert.InRange(auc, 0.4, 0.6);
        Assert.Equal(0, root.GetProperty("gate").GetProperty("reasons").GetArrayLength());
    }

    [Fact]
    public void AMissingFileIsAnInputError()
    {
        var result = CliRunner.Run("audit", "--train", train, "--holdout", dir.File("nope.csv"), "--synthetic", train, "--schema", schema);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope.csv", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptySyntheticFileIsAnInputError()
    {
        var empty = dir.WriteFile("empty.csv", string.Join(',', AuditTables.Domain.Names) + "\n");

        var result = CliRunner.Run("audit", "--train", train, "--holdout", holdout, "--synthetic", empty, "--schema", schema);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no data rows", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditCanariesRunsMstChargesTheLedgerAndExplainsTheBound()
    {
        var ledger = Ledgers.Init(dir.File("ledger.jsonl"));

        var result = CliRunner.Run(
            "audit-canaries", "--input", train, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--method", "mst",
            "--canaries", "100", "--guesses", "25", "--ledger", ledger, "--dataset-id", "population", "--allow-uncapped");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("epsilon lower bound at 95% confidence", result.Output, StringComparison.Ordinal);
        Assert.Contains("must be charged to the budget ledger", result.Output, StringComparison.Ordinal);
        Assert.Contains("charged this canary run", result.Error, StringComparison.Ordinal);
        Assert.Contains("audit-canaries mst", File.ReadAllText(ledger), StringComparison.Ordinal);
    }

    [Fact]
    public void AuditCanariesPastTheLedgerCapIsRefusedWithExitTwoBeforeTheInputIsRead()
    {
        // The input is not valid UTF-8: reading it fails with exit 1, so exit 2 shows the refusal came first.
        var garbage = dir.File("garbage.csv");
        File.WriteAllBytes(garbage, [0x61, 0x0a, 0xff, 0xfe, 0xc3, 0x28, 0x0a]);
        var ledger = Ledgers.Init(dir.File("capped.jsonl"));
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", ledger, "--dataset", "population", "--epsilon", "0.5", "--delta", "1e-9").ExitCode);
        var before = File.ReadAllBytes(ledger);

        var refused = CliRunner.Run(
            "audit-canaries", "--input", garbage, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--method", "mst",
            "--ledger", ledger, "--dataset-id", "population");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("would pass its cap", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(ledger));
    }

    [Fact]
    public void AuditCanariesNeedsTheDatasetIdWithALedger()
    {
        var result = CliRunner.Run(
            "audit-canaries", "--input", train, "--schema", schema, "--epsilon", "1", "--ledger", dir.File("l.jsonl"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--dataset-id", result.Error, StringComparison.Ordinal);
    }

    private string Write(string name, EncodedTable table)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', table.Domain.Names));
        for (var r = 0; r < table.RowCount; r++)
        {
            text.AppendLine(string.Join(',', Enumerable.Range(0, table.Domain.Count).Select(c => table[r, c])));
        }

        return dir.WriteFile(name, text.ToString());
    }
}
