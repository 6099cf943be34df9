using System.Text.Json;
using DPSynth.Schema;
using DPSynth.Tests.Policies;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Schema;

/// <summary><c>dpsynth schema infer --dp</c> end to end: the charge, its refusals, and a run that publishes the schema.</summary>
public sealed class DpDiscoveryCliTests : IDisposable
{
    private readonly RunFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private string SchemaPath => Path.Combine(fixture.Folder, "table.schema.yaml");

    private CliRunner.Result Infer(string dataset, string epsilon, string? input = null, params string[] extra) =>
        CliRunner.Run([
            "schema", "infer", "--dp", "--epsilon", epsilon, "--ledger", fixture.Ledger, "--dataset", dataset,
            "--input", input ?? fixture.Input, "--out", SchemaPath, "--force", .. extra]); // replaces the fixture's schema

    [Fact]
    public void TheDiscoveryIsChargedAndARunPublishesItsRecord()
    {
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "table", "--epsilon", "50", "--delta", "1e-9").ExitCode);
        var infer = Infer("table", "20");
        Assert.True(infer.ExitCode == 0, infer.Error);
        Assert.Contains("for DP domain discovery", infer.Error, StringComparison.Ordinal);

        // The ledger's charge is the schema's record; the schema is no draft, and schema check reads the file with it.
        var charge = JsonDocument.Parse(CliRunner.Run("budget", "show", "--ledger", fixture.Ledger, "--json").Output.Split('\n')[1]).RootElement;
        Assert.StartsWith("schema-discovery", charge.GetProperty("mechanism").GetString(), StringComparison.Ordinal);
        var text = File.ReadAllText(SchemaPath);
        Assert.False(DPSynth.Data.SchemaInference.IsDraft(text));
        var schema = TableSchema.Load(SchemaPath);
        var record = schema.DpDiscovery!;
        Assert.Equal(charge.GetProperty("hash").GetString(), record.LedgerEntry);
        Assert.Equal(charge.GetProperty("rho").GetDouble(), record.ChargedRho);
        Assert.True(record.ChargedRho > record.Rho); // the threshold's delta is paid under the cap
        Assert.Equal(["age", "sex", "region", "visits", "outcome"], record.Columns.ToArray());
        Assert.Equal(0, CliRunner.Run("schema", "check", "--input", fixture.Input, "--schema", SchemaPath).ExitCode);

        // Only labels that occur can be kept (a label no row holds has no count).
        if (schema.Columns[1] is CategoricalColumnSpec sex)
        {
            Assert.Subset(new HashSet<string> { "F", "M", "__unlisted__" }, sex.Categories.ToHashSet());
        }

        // A run with it: released, the manifest names the discovery's charge, the bundle verifies, the spend is both.
        var policy = fixture.WritePolicy("p.yaml");
        var run = CliRunner.Run("run", policy);
        Assert.True(run.ExitCode == 0, run.Error);
        var bundle = Directory.GetDirectories(fixture.Releases).Single(d => !d.EndsWith(".internal", StringComparison.Ordinal));
        var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "manifest.json"))).RootElement;
        var discovery = manifest.GetProperty("domain_discovery");
        Assert.Equal(record.LedgerEntry, discovery.GetProperty("charge_entry_hash").GetString());
        Assert.Equal(record.Rho, discovery.GetProperty("rho").GetDouble());
        Assert.True(discovery.GetProperty("bundle_rho").GetDouble() >= record.Rho + manifest.GetProperty("privacy").GetProperty("rho").GetDouble() * (1 - 1e-12));
        // The dataset's spend is both charges (the run's charge is its plan, which its spend may fall short of by rounding).
        var spent = manifest.GetProperty("ledger").GetProperty("dataset_spent_rho").GetDouble();
        var sum = record.ChargedRho + manifest.GetProperty("privacy").GetProperty("rho").GetDouble();
        Assert.InRange(spent, sum * (1 - 1e-6), sum * (1 + 1e-6));
        Assert.Contains("dp_discovery:", manifest.GetProperty("schema").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("verify", bundle, "--certificate", fixture.TestSigningCertificate).ExitCode);
        Assert.Equal(0, CliRunner.Run("budget", "verify", "--ledger", fixture.Ledger, "--bundles", fixture.Releases).ExitCode);
    }

    [Fact]
    public void ARunOfAnotherDatasetRefusesTheSchema()
    {
        Assert.Equal(0, Infer("table", "5", null, "--allow-uncapped").ExitCode);
        var other = CliRunner.Run("run", fixture.WritePolicy("p.yaml", dataset: "other"));
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("holds no such charge of dataset 'other'", other.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.Releases));
    }

    /// <summary>
    /// The threshold's delta is priced for one discovery per dataset and cap (review of 2026-12-03): a second discovery
    /// and a later change of cap are refused with nothing written, and without a header row (the column count would come
    /// from the first private row) discovery is refused before the charge.
    /// </summary>
    [Fact]
    public void OneDiscoveryPerDatasetNoCapChangeAfterItAndAHeaderIsRequired()
    {
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "table", "--epsilon", "50", "--delta", "1e-9").ExitCode);
        var noHeader = CliRunner.Run([
            "schema", "infer", "--dp", "--epsilon", "5", "--ledger", fixture.Ledger, "--dataset", "table", "--input", fixture.Input,
            "--out", SchemaPath, "--force", "--no-header"]);
        Assert.Equal(1, noHeader.ExitCode);
        Assert.Contains("needs a header row", noHeader.Error, StringComparison.Ordinal);
        Assert.True(Infer("table", "5").ExitCode == 0);
        var afterFirst = File.ReadAllBytes(fixture.Ledger);

        var second = Infer("table", "5");
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("already has a DP domain discovery", second.Error, StringComparison.Ordinal);
        var lower = CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "table", "--epsilon", "40", "--delta", "1e-12");
        Assert.Equal(2, lower.ExitCode);
        Assert.Contains("cannot change afterwards", lower.Error, StringComparison.Ordinal);
        Assert.Equal(afterFirst, File.ReadAllBytes(fixture.Ledger));
    }

    /// <summary>A schema whose discovery figures were edited after the discovery is refused by <c>run</c> before its charge.</summary>
    [Fact]
    public void ARunRefusesADiscoveryRecordThatNoLongerMatchesItsLedgerEntry()
    {
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "table", "--epsilon", "50", "--delta", "1e-9").ExitCode);
        Assert.Equal(0, Infer("table", "20").ExitCode);
        var record = TableSchema.Load(SchemaPath).DpDiscovery!;
        var text = File.ReadAllText(SchemaPath);
        var rhoText = record.Rho.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(rhoText, text, StringComparison.Ordinal);
        File.WriteAllText(SchemaPath, text.Replace(rhoText, (record.Rho / 2).ToString("R", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var before = File.ReadAllBytes(fixture.Ledger);

        var run = CliRunner.Run("run", fixture.WritePolicy("p.yaml"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not match ledger entry", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(fixture.Ledger));
    }

    /// <summary>Every refusal comes before the file is read: the input here is not UTF-8, which reading reports (exit 1).</summary>
    [Fact]
    public void RefusalsComeBeforeTheDataAreRead()
    {
        var unreadable = Path.Combine(fixture.Folder, "bad.csv");
        File.WriteAllBytes(unreadable, [(byte)'a', (byte)'\n', 0xC3, 0x28, (byte)'\n']);
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "table", "--epsilon", "0.5", "--delta", "1e-9").ExitCode);
        var before = File.ReadAllBytes(fixture.Ledger);

        var overspend = Infer("table", "1", unreadable);
        Assert.Equal(2, overspend.ExitCode);
        Assert.Contains("cap", overspend.Error, StringComparison.Ordinal);
        var uncapped = Infer("nocap", "1", unreadable);
        Assert.Equal(2, uncapped.ExitCode);
        Assert.Equal(before, File.ReadAllBytes(fixture.Ledger));
        Assert.False(File.Exists(SchemaPath + ".tmp"));
        Assert.DoesNotContain("dp_discovery", File.ReadAllText(SchemaPath), StringComparison.Ordinal); // the fixture's public schema, untouched

        // Once charged, the unreadable file is an input error, and the charge stays spent.
        var charged = Infer("table", "0.2", unreadable);
        Assert.Equal(1, charged.ExitCode);
        Assert.NotEqual(before, File.ReadAllBytes(fixture.Ledger));

        var noLedger = CliRunner.Run(
            "schema", "infer", "--dp", "--epsilon", "1", "--ledger", Path.Combine(fixture.Folder, "none.jsonl"), "--dataset", "table",
            "--input", unreadable, "--out", Path.Combine(fixture.Folder, "x.yaml"));
        Assert.Equal(2, noLedger.ExitCode);
    }

    [Theory]
    [InlineData("--epsilon", "1")]
    [InlineData("--dataset", "table")]
    [InlineData("--bins", "5")]
    public void DiscoveryOptionsNeedDp(string option, string value)
    {
        var result = CliRunner.Run("schema", "infer", "--input", fixture.Input, "--out", Path.Combine(fixture.Folder, "d.yaml"), option, value);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--dp", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bins", "1")]
    [InlineData("--epsilon", "-1")]
    [InlineData("--epsilon", "nan")]
    [InlineData("--dataset", "bad id")]
    public void BadDiscoveryArgumentsAreRefusedWithNothingCharged(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--epsilon"] = "1", ["--dataset"] = "table", ["--bins"] = "10" };
        args[option] = value;
        var before = File.ReadAllBytes(fixture.Ledger);
        var result = CliRunner.Run([
            "schema", "infer", "--dp", "--ledger", fixture.Ledger, "--input", fixture.Input, "--out", Path.Combine(fixture.Folder, "d.yaml"),
            "--allow-uncapped", .. args.SelectMany(p => new[] { p.Key, p.Value })]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(before, File.ReadAllBytes(fixture.Ledger));
    }

    /// <summary>
    /// The raw Adult training file at epsilon 10: numeric columns come out numeric and the binary columns keep exactly
    /// their two labels. False failure: a numeric column turns categorical only when its labels' noise passes 1% of its
    /// 32,561 numbers (325, about 39 probe sigmas: probability below exp(-700)); "Female" (10,771 rows) or "Male" is lost
    /// only when the noise passes -10,000 (about 3,600 sigmas); no other label occurs in the column.
    /// </summary>
    [RequiresSharedDataFact]
    public void TheRawAdultFileGetsAUsableSchema()
    {
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "adult", "--epsilon", "20", "--delta", "1e-9").ExitCode);
        var infer = Infer("adult", "10", SharedData.Path("adult-raw", "adult-train.csv"));
        Assert.True(infer.ExitCode == 0, infer.Error);
        var schema = TableSchema.Load(SchemaPath);
        var kinds = schema.Columns.ToDictionary(c => c.Name, c => c.Kind);
        Assert.All(["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"],
            n => Assert.Contains(kinds[n], new[] { ColumnKind.Integer, ColumnKind.Continuous }));
        Assert.Equal(["Female", "Male"], ((CategoricalColumnSpec)schema.Columns.Single(c => c.Name == "sex")).Categories.ToArray());
        Assert.Equal(["<=50K", ">50K"], ((CategoricalColumnSpec)schema.Columns.Single(c => c.Name == "income")).Categories.ToArray());
        var check = CliRunner.Run("schema", "check", "--input", SharedData.Path("adult-raw", "adult-train.csv"), "--schema", SchemaPath);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
    }
}
