using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary>
/// What <c>dpsynth run</c> checks of its input before the charge (the header or footer: not records), what it tells the
/// operator after reading the rows, and that a run that failed after its charge is not repeated on the same input unless
/// the operator forces it.
/// </summary>
public sealed class RunInputChecksTests : IDisposable
{
    private readonly RunFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private int Charges() => new BudgetLedger(fixture.Ledger).Verify().Entries.Count(e => e.Kind == LedgerEntryKind.Charge);

    [Fact]
    public void AHeaderWithoutASchemaColumnIsRefusedInTheDryRunAndBeforeTheCharge()
    {
        var lines = File.ReadAllLines(fixture.Input);
        lines[0] = "age,sex,region,visits,result";
        File.WriteAllLines(fixture.Input, lines);
        var policy = fixture.WritePolicy("p.yaml");
        var ledger = File.ReadAllBytes(fixture.Ledger);

        var dry = CliRunner.Run("run", policy, "--dry-run");
        var real = CliRunner.Run("run", policy);

        foreach (var run in new[] { dry, real })
        {
            Assert.Equal((int)ExitCode.UsageOrInput, run.ExitCode);
            Assert.Contains("the header lacks schema column(s): outcome", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("charged", run.Error, StringComparison.Ordinal);
        }

        Assert.Equal(ledger, File.ReadAllBytes(fixture.Ledger));
        Assert.False(Directory.Exists(fixture.Releases) && Directory.EnumerateFileSystemEntries(fixture.Releases).Any());
    }

    [Fact]
    public void ARunReadsAParquetInputAndTellsTheOperatorWhatTheEncoderKept()
    {
        var lines = File.ReadAllLines(fixture.Input);
        var parquet = Path.ChangeExtension(fixture.Input, ".parquet");
        Marginals.MessyTable.WriteTextParquet(parquet, lines[0].Split(','), [.. lines.Skip(1).Select(l => l.Split(','))]);
        var policy = fixture.WritePolicy("p.yaml");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("/table.csv", "/table.parquet", StringComparison.Ordinal));

        var run = CliRunner.Run("run", policy);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains(
            $"read {RunFixture.Rows} records, kept {RunFixture.Rows} rows; 0 skipped as bad rows, 0 dropped as out of domain",
            run.Error,
            StringComparison.Ordinal);
        Assert.Equal(1, Charges());
    }

    [Fact]
    public void SkippedRowsAreCountedOnTheConsoleAndNotInTheBundle()
    {
        File.AppendAllText(fixture.Input, "old,F,North,3,no\n41,F,North,3\n");
        var schema = Path.Combine(fixture.Folder, "table.schema.yaml");
        File.WriteAllText(schema, "bad_rows: skip\n" + File.ReadAllText(schema));
        var policy = fixture.WritePolicy("p.yaml");

        var run = CliRunner.Run("run", policy);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var counts = $"read {RunFixture.Rows + 2} records, kept {RunFixture.Rows} rows; 2 skipped as bad rows";
        Assert.Contains(counts, run.Error, StringComparison.Ordinal);
        var bundle = Directory.GetDirectories(fixture.Releases).Single(d => !d.EndsWith(".internal", StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("skipped as bad rows", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ARunThatFailedAfterItsChargeIsNotRepeatedOnTheSameInputWithoutForce()
    {
        // The header is right, so the charge goes through; the bad value is a record, found only when the rows are read.
        File.AppendAllText(fixture.Input, "old,F,North,3,no\n");
        var policy = fixture.WritePolicy("p.yaml");

        var first = CliRunner.Run("run", policy);
        Assert.Equal((int)ExitCode.UsageOrInput, first.ExitCode);
        Assert.Contains("failed after the budget was charged", first.Error, StringComparison.Ordinal);
        Assert.Equal(1, Charges());
        var ledger = File.ReadAllBytes(fixture.Ledger);

        var again = CliRunner.Run("run", policy);
        Assert.Equal((int)ExitCode.BudgetRefused, again.ExitCode);
        Assert.Contains("failed after its charge", again.Error, StringComparison.Ordinal);
        Assert.Contains("--force", again.Error, StringComparison.Ordinal);
        Assert.Equal(ledger, File.ReadAllBytes(fixture.Ledger));

        var forced = CliRunner.Run("run", policy, "--force");
        Assert.Equal((int)ExitCode.UsageOrInput, forced.ExitCode);
        Assert.Equal(2, Charges());

        // The dry run cannot read the input to compare, but says that the real run refuses a repeat of the failure.
        var dry = CliRunner.Run("run", policy, "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("the last run of this policy on some input failed after its charge", dry.Error, StringComparison.Ordinal);
        Assert.Contains("the real run refuses it, charging nothing, if the input is the same", dry.Error, StringComparison.Ordinal);

        // Fixing the input makes it another input: the run goes ahead without --force.
        File.WriteAllLines(fixture.Input, File.ReadAllLines(fixture.Input).SkipLast(1));
        Assert.Equal(0, CliRunner.Run("run", policy).ExitCode);
        Assert.Equal(3, Charges());
    }
}
