using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary>The README's first command, <c>dpsynth run policies/demo.yaml</c>, on a copy of the policies folder.</summary>
public sealed class DemoPolicyTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void TheDemoPolicyReleasesAVerifiedBundleAndARerunSpendsNothing()
    {
        // Copy, so the test writes its ledger and bundles under the temp folder rather than into the checkout's out/.
        var policies = Directory.CreateDirectory(Path.Combine(temp.Path, "policies")).FullName;
        var demo = Directory.CreateDirectory(Path.Combine(policies, "demo")).FullName;
        var source = Path.Combine(SharedData.RepositoryRoot, "policies");
        File.Copy(Path.Combine(source, "demo.yaml"), Path.Combine(policies, "demo.yaml"));
        foreach (var file in new[] { "visits.csv", "visits.schema.yaml" })
        {
            File.Copy(Path.Combine(source, "demo", file), Path.Combine(demo, file));
        }

        var first = CliRunner.Run("run", Path.Combine(policies, "demo.yaml"));
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var releases = Path.Combine(temp.Path, "out", "releases");
        var bundle = Assert.Single(Directory.GetDirectories(releases), d => !d.EndsWith(".internal", StringComparison.Ordinal));
        Assert.True(Directory.Exists(bundle + ".internal"));
        var certificate = Path.Combine(temp.Path, "out", "test-signing", "signing.crt.pem");
        var verify = CliRunner.Run("verify", bundle, "--certificate", certificate);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);

        // The synthetic CSV has the demo's columns, in order.
        var header = File.ReadLines(Path.Combine(bundle, "synthetic.csv")).First();
        Assert.Equal(File.ReadLines(Path.Combine(demo, "visits.csv")).First(), header);

        var ledger = Path.Combine(temp.Path, "out", "ledger.jsonl");
        var before = File.ReadAllBytes(ledger);
        var second = CliRunner.Run("run", Path.Combine(policies, "demo.yaml"));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("skipped (already released)", second.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(ledger));
    }
}
