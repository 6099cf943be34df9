using DPSynth.Budget;
using DPSynth.Cli;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary>
/// A bug met while running one policy of a folder (an exception DPSynth did not anticipate) is that policy's internal
/// error: the others still run, the command exits 70, and the ledger stays consistent, so that a re-run treats the policy
/// as it treats any run stopped at the same step.
/// </summary>
/// <remarks>
/// The fault is injected through the console the command is given: the writer throws once, as a bug in the step that
/// writes that line would, while the second policy runs. No test hook in the engine is needed: every step named below
/// writes its line to the console through the runner.
/// </remarks>
public sealed class RunBugTests : IDisposable
{
    private const string Crashing = "2-crash.yaml";

    private readonly RunFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    /// <summary>Where the injected bug strikes, by the line the step writes.</summary>
    public enum Step
    {
        /// <summary>The preflight estimate: before the ledger is read, nothing charged.</summary>
        BeforeTheCharge,

        /// <summary>The line that confirms the charge: charged, but the run's outcome is not being tracked yet.</summary>
        RightAfterTheCharge,

        /// <summary>A progress line of the fit: charged, inside the run that records its outcome.</summary>
        DuringTheFit,
    }

    [Theory]
    [InlineData(Step.BeforeTheCharge)]
    [InlineData(Step.RightAfterTheCharge)]
    [InlineData(Step.DuringTheFit)]
    public void ABugInOnePolicyOfAFolderIsItsInternalErrorAndTheOthersStillRelease(Step step)
    {
        var batch = Path.Combine(fixture.Folder, "batch");
        fixture.WritePolicy("1-first.yaml", dataset: "one", folder: "batch");
        var crashing = fixture.WritePolicy(Crashing, dataset: "two", folder: "batch");
        fixture.WritePolicy("3-third.yaml", dataset: "three", folder: "batch");

        var run = RunWithBug(step, "run", batch);

        Assert.True(run.ExitCode == 70, run.Output + run.Error);
        Assert.Equal(
            [("1-first.yaml", "released"), (Crashing, "internal error"), ("3-third.yaml", "released")],
            SummaryRows(run.Output));
        var error = Assert.Single(run.Error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith(
            $"error: {Crashing}: internal error (InvalidOperationException): injected bug. This is a bug in DPSynth", error,
            StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal); // no stack trace without DPSYNTH_DEBUG=1

        // The ledger verifies, the two good policies' bundles verify, and the crashed one is where its step left it.
        var entries = VerifiedEntries();
        Assert.Equal(2, Bundles().Length);
        foreach (var bundle in Bundles())
        {
            Assert.Equal(0, CliRunner.Run("verify", bundle, "--certificate", fixture.TestSigningCertificate).ExitCode);
        }

        // The summary row names the dataset whatever the step (the policy was loaded) and the epsilon the ledger charged.
        var row = SummaryLine(run.Output, Crashing);
        Assert.Equal(("two", step == Step.BeforeTheCharge ? "0" : "1"), (row[1], row[2])); // dataset, epsilon spent
        var two = entries.Where(e => e.DatasetId == "two").ToList();
        var charges = two.Count(e => e.Kind == LedgerEntryKind.Charge);
        var outcomes = two.Where(e => e.Kind == LedgerEntryKind.Outcome).Select(e => e.Outcome).ToList();
        switch (step)
        {
            case Step.BeforeTheCharge:
                Assert.Equal(0, charges);
                Assert.Empty(outcomes);
                Assert.DoesNotContain("with no outcome", run.Error, StringComparison.Ordinal);
                break;
            case Step.RightAfterTheCharge:
                Assert.Equal(1, charges);
                Assert.Empty(outcomes); // open, as if the process had been killed here
                // ... and the operator is told so, with what the next run does.
                Assert.Contains(DPSynth.Diagnostics.Messages.RunChargeLeftOpen(crashing), run.Error, StringComparison.Ordinal);
                break;
            default:
                Assert.Equal(1, charges);
                Assert.Equal([RunOutcome.Failed], outcomes);
                Assert.DoesNotContain("with no outcome", run.Error, StringComparison.Ordinal); // recorded, not open
                break;
        }

        // A re-run of the folder (no bug now) skips the released policies and treats the crashed one as any run stopped
        // at that step: never charged, so it runs; open, so refused as possibly still running; failed after its charge,
        // so refused as likely to fail again. --force then runs it.
        var again = CliRunner.Run("run", batch);
        var expected = step switch
        {
            Step.BeforeTheCharge => (0, "released"),
            Step.RightAfterTheCharge => (1, "in progress or interrupted"),
            _ => (2, "budget refused"),
        };
        Assert.True(again.ExitCode == expected.Item1, again.Output + again.Error);
        Assert.Equal(
            [("1-first.yaml", "skipped (already released)"), (Crashing, expected.Item2), ("3-third.yaml", "skipped (already released)")],
            SummaryRows(again.Output));
        Assert.Equal(charges + (step == Step.BeforeTheCharge ? 1 : 0), VerifiedEntries().Count(e => e.DatasetId == "two" && e.Kind == LedgerEntryKind.Charge));
        if (step != Step.BeforeTheCharge)
        {
            var forced = CliRunner.Run("run", crashing, "--force");
            Assert.True(forced.ExitCode == 0, forced.Output + forced.Error);
            Assert.Equal(2, VerifiedEntries().Count(e => e.DatasetId == "two" && e.Kind == LedgerEntryKind.Charge));
        }

        Assert.Equal(3, Bundles().Length);
    }

    [Fact]
    public void ABugInTheOnlyPolicyExits70WithOneLineAndTheLedgerVerifies()
    {
        var policy = fixture.WritePolicy(Crashing);
        var run = RunWithBug(Step.DuringTheFit, "run", policy);
        Assert.True(run.ExitCode == 70, run.Output + run.Error);
        Assert.Equal([(Crashing, "internal error")], SummaryRows(run.Output));
        Assert.Contains("failed after the budget was charged (the charge stands; nothing was released): internal error", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Equal([RunOutcome.Failed], VerifiedEntries().Where(e => e.Kind == LedgerEntryKind.Outcome).Select(e => e.Outcome));
    }

    /// <summary>
    /// Running out of memory on the second core, where the kernels' worker hands its failure back wrapped in an
    /// <see cref="AggregateException"/>, still stops the whole command, as it does on the caller's thread: not reported as
    /// the policy's internal error, not recorded as a failed run (its charge stays open, as for a killed run), and the
    /// next policy is not run.
    /// </summary>
    [Fact]
    public void RunningOutOfMemoryOnTheSecondCoreStillStopsTheFolder()
    {
        var batch = Path.Combine(fixture.Folder, "batch");
        fixture.WritePolicy("1-first.yaml", dataset: "one", folder: "batch");
        fixture.WritePolicy(Crashing, dataset: "two", folder: "batch");
        fixture.WritePolicy("3-third.yaml", dataset: "three", folder: "batch");
        using var output = new StringWriter();
        using var error = new BuggyConsole("mst: ", () => new AggregateException(new OutOfMemoryException()));

        Assert.Throws<AggregateException>(() => DPSynthCli.Run(["run", batch], output, error));

        Assert.True(error.Thrown);
        Assert.DoesNotContain("internal error", error.ToString(), StringComparison.Ordinal);
        var entries = VerifiedEntries();
        Assert.Single(entries, e => e.DatasetId == "two" && e.Kind == LedgerEntryKind.Charge);
        Assert.DoesNotContain(entries, e => e.DatasetId == "two" && e.Kind == LedgerEntryKind.Outcome);
        Assert.DoesNotContain(entries, e => e.DatasetId == "three");
        Assert.Single(Bundles());
    }

    /// <summary>Runs <c>dpsynth</c> with a console that throws once at <paramref name="step"/> of <see cref="Crashing"/>.</summary>
    private static CliRunner.Result RunWithBug(Step step, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new BuggyConsole(
            step switch
            {
                Step.BeforeTheCharge => "preflight: ",
                Step.RightAfterTheCharge => "charged rho = ",
                _ => "mst: ",
            },
            () => new InvalidOperationException("injected bug"));
        var code = DPSynthCli.Run(args, output, error);
        Assert.True(error.Thrown, "the injected bug never struck: " + error);
        return new CliRunner.Result(code, output.ToString(), error.ToString());
    }

    private List<LedgerEntry> VerifiedEntries()
    {
        var verification = new BudgetLedger(fixture.Ledger).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        string[] bundles = Directory.Exists(fixture.Releases) ? ["--bundles", fixture.Releases] : [];
        Assert.Equal(0, CliRunner.Run(["budget", "verify", "--ledger", fixture.Ledger, .. bundles]).ExitCode);
        return [.. verification.Entries];
    }

    private string[] Bundles() =>
        Directory.Exists(fixture.Releases)
            ? [.. Directory.GetDirectories(fixture.Releases).Where(d => !d.EndsWith(".internal", StringComparison.Ordinal))]
            : [];

    /// <summary>The policy and result columns of the plain summary table.</summary>
    private static List<(string Policy, string Result)> SummaryRows(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = Array.FindIndex(lines, l => l.StartsWith("policy ", StringComparison.Ordinal));
        var result = lines[header].IndexOf("result", StringComparison.Ordinal);
        var end = lines[header].IndexOf("output", StringComparison.Ordinal);
        return [.. lines.Skip(header + 1).Select(l => (l.Split(' ')[0], l[result..end].Trim()))];
    }

    /// <summary>The cells of the summary row of <paramref name="policy"/>.</summary>
    private static string[] SummaryLine(string output, string policy) =>
        Assert.Single(output.Split('\n'), l => l.StartsWith(policy, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The operator's console, which throws the exception <paramref name="fault"/> makes (one DPSynth does not anticipate)
    /// the first time a line starting with <paramref name="prefix"/> is written while <see cref="Crashing"/> runs.
    /// </summary>
    private sealed class BuggyConsole(string prefix, Func<Exception> fault) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        private bool inCrashingPolicy;

        public bool Thrown { get; private set; }

        public override void WriteLine(string? value)
        {
            if (value is not null && value.StartsWith("== ", StringComparison.Ordinal))
            {
                inCrashingPolicy = value.EndsWith(Crashing, StringComparison.Ordinal);
            }

            if (inCrashingPolicy && !Thrown && value is not null && value.StartsWith(prefix, StringComparison.Ordinal))
            {
                Thrown = true;
                throw fault();
            }

            base.WriteLine(value);
        }
    }
}
