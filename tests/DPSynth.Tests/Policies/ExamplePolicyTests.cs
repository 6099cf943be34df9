using DPSynth.Policies;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Tests.Policies;

/// <summary>
/// Every policy shipped under <c>policies/</c> (any <c>*.yaml</c> that is not a <c>*.schema.yaml</c>, in any folder)
/// loads without a single diagnostic. Policies whose input lies in <c>../shared/data</c> run only where it exists.
/// </summary>
public sealed class ExamplePolicyTests
{
    private static readonly string PoliciesFolder = Path.Combine(SharedData.RepositoryRoot, "policies");

    private static readonly string SharedDataFolder =
        Path.GetFullPath(Path.Combine(SharedData.RepositoryRoot, "..", "shared", "data")) + Path.DirectorySeparatorChar;

    public static TheoryData<string> LocalPolicies => [.. Policies(needsSharedData: false)];

    public static TheoryData<string> SharedDataPolicies => [.. Policies(needsSharedData: true)];

    [Theory]
    [MemberData(nameof(LocalPolicies))]
    public void EveryPolicyOnLocalDataLoadsWithoutErrors(string relative) => AssertLoads(relative);

    [RequiresSharedDataTheory]
    [MemberData(nameof(SharedDataPolicies))]
    public void EveryPolicyOnTheSharedDataLoadsWithoutErrors(string relative) => AssertLoads(relative);

    [Fact]
    public void TheExamplesTheDocsNameAreAmongThePoliciesFound()
    {
        string[] all = [.. Policies(needsSharedData: false), .. Policies(needsSharedData: true)];

        Assert.Contains(Path.Combine("examples", "census-aim.yaml"), all);
        Assert.Contains(Path.Combine("examples", "batch", "visits-aim.yaml"), all);
        Assert.Contains(Path.Combine("examples", "batch", "visits-mst.yaml"), all);
        Assert.DoesNotContain(all, p => p.EndsWith(".schema.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBatchPoliciesShareOneDatasetOneLedgerAndOneCap()
    {
        var aim = Load(Path.Combine("examples", "batch", "visits-aim.yaml"));
        var mst = Load(Path.Combine("examples", "batch", "visits-mst.yaml"));

        Assert.Equal("aim", aim.Synthesizer.Method);
        Assert.Equal("mst", mst.Synthesizer.Method);
        Assert.Equal(aim.Dataset.Id, mst.Dataset.Id);
        Assert.Equal(aim.Dataset.Input, mst.Dataset.Input);
        Assert.NotNull(aim.Privacy.Ledger);
        Assert.Equal(aim.Privacy.Ledger, mst.Privacy.Ledger);
        Assert.Equal(aim.Privacy.Cap, mst.Privacy.Cap);
        Assert.Equal(0.3, mst.Privacy.Epsilon);
        Assert.True(mst.Privacy.Rho < aim.Privacy.Rho);
    }

    [Fact]
    public void TheCensusExampleSchemaDeclaresTheSameDomainAsTheTestsAdultSchema()
    {
        var copy = TableSchema.Load(Path.Combine(PoliciesFolder, "examples", "adult.schema.yaml"));
        var original = TableSchema.Load(TestSchemas.AdultPath);

        Assert.Equal(original.Domain.Names.ToArray(), copy.Domain.Names.ToArray());
        Assert.Equal(original.Domain.Sizes.ToArray(), copy.Domain.Sizes.ToArray());
        Assert.Equal(original.Csv, copy.Csv);
        Assert.Equal(original.MissingTokens.ToArray(), copy.MissingTokens.ToArray());
        for (var i = 0; i < original.Columns.Length; i++)
        {
            // Every cell's label: the categories, aliases aside, and the bins' bounds.
            Assert.Equal(CellLabels.Labels(original, i), CellLabels.Labels(copy, i));
        }
    }

    private static void AssertLoads(string relative)
    {
        var result = PolicyReader.Load(Path.Combine(PoliciesFolder, relative));

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
    }

    private static Policy Load(string relative) => PolicyReader.Load(Path.Combine(PoliciesFolder, relative)).GetValueOrThrow();

    private static List<string> Policies(bool needsSharedData)
    {
        var data = new List<string>();
        foreach (var path in Directory.EnumerateFiles(PoliciesFolder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!path.EndsWith(".schema.yaml", StringComparison.Ordinal) && NeedsSharedData(path) == needsSharedData)
            {
                data.Add(Path.GetRelativePath(PoliciesFolder, path));
            }
        }

        return data;
    }

    /// <summary>Whether the policy's <c>dataset.input</c> resolves into <c>../shared/data</c>.</summary>
    private static bool NeedsSharedData(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (root.Children.TryGetValue(new YamlScalarNode("dataset"), out var dataset)
            && dataset is YamlMappingNode map
            && map.Children.TryGetValue(new YamlScalarNode("input"), out var input)
            && input is YamlScalarNode { Value: { } relative })
        {
            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, relative));
            return resolved.StartsWith(SharedDataFolder, StringComparison.Ordinal);
        }

        return false;
    }
}
