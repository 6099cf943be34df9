using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Benchmarks;

/// <summary>Real data for the benchmarks, from <c>../shared/data</c> beside the checkout when present.</summary>
public static class BenchmarkData
{
    /// <summary>The path of adult-raw/adult-train.csv, or null when ../shared/data is absent.</summary>
    public static string? AdultTrain { get; } = Find("adult-raw", "adult-train.csv");

    /// <summary>A schema for the Adult CSV, drafted from the file (fine for timing; never for a release).</summary>
    public static TableSchema AdultSchema(string csv) =>
        SchemaReader.Read(new StringReader(SchemaInference.DraftYaml(csv)), "adult-draft.yaml").GetValueOrThrow();

    private static string? Find(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DPSynth.sln")))
            {
                var path = Path.Combine([dir.FullName, "..", "shared", "data", .. parts]);
                return File.Exists(path) ? Path.GetFullPath(path) : null;
            }
        }

        return null;
    }
}
