using System.Collections.Immutable;
using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using DPSynth.Cli;
using DPSynth.Diagnostics;

namespace DPSynth.Tests.Architecture;

/// <summary>
/// The engine's folders are layers (docs/architecture.md): a type may depend on its own layer and on layers below it,
/// never above. The order is read from the engine's compiled code, so a new dependency that points up fails here.
/// </summary>
public sealed class LayerTests
{
    /// <summary>The layers, lowest first; each is a namespace under <c>DPSynth</c> with its sub-namespaces.</summary>
    public static readonly ImmutableArray<string> Order =
    [
        "Diagnostics", "IO", "Privacy", "Schema", "Data", "Marginals", "Inference", "Budget", "Synthesizers", "Resources",
        "Reporting", "Audits", "Evaluation", "Release", "Pipeline", "Policies", "Cli",
    ];

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Engine = new(() => new ArchLoader()
        .LoadAssemblies(typeof(ExitCode).Assembly, typeof(DPSynthCli).Assembly)
        .Build());

    [Fact]
    public void Every_dependency_points_down_the_layer_order()
    {
        var upward = Edges()
            .Where(e => Order.IndexOf(e.From) < Order.IndexOf(e.To))
            .Select(e => $"{e.From} -> {e.To} ({e.Example})")
            .ToList();

        Assert.True(upward.Count == 0, "dependencies against the layer order:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void Every_engine_namespace_is_a_documented_layer()
    {
        var unknown = Engine.Value.Types
            .Select(t => LayerOf(t.Namespace.FullName))
            .Where(l => l is not null && !Order.Contains(l))
            .Distinct()
            .ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void The_architecture_page_lists_the_same_order()
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "architecture.md"));
        Assert.Contains(string.Join(" ← ", Order.Reverse()), page, StringComparison.Ordinal);
    }

    private static IEnumerable<(string From, string To, string Example)> Edges() =>
        Engine.Value.Types
            // A generic parameter is not a dependency; ArchUnitNET shares one per name across types (the source
            // generator's TJsonMetadataType in every JSON context), so its namespace is whichever it met first.
            .SelectMany(t => t.Dependencies.Where(d => d.Target is not GenericParameter).Select(d => (Source: t, d.Target)))
            .Select(p => (From: LayerOf(p.Source.Namespace.FullName), To: LayerOf(p.Target.Namespace.FullName), p.Source, p.Target))
            .Where(p => p.From is not null && p.To is not null && p.From != p.To)
            .GroupBy(p => (p.From!, p.To!))
            .Select(g => (g.Key.Item1, g.Key.Item2, $"{g.First().Source.Name} uses {g.First().Target.Name}"));

    // "DPSynth.Marginals.Sql" -> "Marginals"; "DPSynth.Cli.Commands" -> "Cli"; outside DPSynth -> null.
    private static string? LayerOf(string ns)
    {
        var parts = ns.Split('.');
        return parts.Length >= 2 && parts[0] == "DPSynth" ? parts[1] : null;
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DPSynth.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DPSynth.sln not found above the test's folder");
    }
}
