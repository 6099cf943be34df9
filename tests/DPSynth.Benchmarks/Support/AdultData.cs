using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Benchmarks.Support;

/// <summary>
/// The coded Adult table of <c>../shared/data/adult</c>, read through the data layer with the schema from
/// adult-domain.json; plus the engine's standard benchmark models on it.
/// </summary>
public static class AdultData
{
    private static readonly Lazy<EncodedTable> Cached = new(Load);
    private static readonly Lazy<TableSchema> CachedSchema = new(() => TableSchema.Load(Path.Combine(Folder, "adult-domain.json")));

    /// <summary>The schema of adult.csv, from adult-domain.json (every attribute an integer code column).</summary>
    public static TableSchema Schema => CachedSchema.Value;

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

    /// <summary>An accelerated estimation run on <paramref name="cliques"/> (AIM's default estimator), started and ready to step.</summary>
    internal static AcceleratedMirrorDescent StartedAccelerated(IReadOnlyList<Clique> cliques)
    {
        var measurements = Measure(Table, cliques, 10.0);
        var run = new AcceleratedMirrorDescent(new JunctionTree(Table.Domain, cliques), measurements);
        run.Start(MirrorDescentEstimator.EstimateTotal(measurements), null);
        return run;
    }

    private static EncodedTable Load() => CsvEncoder.EncodeFile(Path.Combine(Folder, "adult.csv"), Schema).Table;
}
