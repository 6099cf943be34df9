using System.Globalization;
using System.Text.Json;
using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;

namespace DPSynth.Benchmarks.Support;

/// <summary>
/// A tiny loader for <c>../shared/data/adult</c> (integer-coded CSV with a header, sizes in adult-domain.json), until
/// the data layer's CSV reader lands; plus the engine's standard benchmark models on it.
/// </summary>
public static class AdultData
{
    private static readonly Lazy<EncodedTable> Cached = new(Load);

    /// <summary>The adult table (loaded once).</summary>
    public static EncodedTable Table => Cached.Value;

    /// <summary>The folder holding adult.csv.</summary>
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DPSynth.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "adult"));
                }
            }

            throw new InvalidOperationException("DPSynth.sln not found above the benchmark assembly.");
        }
    }

    /// <summary>All 1-way cliques plus the chain (i, i+1) in file column order.</summary>
    public static List<Clique> MstLikeCliques(Domain domain)
    {
        var cliques = Enumerable.Range(0, domain.Count).Select(i => Clique.Of(i)).ToList();
        cliques.AddRange(Enumerable.Range(0, domain.Count - 1).Select(i => Clique.Of(i, i + 1)));
        return cliques;
    }

    /// <summary>All 1-way cliques plus the chain (i, i+1, i+2) in file column order.</summary>
    public static List<Clique> ThreeWayChainCliques(Domain domain)
    {
        var cliques = Enumerable.Range(0, domain.Count).Select(i => Clique.Of(i)).ToList();
        cliques.AddRange(Enumerable.Range(0, domain.Count - 2).Select(i => Clique.Of(i, i + 1, i + 2)));
        return cliques;
    }

    /// <summary>Measurements of <paramref name="cliques"/> with Gaussian noise of std <paramref name="sigma"/> (seeded; benchmark only).</summary>
    public static List<NoisyMarginal> Measure(EncodedTable table, IReadOnlyList<Clique> cliques, double sigma, int seed = 1)
    {
        var rng = new Random(seed);
        var counts = MarginalCounter.CountMany(table, cliques);
        var result = new List<NoisyMarginal>();
        for (var k = 0; k < cliques.Count; k++)
        {
            var y = counts[k].Select(c => c + (sigma * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()))).ToArray();
            result.Add(new NoisyMarginal(cliques[k], y, sigma));
        }

        return result;
    }

    /// <summary>An estimation run on <paramref name="cliques"/>, started (first BP done) and ready to step.</summary>
    internal static MirrorDescentEstimator.Run StartedRun(IReadOnlyList<Clique> cliques)
    {
        var measurements = Measure(Table, cliques, 10.0);
        var tree = new JunctionTree(Table.Domain, cliques);
        var run = new MirrorDescentEstimator.Run(tree, measurements, MarginalLossKind.L2);
        run.Start(MirrorDescentEstimator.EstimateTotal(measurements), null);
        return run;
    }

    private static EncodedTable Load()
    {
        var folder = Folder;
        var sizes = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(folder, "adult-domain.json")))
            ?? throw new InvalidDataException("adult-domain.json is empty.");
        var lines = File.ReadAllLines(Path.Combine(folder, "adult.csv"));
        var names = lines[0].Split(',');
        var codes = names.Select(_ => new int[lines.Length - 1]).ToArray();
        for (var r = 1; r < lines.Length; r++)
        {
            var fields = lines[r].Split(',');
            for (var c = 0; c < names.Length; c++)
            {
                codes[c][r - 1] = int.Parse(fields[c], CultureInfo.InvariantCulture);
            }
        }

        var domain = new Domain(names, names.Select(n => sizes[n]));
        return new EncodedTable(domain, names.Select((_, c) => EncodedColumn.FromCodes(domain.Size(c), codes[c])));
    }
}
