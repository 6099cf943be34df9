using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text.Json;
using System.Text.RegularExpressions;
using DPSynth.Budget;
using DPSynth.Policies;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary><c>dpsynth run</c> fails closed (issue 14): draft schemas, outputs over inputs, bad policies in a folder,
/// the bundle's time, and writers killed mid-write.</summary>
public sealed class RunHardeningTests : IDisposable
{
    private readonly RunFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private static void AssertOneCleanError(CliRunner.Result result, string expected)
    {
        Assert.Contains(
            result.Error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ADraftSchemaFromSchemaInferIsRefusedBeforeAnythingIsChargedOrReleased()
    {
        var draft = Path.Combine(fixture.Folder, "draft.schema.yaml");
        Assert.Equal(0, CliRunner.Run("schema", "infer", "--input", fixture.Input, "--out", draft).ExitCode);
        var policy = fixture.WritePolicy("p.yaml");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("table.schema.yaml", "draft.schema.yaml", StringComparison.Ordinal));
        var before = new FolderSnapshot(fixture.Folder);

        foreach (var args in new[] { new[] { "run", policy }, ["run", policy, "--dry-run"] })
        {
            var run = CliRunner.Run(args);
            Assert.True(run.ExitCode == 1, run.Output + run.Error);
            AssertOneCleanError(run, "is still a draft read from the private data");
            Assert.Contains(
                run.Output.Split('\n'), l => l.StartsWith("p.yaml", StringComparison.Ordinal) && l.Contains("invalid", StringComparison.Ordinal));
        }

        // Nothing charged (the ledger and everything beside it as it was), no bundle, the input untouched.
        before.AssertUnchanged();
        Assert.False(Directory.Exists(fixture.Releases));
    }

    [Fact]
    public void AReleaseFolderThatIsTheLedgerOrALedgerThatIsThePolicysInputIsRefusedBeforeTheCharge()
    {
        // The policy reader refuses a release folder that is an existing file; a ledger not made yet is not one.
        Directory.Delete(Path.GetDirectoryName(fixture.Ledger)!, recursive: true);
        var policy = fixture.WritePolicy("p.yaml");
        var text = File.ReadAllText(policy).Replace("output: ./releases", "output: ./state/ledger.jsonl", StringComparison.Ordinal);
        File.WriteAllText(policy, text);
        var before = new FolderSnapshot(fixture.Folder);

        var run = CliRunner.Run("run", policy);
        Assert.True(run.ExitCode == 1, run.Output + run.Error);
        AssertOneCleanError(run, $"release.output {fixture.Ledger} is the same file as privacy.ledger {fixture.Ledger}");
        Assert.False(Directory.Exists(Path.GetDirectoryName(fixture.Ledger))); // no ledger, no key, no test certificate

        var ledgerIsInput = CliRunner.Run("run", fixture.WritePolicy("q.yaml"), "--ledger", fixture.Input);
        Assert.True(ledgerIsInput.ExitCode == 1, ledgerIsInput.Output + ledgerIsInput.Error);
        AssertOneCleanError(ledgerIsInput, $"--ledger {fixture.Input} is the same file as dataset.input");

        File.Delete(Path.Combine(fixture.Folder, "q.yaml"));
        before.AssertUnchanged();
    }

    [UnixFact]
    public void AFolderRunReportsEveryPolicyKeepsGoingPastBadOnesAndExitsWithTheWorstCode()
    {
        // Sorted by name: an unreadable policy (a symbolic-link loop), malformed YAML, a policy its cap refuses, a good one.
        var batch = Path.Combine(fixture.Folder, "batch");
        fixture.WritePolicy("3-good.yaml", folder: "batch");
        fixture.WritePolicy("2-refused.yaml", dataset: "capped", folder: "batch");
        var cap = CliRunner.Run("budget", "cap", "--ledger", fixture.Ledger, "--dataset", "capped", "--epsilon", "0.5", "--delta", "1e-9");
        Assert.Equal(0, cap.ExitCode);
        File.WriteAllText(Path.Combine(batch, "1-malformed.yaml"), "version: 1\ndataset: [unclosed\n");
        File.CreateSymbolicLink(Path.Combine(batch, "0-loop.yaml"), Path.Combine(batch, "0-loop.yaml"));

        var run = CliRunner.Run("run", batch);

        Assert.True(run.ExitCode == 2, run.Output + run.Error); // budget refused (2) is the worst of 0, 1, 1, 2
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        var rows = run.Output.Split('\n');
        foreach (var (policy, status) in new[]
        {
            ("0-loop.yaml", "invalid"), ("1-malformed.yaml", "invalid"), ("2-refused.yaml", "budget refused"), ("3-good.yaml", "released"),
        })
        {
            Assert.Contains(rows, r => r.StartsWith(policy, StringComparison.Ordinal) && r.Contains(status, StringComparison.Ordinal));
        }

        var errors = run.Error.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("error: 0-loop.yaml: invalid: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("error: 2-refused.yaml: budget refused: ", StringComparison.Ordinal));
        Assert.Single(new BudgetLedger(fixture.Ledger).Verify().Entries, e => e.Kind == LedgerEntryKind.Charge);
        Assert.Equal(0, CliRunner.Run("verify", Assert.Single(Bundles()), "--certificate", fixture.TestSigningCertificate).ExitCode);
    }

    [Fact]
    public void TwoBundlesOfOnePolicyThatDifferOnlyInTheRowCountStateTheSameOneTime()
    {
        // The run's start and the signing time used to be two times whose difference grew with the private row count.
        var policy = PolicyReader.Load(fixture.WritePolicy("p.yaml", release: "  formats: [csv, model]")).GetValueOrThrow();
        using var log = new StringWriter();
        var started = DateTimeOffset.UtcNow;
        var runner = new PolicyRunner(new RunOptions(), log, clock: new FixedClock(started));
        var small = runner.Run(policy);
        Assert.True(small.Status == RunStatus.Released, log.ToString());
        var rows = File.ReadAllLines(fixture.Input).Skip(1).ToList();
        for (var copy = 0; copy < 4; copy++)
        {
            File.AppendAllLines(fixture.Input, rows);
        }

        var large = runner.Run(policy); // a changed input is a new release, not a repeat
        Assert.True(large.Status == RunStatus.Released, log.ToString());

        var smallTimes = Times(small.Output!);
        Assert.Equal(smallTimes, Times(large.Output!));
        var pfx = Path.Combine(Path.GetDirectoryName(fixture.Ledger)!, "test-signing", TestCertificate.PfxFileName);
        using var signer = SigningCertificate.Load(pfx);
        Assert.Equal(ReleaseTime.For(started, signer), smallTimes.Created);
    }

    [Fact]
    public void ABundleWriterKilledMidWriteLeavesAStagingFolderThatTheNextRunRemoves()
    {
        var policy = fixture.WritePolicy("p.yaml");
        CliProcess.KillWhenItSays(BundleWriter.PausedMidWrite, BundleWriter.PauseMidWriteVariable, "120000", "run", policy);

        var staging = Assert.Single(Directory.GetDirectories(fixture.Releases, ".*"));
        Assert.True(File.Exists(staging + StagingFolder.LockSuffix));
        Assert.Empty(Bundles());

        // The killed run charged and recorded no outcome: the operator forces the next one, whose writer cleans up.
        var next = CliRunner.Run("run", policy, "--force");
        Assert.True(next.ExitCode == 0, next.Output + next.Error);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(fixture.Releases), e => Path.GetFileName(e).StartsWith('.'));
        Assert.Equal(0, CliRunner.Run("verify", Assert.Single(Bundles()), "--certificate", fixture.TestSigningCertificate).ExitCode);
    }

    private string[] Bundles() =>
        [.. Directory.GetDirectories(fixture.Releases)
            .Where(d => !d.EndsWith(".internal", StringComparison.Ordinal) && !Path.GetFileName(d).StartsWith('.'))];

    /// <summary>Every time a bundle states: the manifest's, the signature's, any in its files, and the folder name's.</summary>
    private static BundleTimes Times(string bundle)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "manifest.json")));
        var created = DateTimeOffset.Parse(
            manifest.RootElement.GetProperty("created").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        var cms = new SignedCms(new ContentInfo(File.ReadAllBytes(Path.Combine(bundle, "manifest.json"))), detached: true);
        cms.Decode(File.ReadAllBytes(Path.Combine(bundle, "manifest.p7s")));
        var attributes = cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>()
            .Where(a => a.Oid.Value == "1.2.840.113549.1.9.5") // signing time
            .ToList();
        var attribute = Assert.Single(attributes); // .NET adds none of its own: only the coarse one is there
        var signed = new Pkcs9SigningTime(Assert.Single(attribute.Values.Cast<AsnEncodedData>()).RawData).SigningTime;
        Assert.Equal(created.UtcDateTime, DateTime.SpecifyKind(signed, DateTimeKind.Utc));

        var shown = Directory.GetFiles(bundle).Where(f => !f.EndsWith(".p7s", StringComparison.Ordinal))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?Z?").Select(m => m.Value))
            .Distinct().Order(StringComparer.Ordinal);
        var name = Path.GetFileName(bundle);
        return new BundleTimes(created, signed, string.Join(" | ", shown), name[..name.LastIndexOf('-')]);
    }

    private sealed record BundleTimes(DateTimeOffset Created, DateTime Signed, string Shown, string FolderName);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
