using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary>
/// <c>dpsynth run</c> fails closed on its ledger (issue 14): it never creates one unasked, never re-creates a deleted one,
/// checks the ledger against the charges its published bundles record, and refuses an uncapped dataset unless allowed.
/// </summary>
public sealed class RunLedgerTests : IDisposable
{
    private readonly RunFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private string[] LedgerFiles => [fixture.Ledger, fixture.Ledger + ".head", fixture.Ledger + ".lock", fixture.Ledger + ".hmac-key"];

    [Fact]
    public void ARunCreatesTheLedgerOnlyWithInitLedger()
    {
        DeleteLedgerFiles(LedgerFiles);
        var policy = fixture.WritePolicy("p.yaml");
        var refused = CliRunner.Run("run", policy);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("dpsynth budget init", refused.Error, StringComparison.Ordinal);
        Assert.All(LedgerFiles, f => Assert.False(File.Exists(f), f));
        Assert.False(Directory.Exists(fixture.Releases));

        var created = CliRunner.Run("run", policy, "--init-ledger");
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("created the ledger", created.Error, StringComparison.Ordinal);
        var verify = CliRunner.Run("budget", "verify", "--ledger", fixture.Ledger, "--bundles", fixture.Releases);
        Assert.Equal(0, verify.ExitCode);
        // Only the manifests were read: the output says the bundles' signers were not checked, never that they verified.
        Assert.Contains(DPSynth.Diagnostics.Messages.LedgerHoldsBundleCharges(1, fixture.Releases), verify.Output, StringComparison.Ordinal);
        Assert.Contains("signatures and signers were NOT checked", verify.Output, StringComparison.Ordinal);
        var json = System.Text.Json.JsonDocument.Parse(
            CliRunner.Run("budget", "verify", "--ledger", fixture.Ledger, "--bundles", fixture.Releases, "--json").Output).RootElement;
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal(1, json.GetProperty("bundles").GetInt32());
        Assert.False(json.GetProperty("bundleSignaturesChecked").GetBoolean());
        var plain = System.Text.Json.JsonDocument.Parse(CliRunner.Run("budget", "verify", "--ledger", fixture.Ledger, "--json").Output).RootElement;
        Assert.False(plain.TryGetProperty("bundles", out _)); // the output without --bundles is as before
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ADeletedLedgerIsNeitherReplacedNorSpentAgain(bool deleteEverythingBesideIt)
    {
        var policy = fixture.WritePolicy("p.yaml");
        Assert.Equal(0, CliRunner.Run("run", policy).ExitCode);
        var releases = Directory.GetFileSystemEntries(fixture.Releases);
        DeleteLedgerFiles(deleteEverythingBesideIt ? LedgerFiles : [fixture.Ledger]);

        foreach (var args in new[] { new[] { "run", policy }, ["run", policy, "--init-ledger"], ["run", policy, "--force", "--init-ledger"] })
        {
            var again = CliRunner.Run(args);
            Assert.True(again.ExitCode == 2, string.Join(' ', args) + ": " + again.Error);
            Assert.False(File.Exists(fixture.Ledger));
            Assert.Equal(releases, Directory.GetFileSystemEntries(fixture.Releases));
        }
    }

    [Fact]
    public void AFreshLedgerInPlaceOfTheChargedOneIsCaughtByTheReleasedBundles()
    {
        var policy = fixture.WritePolicy("p.yaml");
        Assert.Equal(0, CliRunner.Run("run", policy).ExitCode);
        var releases = Directory.GetFileSystemEntries(fixture.Releases);
        DeleteLedgerFiles(LedgerFiles);
        Ledgers.Init(fixture.Ledger); // a valid, anchored ledger, but not the one the release was charged to

        var verify = CliRunner.Run("budget", "verify", "--ledger", fixture.Ledger, "--bundles", fixture.Releases);
        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("which this ledger does not contain", verify.Error, StringComparison.Ordinal);
        var again = CliRunner.Run("run", policy, "--force");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("which this ledger does not contain", again.Error, StringComparison.Ordinal);
        Assert.Empty(File.ReadAllBytes(fixture.Ledger));
        Assert.Equal(releases, Directory.GetFileSystemEntries(fixture.Releases));
    }

    [Fact]
    public void AnUncappedDatasetIsRefusedUnlessAllowed()
    {
        var policy = fixture.WritePolicy("p.yaml", uncapped: true);
        var refused = CliRunner.Run("run", policy);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("has no cap", refused.Error, StringComparison.Ordinal);
        Assert.Empty(File.ReadAllBytes(fixture.Ledger));
        Assert.Equal(2, CliRunner.Run("run", policy, "--dry-run").ExitCode);

        var allowed = CliRunner.Run("run", policy, "--allow-uncapped");
        Assert.True(allowed.ExitCode == 0, allowed.Error);
    }

    [Fact]
    public void APolicyWithADatasetIdOutsideTheRuleIsInvalid()
    {
        var run = CliRunner.Run("run", fixture.WritePolicy("p.yaml", dataset: "\"table \""));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("dataset id", run.Error, StringComparison.Ordinal);
        Assert.Empty(File.ReadAllBytes(fixture.Ledger));
    }

    private static void DeleteLedgerFiles(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }
}
