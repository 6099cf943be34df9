using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using DPSynth.Audits;
using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Policies;
using DPSynth.Release;
using DPSynth.Tests.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

public sealed class RunCommandTests : IDisposable
{
    private readonly RunFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private List<LedgerEntry> Entries() => [.. new BudgetLedger(fixture.Ledger).Verify().Entries];

    /// <summary>Runs the fixture's policy <c>p.yaml</c> with <paramref name="release"/> lines added; returns its bundle.</summary>
    private string ReleasedBundle(string? release = null)
    {
        var run = CliRunner.Run("run", fixture.WritePolicy("p.yaml", release: release));
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return OnlyBundle(fixture.Releases);
    }

    private static string OnlyBundle(string releases) =>
        Assert.Single(Directory.GetDirectories(releases), d => !d.EndsWith(".internal", StringComparison.Ordinal));

    [Fact]
    public void APolicyIsReleasedAsASignedBundleThatVerifiesWithAnInternalReportBesideIt()
    {
        var policy = fixture.WritePolicy("p.yaml", release: "  formats: [csv, model]");
        var run = CliRunner.Run("run", policy);
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("released", run.Output, StringComparison.Ordinal);

        var bundle = OnlyBundle(fixture.Releases);
        Assert.Equal(
            ["manifest.json", "manifest.p7s", "model.dpsm", "report.html", "synthetic.csv"],
            Directory.GetFiles(bundle).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(bundle + ".internal", "report.html")));
        if (!OperatingSystem.IsWindows())
        {
            // The internal report holds true counts and audit figures: owner only, so syncing the release folder cannot
            // publish it by accident.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(bundle + ".internal"));
            foreach (var file in Directory.GetFiles(bundle + ".internal"))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        Assert.Equal(901, File.ReadAllLines(Path.Combine(bundle, "synthetic.csv")).Length);
        Assert.Equal(0, CliRunner.Run("verify", bundle, "--certificate", fixture.TestSigningCertificate).ExitCode);

        // The ledger: one charge with the policy's hash, then its released outcome naming the bundle.
        var entries = Entries();
        var charge = Assert.Single(entries, e => e.Kind == LedgerEntryKind.Charge);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(policy))), charge.PolicySha256);
        var outcome = Assert.Single(entries, e => e.Kind == LedgerEntryKind.Outcome);
        Assert.Equal((RunOutcome.Released, bundle), (outcome.Outcome, outcome.Bundle));
        var manifest = File.ReadAllText(Path.Combine(bundle, "manifest.json"));
        Assert.Contains(charge.Hash, manifest, StringComparison.Ordinal);

        // The compliance report lists the run with its policy, outcome and bundle.
        var report = CliRunner.Run("budget", "report", "--ledger", fixture.Ledger);
        Assert.Contains(bundle, report.Output, StringComparison.Ordinal);
        Assert.Contains("policy p.yaml", report.Output, StringComparison.Ordinal);
        Assert.Contains("released", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfiguredCertificateWithItsPasswordInAnEnvironmentVariableSignsTheBundle()
    {
        var variable = "DPSYNTH_TEST_PFX_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "correct horse battery staple");
        try
        {
            var keys = Path.Combine(fixture.Folder, "keys");
            Assert.Equal(0, CliRunner.Run("keys", "create", "--out", keys, "--password-env", variable).ExitCode);
            var policy = fixture.WritePolicy(
                "p.yaml", release: $"  signing:\n    certificate: keys/signing.pfx\n    password_env: {variable}");
            var run = CliRunner.Run("run", policy);
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            Assert.DoesNotContain("TEST certificate", run.Error, StringComparison.Ordinal);
            var bundle = OnlyBundle(fixture.Releases);
            Assert.Equal(0, CliRunner.Run("verify", bundle, "--certificate", Path.Combine(keys, "signing.crt.pem")).ExitCode);

            // Without the password the run is refused before anything is charged.
            Environment.SetEnvironmentVariable(variable, null);
            var refused = CliRunner.Run("run", policy, "--force");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains(variable, refused.Error, StringComparison.Ordinal);
            Assert.Single(Entries(), e => e.Kind == LedgerEntryKind.Charge);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void ARerunSpendsNothingAndForceChargesAgain()
    {
        var policy = fixture.WritePolicy("p.yaml");
        Assert.Equal(0, CliRunner.Run("run", policy).ExitCode);
        var ledgerAfterFirst = File.ReadAllBytes(fixture.Ledger);

        var again = CliRunner.Run("run", policy);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("skipped", again.Output, StringComparison.Ordinal);
        Assert.Equal(ledgerAfterFirst, File.ReadAllBytes(fixture.Ledger));

        // A dry run cannot tell (it never reads the input), and says so instead of only pricing a run that would skip.
        var dry = CliRunner.Run("run", policy, "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("this policy was released at", dry.Error, StringComparison.Ordinal);
        Assert.Contains("spends nothing if the input and the schema are unchanged", dry.Error, StringComparison.Ordinal);
        Assert.Equal(ledgerAfterFirst, File.ReadAllBytes(fixture.Ledger));

        var forced = CliRunner.Run("run", policy, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(2, Entries().Count(e => e.Kind == LedgerEntryKind.Charge));
        Assert.Equal(2, Directory.GetDirectories(fixture.Releases).Count(d => !d.EndsWith(".internal", StringComparison.Ordinal)));
    }

    [Fact]
    public void AChangedInputIsNotTakenForTheSameRelease()
    {
        var policy = fixture.WritePolicy("p.yaml");
        Assert.Equal(0, CliRunner.Run("run", policy).ExitCode);
        File.AppendAllText(fixture.Input, "42,F,North,3,no\n");
        Assert.Equal(0, CliRunner.Run("run", policy).ExitCode);
        Assert.Equal(2, Entries().Count(e => e.Kind == LedgerEntryKind.Charge));
    }

    [Fact]
    public void TwoPoliciesOnOneDatasetShareItsCapAndTheSecondIsRefusedBeforeReadingTheData()
    {
        // Cap epsilon 1.3: the first run (epsilon 1, rho 0.0150) fits; two such runs compose in zCDP to rho 0.0299,
        // i.e. epsilon 1.46 at delta 1e-9, which passes it (a cap of 1.5 would admit both).
        var cap = "  cap: {epsilon: 1.3, delta: 1e-9}";
        fixture.WritePolicy("a.yaml", privacy: cap, folder: "batch");
        fixture.WritePolicy("b.yaml", privacy: cap, folder: "batch", release: "  # a second policy: same dataset, its own hash");
        // A dry run of the folder adds up the planned spends as the real run would, and foresees the refusal.
        var dry = CliRunner.Run("run", Path.Combine(fixture.Folder, "batch"), "--dry-run");
        Assert.True(dry.ExitCode == 2, dry.Output + dry.Error);
        Assert.Contains(dry.Output.Split('\n'), l => l.StartsWith("b.yaml", StringComparison.Ordinal) && l.Contains("budget refused", StringComparison.Ordinal));

        var run = CliRunner.Run("run", Path.Combine(fixture.Folder, "batch"));

        Assert.True(run.ExitCode == 2, run.Output + run.Error);
        var lines = run.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("a.yaml", StringComparison.Ordinal) && l.Contains("released", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("b.yaml", StringComparison.Ordinal) && l.Contains("budget refused", StringComparison.Ordinal));
        Assert.Single(Entries(), e => e.Kind == LedgerEntryKind.Charge);
        Assert.Contains("would pass", run.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ABatchKeepsGoingPastAnInvalidPolicy()
    {
        fixture.WritePolicy("a.yaml", folder: "batch");
        File.WriteAllText(Path.Combine(fixture.Folder, "batch", "0-broken.yaml"), "version: 1\ndataset: {}\n");
        var run = CliRunner.Run("run", Path.Combine(fixture.Folder, "batch"));
        Assert.True(run.ExitCode == 1, run.Output + run.Error);
        Assert.Contains("invalid", run.Output, StringComparison.Ordinal);
        Assert.Contains("released", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderRunSkipsTheSchemaFilesBesideItsPolicies()
    {
        var policy = fixture.WritePolicy("a.yaml", folder: "batch");
        File.Copy(Path.Combine(fixture.Folder, "table.schema.yaml"), Path.Combine(Path.GetDirectoryName(policy)!, "table.schema.yaml"));
        var run = CliRunner.Run("run", Path.GetDirectoryName(policy)!, "--dry-run");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("a.yaml", StringComparison.Ordinal));
        Assert.DoesNotContain("table.schema.yaml", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("table.schema.yaml", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ADryRunPricesThePolicyWithoutTouchingTheDataOrTheLedger()
    {
        var policy = fixture.WritePolicy("p.yaml", privacy: "  cap: {epsilon: 3, delta: 1e-9}");
        var anchor = File.ReadAllBytes(fixture.Ledger + ".head");
        var run = CliRunner.Run("run", policy, "--dry-run");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("dry run", run.Output, StringComparison.Ordinal);
        Assert.Contains("would spend rho", run.Error, StringComparison.Ordinal);
        Assert.Contains("cap 0.", run.Error, StringComparison.Ordinal);

        // Nothing written: the ledger and its anchor as created, no output.
        Assert.Empty(File.ReadAllBytes(fixture.Ledger));
        Assert.Equal(anchor, File.ReadAllBytes(fixture.Ledger + ".head"));
        Assert.False(Directory.Exists(fixture.Releases));
    }

    [Fact]
    public void ADryRunThatWouldPassTheCapIsRefused()
    {
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "table", "--epsilon", "1.5", "--delta", "1e-9").ExitCode);
        Assert.Equal(0, CliRunner.Run("budget", "charge", "--ledger", fixture.Ledger, "--dataset", "table", "--rho", "0.02", "--mechanism", "earlier").ExitCode);
        var before = File.ReadAllBytes(fixture.Ledger);
        var run = CliRunner.Run("run", fixture.WritePolicy("p.yaml"), "--dry-run");
        Assert.True(run.ExitCode == 2, run.Output + run.Error);
        Assert.Contains("budget refused", run.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(fixture.Ledger));
    }

    [Fact]
    public void APolicyMayNotRaiseTheLedgersCap()
    {
        Assert.Equal(0, CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "table", "--epsilon", "2", "--delta", "1e-9").ExitCode);
        var policy = fixture.WritePolicy("p.yaml", privacy: "  cap: {epsilon: 5, delta: 1e-9}");
        var run = CliRunner.Run("run", policy);
        Assert.True(run.ExitCode == 2, run.Output + run.Error);
        Assert.Contains("never raise it", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Entries(), e => e.Kind == LedgerEntryKind.Charge);
    }

    [Fact]
    public void InsecureNoiseNeedsTheCommandLinesConsentAndIsNeverSignedOrReleased()
    {
        var policy = fixture.WritePolicy("p.yaml", privacy: "  insecure_deterministic_noise: 42");
        var refused = CliRunner.Run("run", policy);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--allow-insecure-noise", refused.Error, StringComparison.Ordinal);
        Assert.Empty(File.ReadAllBytes(fixture.Ledger));

        var run = CliRunner.Run("run", policy, "--allow-insecure-noise");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("NOT PRIVATE", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.Releases)); // nothing beside the public bundles
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(Path.GetDirectoryName(fixture.Ledger)!, "insecure-test-output")));
        Assert.EndsWith(".INSECURE-NOT-PRIVATE", folder, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "manifest.json")));
        Assert.False(File.Exists(Path.Combine(folder, "manifest.p7s")));
        Assert.Equal(4, CliRunner.Run("verify", folder).ExitCode);
        Assert.Equal(RunOutcome.Insecure, Entries().Single(e => e.Kind == LedgerEntryKind.Outcome).Outcome);
    }

    [Fact]
    public void AGateFailureSpendsTheBudgetReleasesNothingAndCountsAsAnAttempt()
    {
        // Thresholds no audit can meet (an attack AUC of at most 0; a policy file may not go below 0.5, so the loaded
        // policy is changed in memory): the gate fails on every run, without depending on the noise.
        var policy = PolicyReader.Load(fixture.WritePolicy("p.yaml")).GetValueOrThrow();
        policy = policy with { Audits = policy.Audits with { Thresholds = new GateThresholds(0, 0, 0) } };
        using var log = new StringWriter();
        var result = new PolicyRunner(new RunOptions(), log).Run(policy);

        Assert.Equal(RunStatus.GateFailed, result.Status);
        Assert.Equal(ExitCode.AuditGateFailed, result.Status.ToExitCode());
        Assert.Equal("fail", result.Audit);
        Assert.Contains("do not simply re-run", log.ToString(), StringComparison.Ordinal);
        Assert.All(Directory.GetDirectories(fixture.Releases), d => Assert.EndsWith(".internal", d, StringComparison.Ordinal));
        Assert.Single(Entries(), e => e.Kind == LedgerEntryKind.Charge);
        var failed = Entries().Single(e => e.Kind == LedgerEntryKind.Outcome);
        Assert.Equal((RunOutcome.GateFailed, (string?)null), (failed.Outcome, failed.Bundle));

        // The failed attempt counts: it is not a release, so the policy runs (and is charged) again.
        var second = new PolicyRunner(new RunOptions(), log).Run(policy);
        Assert.Equal(RunStatus.GateFailed, second.Status);
        Assert.Contains("(attempt 2)", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AKilledRunLeavesTheLedgerConsistentAndTheNextRunReportsTheOrphanedCharge()
    {
        var policy = fixture.WritePolicy("p.yaml");

        // Wait for the charge to be durable (the child says so), then kill it: a crash between charge and release.
        CliProcess.KillWhenItSays("paused after the charge", PolicyRunner.PauseAfterChargeVariable, "120000", "run", policy);

        var verification = new BudgetLedger(fixture.Ledger).Verify();
        Assert.True(verification.IsValid, verification.Problem);
        var orphan = Assert.Single(verification.Entries, e => e.Kind == LedgerEntryKind.Charge);
        Assert.False(Directory.Exists(fixture.Releases) && Directory.GetDirectories(fixture.Releases).Length > 0);

        // The next run reports the orphan and, not knowing whether it is still running, does not charge again...
        var next = CliRunner.Run("run", policy);
        Assert.Equal(1, next.ExitCode);
        Assert.Contains("in progress or interrupted", next.Output, StringComparison.Ordinal);
        Assert.Contains($"run {orphan.RunId} charged", next.Error, StringComparison.Ordinal);
        Assert.Contains("recorded no outcome", next.Error, StringComparison.Ordinal);
        Assert.Single(Entries(), e => e.Kind == LedgerEntryKind.Charge);

        // A dry run says the same refusal (it once said "would spend" and exited 0), and so does a dry run of the folder.
        var dry = CliRunner.Run("run", policy, "--dry-run");
        Assert.Equal(1, dry.ExitCode);
        Assert.Contains("in progress or interrupted", dry.Output, StringComparison.Ordinal);
        Assert.Contains($"dry run: run {orphan.RunId} of this policy charged", dry.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("would spend", dry.Error, StringComparison.Ordinal);
        Assert.Equal(1, CliRunner.Run("run", fixture.Folder, "--dry-run").ExitCode);
        Assert.Equal(0, CliRunner.Run("run", policy, "--dry-run", "--force").ExitCode);

        // ...until the operator says so.
        var forced = CliRunner.Run("run", policy, "--force");
        Assert.True(forced.ExitCode == 0, forced.Output + forced.Error);
        Assert.Equal(2, Entries().Count(e => e.Kind == LedgerEntryKind.Charge));
        Assert.Contains(LedgerReport.Orphaned, CliRunner.Run("budget", "report", "--ledger", fixture.Ledger).Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderRunTellsHowToForceTheInterruptedPolicyAloneNotTheFolderWhichWouldChargeTheReleasedOnesAgain()
    {
        var released = fixture.WritePolicy("a.yaml", folder: "batch");
        var killed = fixture.WritePolicy("b.yaml", epsilon: 2, folder: "batch");
        Assert.Equal(0, CliRunner.Run("run", released).ExitCode);
        CliProcess.KillWhenItSays("paused after the charge", PolicyRunner.PauseAfterChargeVariable, "120000", "run", killed);

        var batch = CliRunner.Run("run", Path.GetDirectoryName(killed)!);

        // The advice names the one file: '--force' on the folder (the advice before) charged a.yaml a second time.
        Assert.Equal(1, batch.ExitCode);
        Assert.Contains($"'dpsynth run {killed} --force' runs this policy alone again", batch.Error, StringComparison.Ordinal);
        Assert.Contains($"'dpsynth run {released} --force' runs this policy alone again", batch.Error, StringComparison.Ordinal);
        Assert.Contains("--force on its folder would charge every policy in it again", batch.Error, StringComparison.Ordinal);
        Assert.Equal(2, Entries().Count(e => e.Kind == LedgerEntryKind.Charge));

        // Following it re-runs b.yaml only.
        var forced = CliRunner.Run("run", killed, "--force");
        Assert.True(forced.ExitCode == 0, forced.Output + forced.Error);
        Assert.Equal(3, Entries().Count(e => e.Kind == LedgerEntryKind.Charge));
        Assert.Equal(0, CliRunner.Run("run", Path.GetDirectoryName(killed)!).ExitCode);
        Assert.Equal(3, Entries().Count(e => e.Kind == LedgerEntryKind.Charge));
    }

    [Fact]
    public void ADryRunOfABatchSaysWhichPartOfARefusalIsOnlyPlannedByEarlierPolicies()
    {
        // Room for two runs: a.yaml is released, so the real run skips it and b.yaml fits.
        const string cap = "  cap: {epsilon: 1.5, delta: 1e-9}";
        var released = fixture.WritePolicy("a.yaml", privacy: cap, folder: "batch");
        fixture.WritePolicy("b.yaml", epsilon: 0.9, privacy: cap, folder: "batch");
        Assert.Equal(0, CliRunner.Run("run", released).ExitCode);
        var spent = Entries().Single(e => e.Kind == LedgerEntryKind.Charge).Rho;

        var dry = CliRunner.Run("run", Path.GetDirectoryName(released)!, "--dry-run");

        // The refusal no longer calls a.yaml's planned spend "already spent".
        Assert.True(dry.ExitCode == 2, dry.Output + dry.Error);
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"already spent rho {spent:G6}, and rho {spent:G6} planned by earlier policies of this dry run"),
            dry.Error, StringComparison.Ordinal);
        Assert.Contains("is skipped if its input and schema are unchanged, and this policy may then fit", dry.Error, StringComparison.Ordinal);

        var real = CliRunner.Run("run", Path.GetDirectoryName(released)!);
        Assert.True(real.ExitCode == 0, real.Output + real.Error);
        Assert.Equal(2, Entries().Count(e => e.Kind == LedgerEntryKind.Charge));
    }

    [Fact]
    public void ABundleWrittenByARunKilledBeforeItsOutcomeIsRecoveredNotChargedAgain()
    {
        // Simulate a kill between the bundle's rename and the outcome entry: drop the last ledger line (the outcome)
        // and put the anchored head back on the charge, exactly what a crash at that point leaves (the anchor moves
        // only after an append).
        var policy = fixture.WritePolicy("p.yaml");
        Assert.Equal(0, CliRunner.Run("run", policy).ExitCode);
        var lines = File.ReadAllLines(fixture.Ledger);
        File.WriteAllLines(fixture.Ledger, lines[..^1]);
        LedgerAnchor.Of(LedgerVerifier.Verify(File.ReadAllBytes(fixture.Ledger)))
            .Write(fixture.Ledger + ".head", LedgerKey.LoadOrCreate(fixture.Ledger));
        Assert.DoesNotContain(Entries(), e => e.Kind == LedgerEntryKind.Outcome);

        // The dry run cannot verify the bundle, so it does not say that the open charge is refused.
        Assert.Equal(0, CliRunner.Run("run", policy, "--dry-run").ExitCode);
        var again = CliRunner.Run("run", policy);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("recorded it as released", again.Error, StringComparison.Ordinal);
        Assert.Contains("skipped", again.Output, StringComparison.Ordinal);
        Assert.Single(Entries(), e => e.Kind == LedgerEntryKind.Charge);
        Assert.Equal(OnlyBundle(fixture.Releases), Entries().Single(e => e.Kind == LedgerEntryKind.Outcome).Bundle);
    }

    [Fact]
    public void ARebalancedReleaseSaysInItsManifestThatTheDistributionWasChangedOnPurpose()
    {
        var bundle = ReleasedBundle("  rebalance: region=uniform");
        var manifest = File.ReadAllText(Path.Combine(bundle, "manifest.json"));
        Assert.Contains("\"distribution_changed\": true", manifest, StringComparison.Ordinal);
        Assert.Contains("\"rebalance\": \"region=uniform\"", manifest, StringComparison.Ordinal);

        // Uniform over 4 regions at 900 rows: 225 each, within the rounding bound of one row.
        var regions = File.ReadLines(Path.Combine(bundle, "synthetic.csv")).Skip(1).GroupBy(l => l.Split(',')[2]).ToList();
        Assert.Equal(4, regions.Count);
        Assert.All(regions, g => Assert.InRange(g.Count(), 224, 226));
    }

    [Fact]
    public void AConditionedReleaseCarriesTheConditionOnEveryRowAndSaysSoInItsManifest()
    {
        var policy = fixture.WritePolicy("p.yaml", release: "  condition: sex=F");
        var run = CliRunner.Run("run", policy);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var bundle = OnlyBundle(fixture.Releases);
        var manifest = File.ReadAllText(Path.Combine(bundle, "manifest.json"));
        Assert.Contains("\"distribution_changed\": true", manifest, StringComparison.Ordinal);
        Assert.Contains("\"condition\": \"sex=F\"", manifest, StringComparison.Ordinal);

        var rows = File.ReadLines(Path.Combine(bundle, "synthetic.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(900, rows.Count);
        Assert.All(rows, r => Assert.Equal("F", r[1]));
    }

    [Fact]
    public void ADefaultBundleDisclosesNoPlainInputHashNoTrueRowCountAndNoAuditOrRealDataFigure()
    {
        var policy = fixture.WritePolicy("p.yaml");
        Assert.Equal(0, CliRunner.Run("run", policy).ExitCode);
        var bundle = OnlyBundle(fixture.Releases);
        var text = string.Concat(Directory.GetFiles(bundle).Select(File.ReadAllText));

        // Plain digests of the private file, in every common spelling.
        var bytes = File.ReadAllBytes(fixture.Input);
        foreach (var digest in new[] { SHA256.HashData(bytes), SHA1.HashData(bytes), MD5.HashData(bytes), SHA512.HashData(bytes) })
        {
            Assert.DoesNotContain(Convert.ToHexStringLower(digest), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(digest), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(digest), text, StringComparison.Ordinal);
        }

        // The true row count and the train row count (both in the internal report). No DP output can print them by
        // chance: rows sampled = 900; no noisy cell count comes near (no cell of a balanced column holds more than ~60%
        // of 1237 rows, and reaching 990 would take a noise draw beyond 15 sigma: probability < 1e-40).
        var internalHtml = File.ReadAllText(Path.Combine(bundle + ".internal", "report.html"));
        Assert.Contains("1237", internalHtml, StringComparison.Ordinal);
        // Numbers are looked for as shown: in the manifest and the CSV as they are, in HTML as text (markup holds
        // colours like #999 and chart coordinates, which are not figures).
        var shown = string.Concat(Directory.GetFiles(bundle).Select(f =>
            f.EndsWith(".html", StringComparison.Ordinal) ? Regex.Replace(File.ReadAllText(f), "<[^>]*>", " ") : File.ReadAllText(f)));
        Assert.DoesNotMatch(new Regex(@"(?<![\w.#])1,?237(?![\w.])"), shown);
        var trainRows = Regex.Match(internalHtml, @"train rows</t[hd]><td>(\d+)").Groups[1].Value;
        Assert.NotEqual(string.Empty, trainRows);
        Assert.DoesNotMatch(new Regex($@"(?<![\w.#]){trainRows}(?![\w.])"), shown);

        // No audit or real-data vocabulary in the public files.
        foreach (var word in new[] { "holdout", "AUC", "DCR", "TSTR", "TRTR", "Cramér" })
        {
            Assert.DoesNotContain(word, File.ReadAllText(Path.Combine(bundle, "report.html")), StringComparison.Ordinal);
        }

        // No figure computed from the real rows, as a value. The real-data figures are (a) every number of the internal
        // evaluation.json (TVDs, association, utility, groups), in full and as the reports round them (3 and 4
        // decimals); (b) every figure in [0, 1) the internal report shows with 3 or 4 decimals (audit figures: attack
        // AUCs and TPRs, DCR shares and quantiles, exact-match rates, as well as the utility tables); (c) the real 1-way
        // shares of every cell, computed here from the input. A match cannot be a coincidence: the public files' only
        // decimals are set by public parameters (sigmas of about 40-80 here, rho and epsilon to 7 or more digits, the
        // synthesizer's settings) and the CSV holds integers and labels, so no public token has the shape 0.ddd(d).
        // Limits: HTML is scanned as shown text (markup stripped), so a figure hidden in an attribute or in chart
        // geometry (a bar's height drawn from a real share) is not caught here; the public report's content type, which
        // holds only synthetic counts and noisy measurements, is what rules that out (PublicReportTests). Real counts
        // (integers) are not scanned beyond the row counts above: noisy and synthetic counts can equal them by chance.
        var figures = new HashSet<string>(StringComparer.Ordinal);
        using (var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(bundle + ".internal", "evaluation.json"))))
        {
            foreach (var value in Numbers(evaluation.RootElement).Where(v => v != Math.Round(v)))
            {
                figures.UnionWith([value.ToString("R", CultureInfo.InvariantCulture), .. Rounded(value)]);
            }
        }

        var internalShown = Regex.Replace(internalHtml, "<[^>]*>", " ");
        var internalFigures = Regex.Matches(internalShown, @"(?<![\w.])-?0\.\d{3,4}(?![\w.])").Select(m => m.Value).ToList();
        Assert.True(internalFigures.Count >= 20, $"the internal report shows {internalFigures.Count} figures in [0, 1)");
        figures.UnionWith(internalFigures);
        var rows = File.ReadAllLines(fixture.Input).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var column in Enumerable.Range(0, rows[0].Length))
        {
            foreach (var cell in rows.GroupBy(r => r[column]))
            {
                figures.UnionWith(Rounded((double)cell.Count() / rows.Count));
            }
        }

        var publicTokens = Regex.Matches(shown, @"(?<![\w.#])-?\d+(?:\.\d+)?(?:E[-+]?\d+)?(?![\w.])").Select(m => m.Value).ToHashSet();
        Assert.Empty(publicTokens.Intersect(figures));
        Assert.DoesNotContain(publicTokens, t => Regex.IsMatch(t, @"^-?0\.\d{3,4}$"));

        // The fingerprint key stays beside the ledger; a default bundle states the pass bit as its only disclosure.
        Assert.DoesNotContain(File.ReadAllText(fixture.Ledger + ".hmac-key").Trim(), text, StringComparison.OrdinalIgnoreCase);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(bundle, "manifest.json")));
        Assert.Equal(
            [ReleaseDisclosures.AuditGatePassBit],
            manifest.RootElement.GetProperty("disclosures").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public void APolicyThatOptsInPublishesTheInternalReportInsideTheBundleAndStatesItInTheManifest()
    {
        var bundle = ReleasedBundle("  publish_internal_figures: true");
        Assert.Equal(
            File.ReadAllText(Path.Combine(bundle + ".internal", "report.html")),
            File.ReadAllText(Path.Combine(bundle, "internal-report.html")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(bundle, "manifest.json")));
        Assert.Equal(
            [ReleaseDisclosures.AuditGatePassBit, ReleaseDisclosures.InternalFiguresPublished],
            manifest.RootElement.GetProperty("disclosures").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains(
            manifest.RootElement.GetProperty("files").EnumerateArray(),
            f => f.GetProperty("name").GetString() == "internal-report.html");
        Assert.Equal(0, CliRunner.Run("verify", bundle, "--certificate", fixture.TestSigningCertificate).ExitCode);
        Assert.Contains(ReleaseDisclosures.InternalFiguresPublished, File.ReadAllText(Path.Combine(bundle, "report.html")), StringComparison.Ordinal);
    }

    [RequiresChromiumFact]
    public void ARunsPublicAndInternalReportsOpenInChromiumWithTheirBudgetTablesAndCharts()
    {
        // The report tests render fixture content; this opens the pages an actual run wrote.
        var bundle = ReleasedBundle();
        foreach (var (page, chartColour) in new[]
        {
            (Path.Combine(bundle, "report.html"), (0x2F, 0x6F, 0xA7)),
            (Path.Combine(bundle + ".internal", "report.html"), (0x1F, 0x4E, 0x79)),
        })
        {
            var render = HeadlessChromium.Open(page);
            Assert.Empty(render.ConsoleLines);
            Assert.Contains("id=\"budget-table\"", render.Dom, StringComparison.Ordinal);
            var shot = ReportScreenshot.Decode(render.Screenshot);
            Assert.True(shot.Count(0xE3, 0xEC, 0xF6) > 1000, $"{page}: budget header pixels {shot.Count(0xE3, 0xEC, 0xF6)}");
            var (r, g, b) = chartColour;
            Assert.True(shot.Count(r, g, b) > 500, $"{page}: chart bar pixels {shot.Count(r, g, b)}");
        }
    }

    private static IEnumerable<double> Numbers(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => [element.GetDouble()],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Numbers(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Numbers),
        _ => [],
    };

    private static string[] Rounded(double value) =>
        [value.ToString("F3", CultureInfo.InvariantCulture), value.ToString("F4", CultureInfo.InvariantCulture)];
}
