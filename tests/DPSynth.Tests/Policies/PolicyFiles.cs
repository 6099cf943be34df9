using DPSynth.Diagnostics;
using DPSynth.Policies;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary>
/// A temp folder laid out like a deployment: <c>data/visits.csv</c> and <c>data/schema.yaml</c> beside a
/// <c>policies/</c> folder, so a policy written into <c>policies/</c> names its files as <c>../data/...</c>.
/// </summary>
public sealed class PolicyFiles : IDisposable
{
    /// <summary>A small public schema: four columns, every kind of cell count small.</summary>
    public const string SchemaYaml = """
        columns:
          - { name: age, type: integer, min: 0, max: 99, bins: 10 }
          - { name: sex, type: categorical, categories: [F, M] }
          - { name: race, type: categorical, categories: [White, Black, Other] }
          - { name: income, type: categorical, categories: [low, high] }
        """;

    private readonly TempDirectory dir = new();

    /// <summary>Creates the folder with the data and schema files.</summary>
    public PolicyFiles()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, "data"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "policies"));
        Input = dir.WriteFile(Path.Combine("data", "visits.csv"), "age,sex,race,income\n30,F,White,low\n");
        Schema = dir.WriteFile(Path.Combine("data", "schema.yaml"), SchemaYaml);
    }

    /// <summary>The folder.</summary>
    public string Root => dir.Path;

    /// <summary>The (empty) private table, absolute.</summary>
    public string Input { get; }

    /// <summary>The schema file, absolute.</summary>
    public string Schema { get; }

    /// <summary>Where <see cref="Load"/> writes the policy.</summary>
    public string PolicyPath => Path.Combine(dir.Path, "policies", "policy.yaml");

    /// <summary>A file in the folder, absolute.</summary>
    public string PathOf(params string[] parts) => Path.Combine([dir.Path, .. parts]);

    /// <summary>Writes a file (relative to the folder) and returns its absolute path.</summary>
    public string Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes <paramref name="yaml"/> as <see cref="PolicyPath"/> and loads it.</summary>
    public LoadResult<Policy> Load(string yaml)
    {
        File.WriteAllText(PolicyPath, yaml);
        return PolicyReader.Load(PolicyPath);
    }

    /// <inheritdoc />
    public void Dispose() => dir.Dispose();
}
