using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Pipeline;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;
using DPSynth.Tests.Synthesizers;

namespace DPSynth.Tests.Cli;

/// <summary>
/// <c>synth</c>, <c>sample</c>, <c>schema infer</c> and <c>evaluate --html</c> never replace an existing output file unless told to (<c>--force</c>): the refusal comes
/// before anything is read or charged, and a file that appears while the command runs is not replaced either.
/// </summary>
public sealed class ExistingOutputCliTests : IDisposable
{
    private static readonly byte[] Theirs = "someone else's file\nkeep me\n"u8.ToArray();

    private readonly TempDirectory temp = new();
    private readonly string schema;
    private readonly string input;

    public ExistingOutputCliTests()
    {
        schema = temp.WriteFile("chain.yaml", ChainTables.SchemaYaml);
        input = temp.WriteFile("chain.csv", ChainTables.ToCsv(ChainTables.Generate(600, seed: 3)));
    }

    public void Dispose() => temp.Dispose();

    private CliRunner.Result Synth(string output, string ledger, params string[] more) =>
        CliRunner.Run([
            "synth", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-6", "--method", "mst",
            "--out", output, "--ledger", ledger, "--allow-uncapped", .. more]);

    private string Model()
    {
        var model = temp.File("chain.model");
        var made = CliRunner.Run(
            "synth", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-6", "--method", "mst",
            "--out", temp.File("first.csv"), "--save-model", model);
        Assert.True(made.ExitCode == 0, made.Error);
        return model;
    }

