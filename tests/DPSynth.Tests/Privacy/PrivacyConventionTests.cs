using System.Reflection;
using System.Text.RegularExpressions;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Privacy;

public sealed class PrivacyConventionTests
{
    private static readonly string SourceRoot = Path.Combine(SharedData.RepositoryRoot, "src");

    [Fact]
    public void EveryProofAnchorExistsInPrivacyMd()
    {
        var doc = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "docs", "privacy.md"));
        var proven = typeof(ProofAttribute).Assembly.GetTypes()
            .Select(t => (Type: t, Proof: t.GetCustomAttribute<ProofAttribute>()))
            .Where(p => p.Proof is not null)
            .ToList();
        Assert.Contains(proven, p => p.Type == typeof(GaussianMechanism));
        Assert.Contains(proven, p => p.Type == typeof(ExponentialMechanism));
        Assert.All(proven, p => Assert.Contains($"<a id=\"{p.Proof!.Anchor}\"></a>", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyPrivacySamplingTouchesRandomNumberGenerator()
    {
        var sampling = Path.Combine(SourceRoot, "DPSynth", "Privacy", "Sampling") + Path.DirectorySeparatorChar;
        var offenders = SourceFiles(SourceRoot)
            .Where(f => !f.StartsWith(sampling, StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("RandomNumberGenerator", StringComparison.Ordinal));
        Assert.Empty(offenders);
    }

    [Fact]
    public void NothingInPrivacyUsesSystemRandom()
    {
        var pattern = new Regex(@"\bSystem\.Random\b|\bnew Random\(|\bRandom\.Shared\b|\bRandom\s+\w+\s*[=;]");
        var offenders = SourceFiles(Path.Combine(SourceRoot, "DPSynth", "Privacy"))
            .Where(f => pattern.IsMatch(File.ReadAllText(f)));
        Assert.Empty(offenders);
    }

    private static IEnumerable<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
}