    private static void AssertRefused(CliRunner.Result result, string name, string path)
    {
        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        var error = Assert.Single(result.Error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Equal("error: " + Messages.OutputExists(name, path), error);
        Assert.Contains("pass --force to replace it, or choose another path", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void SynthRefusesAnExistingOutBeforeTheChargeAndForceReplacesIt(string name)
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var output = temp.File(name);
        File.WriteAllBytes(output, Theirs);
        var ledgerBefore = File.ReadAllBytes(ledger);

        var refused = Synth(output, ledger);
        AssertRefused(refused, "--out", output);
        Assert.DoesNotContain("charged rho", refused.Error, StringComparison.Ordinal);
        Assert.Equal(Theirs, File.ReadAllBytes(output)); // byte for byte
        Assert.Equal(ledgerBefore, File.ReadAllBytes(ledger)); // nothing charged
        Assert.Equal(["chain.csv", "chain.yaml", "ledger.jsonl", name], Names(".hmac-key", ".head", ".lock")); // no temp file

        var forced = Synth(output, ledger, "--force");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.NotEqual(Theirs, File.ReadAllBytes(output));
        Assert.Single(new BudgetLedger(ledger).Verify().Entries, e => e.Kind == LedgerEntryKind.Charge);
    }

    [Fact]
    public void SynthWritesAMissingOutAndRefusesAnExistingSaveModel()
    {
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var output = temp.File("new.csv");
        var model = temp.File("old.model");
        File.WriteAllBytes(model, Theirs);

        var refused = Synth(output, ledger, "--save-model", model);
        AssertRefused(refused, "--save-model", model);
        Assert.False(File.Exists(output));
        Assert.Equal(Theirs, File.ReadAllBytes(model));

        var written = Synth(output, ledger, "--save-model", temp.File("new.model"));
        Assert.True(written.ExitCode == 0, written.Error);
        Assert.Equal("a,b,c,d", File.ReadLines(output).First());
        Assert.True(File.Exists(temp.File("new.model")));
    }

    [Fact]
    public void SampleRefusesAnExistingOutWritesAMissingOneAndForceReplacesIt()
    {
        var model = Model();
        var output = temp.File("more.csv");
        File.WriteAllBytes(output, Theirs);

        AssertRefused(CliRunner.Run("sample", "--model", model, "--rows", "50", "--out", output), "--out", output);
        Assert.Equal(Theirs, File.ReadAllBytes(output));

        var forced = CliRunner.Run("sample", "--model", model, "--rows", "50", "--out", output, "--force");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal(51, File.ReadAllLines(output).Length);

        var fresh = temp.File("fresh.csv");
        var written = CliRunner.Run("sample", "--model", model, "--rows", "20", "--out", fresh);
        Assert.True(written.ExitCode == 0, written.Error);
        Assert.Equal(21, File.ReadAllLines(fresh).Length);
    }

    [UnixFact]
    public void ALinkOrAFolderAtOutIsRefusedAndForceNeverReplacesAFolder()
    {
        var model = Model();
        var dangling = temp.File("dangling.csv");
        File.CreateSymbolicLink(dangling, temp.File("nowhere.csv"));
        AssertRefused(CliRunner.Run("sample", "--model", model, "--out", dangling), "--out", dangling);
        Assert.False(File.Exists(temp.File("nowhere.csv")));

        var folder = Directory.CreateDirectory(temp.File("folder.csv")).FullName;
        foreach (var force in new[] { false, true })
        {
            string[] args = ["sample", "--model", model, "--out", folder, .. force ? new[] { "--force" } : []];
            var refused = CliRunner.Run(args);
            Assert.True(refused.ExitCode == 1, refused.Error);
            Assert.Contains(Messages.OutputIsFolder("--out", folder), refused.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
    }

    [Fact]
    public void AFileThatAppearsDuringSynthIsNotReplacedAndTheRunIsRecordedAsFailed()
    {
        // The window between the check and the publish: another process makes --out while the model is fitted. The
        // model, saved before the rows, is removed again: a failed run leaves neither output, not a model alone.
        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var output = temp.File("racy.csv");
        var model = temp.File("racy.model");
        var request = new SynthRequest(
            input, "memory", null, schema, 1, 1e-6, SynthesizerFactory.FromCommandLine("mst", "2way", null, 5), 100, output,
            new LedgerAccess(ledger, false, true), "chain", model, null, null, null, ExistingFile.Refuse);
        using var log = new StringWriter();

        var ex = Assert.Throws<InputException>(() => SynthJob.Run(request, log, (run, data) =>
        {
            var result = run.Fit(data);
            File.WriteAllBytes(output, Theirs);
            return result;
        }));

        Assert.Equal(Messages.OutputAppeared(output), ex.Message);
        Assert.Equal(Theirs, File.ReadAllBytes(output));
        Assert.False(File.Exists(model));
        Assert.DoesNotContain(Directory.GetFiles(temp.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        var entries = new BudgetLedger(ledger).Verify().Entries;
        Assert.Equal(RunOutcome.Failed, Assert.Single(entries, e => e.Kind == LedgerEntryKind.Outcome).Outcome);
    }

    [Fact]
    public void AtomicFileKeepsAFileMadeWhileItWroteAndReplacesOnlyWhenAsked()
    {
        var path = temp.File("atomic.txt");
        var ex = Assert.Throws<InputException>(() => AtomicFile.Write(
            path,
            stream =>
            {
                File.WriteAllBytes(path, Theirs);
                stream.Write("mine"u8);
            },
            existing: ExistingFile.Refuse));
        Assert.Equal(Messages.OutputAppeared(path), ex.Message);
        Assert.Equal(Theirs, File.ReadAllBytes(path));
        Assert.Equal(["atomic.txt", "chain.csv", "chain.yaml"], Names());

        AtomicFile.Write(path, stream => stream.Write("mine"u8), existing: ExistingFile.Replace);
        Assert.Equal("mine"u8.ToArray(), File.ReadAllBytes(path));

        var fresh = temp.File("fresh.txt");
        AtomicFile.Write(fresh, stream => stream.Write("new"u8), existing: ExistingFile.Refuse);
        Assert.Equal("new"u8.ToArray(), File.ReadAllBytes(fresh));
    }

    [Fact]
    public void SchemaInferRefusesAnExistingOutBeforeReadingOrChargingAndForceReplacesIt()
    {
        // A reviewed schema must not be wiped out by a draft, nor a DP discovery's budget spent on a refused write.
        var output = temp.File("reviewed.yaml");
        File.WriteAllBytes(output, Theirs);
        AssertRefused(CliRunner.Run("schema", "infer", "--input", input, "--out", output), "--out", output);
        Assert.Equal(Theirs, File.ReadAllBytes(output));
        // Before the input is read: a missing input gets the same refusal, not "not found".
        AssertRefused(CliRunner.Run("schema", "infer", "--input", temp.File("missing.csv"), "--out", output), "--out", output);

        var ledger = Ledgers.Init(temp.File("ledger.jsonl"));
        var ledgerBefore = File.ReadAllBytes(ledger);
        var dp = CliRunner.Run(
            "schema", "infer", "--dp", "--epsilon", "5", "--ledger", ledger, "--dataset", "chain", "--allow-uncapped",
            "--input", temp.File("missing.csv"), "--out", output);
        AssertRefused(dp, "--out", output);
        Assert.Equal(Theirs, File.ReadAllBytes(output));
        Assert.Equal(ledgerBefore, File.ReadAllBytes(ledger)); // nothing charged

        var forced = CliRunner.Run("schema", "infer", "--input", input, "--out", output, "--force");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("columns:", File.ReadAllText(output), StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateRefusesAnExistingHtmlBeforeReadingAndForceReplacesIt()
    {
        var synthetic = temp.WriteFile("synthetic.csv", File.ReadAllText(input));
        var html = temp.File("report.html");
        File.WriteAllBytes(html, Theirs);
        string[] evaluate = ["evaluate", "--real", input, "--synthetic", synthetic, "--schema", schema, "--html", html];
        AssertRefused(CliRunner.Run(evaluate), "--html", html);
        Assert.Equal(Theirs, File.ReadAllBytes(html));
        // Before either table is read: missing ones get the same refusal.
        AssertRefused(
            CliRunner.Run("evaluate", "--real", temp.File("no-real.csv"), "--synthetic", temp.File("no-synthetic.csv"), "--schema", schema, "--html", html),
            "--html",
            html);

        var forced = CliRunner.Run([.. evaluate, "--force"]);
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The names in the folder, but for those ending in one of <paramref name="ignored"/>, sorted.</summary>
    private string[] Names(params string[] ignored) =>
        [.. Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).OfType<string>()
            .Where(n => !ignored.Any(s => n.EndsWith(s, StringComparison.Ordinal))).Order(StringComparer.Ordinal)];
}
