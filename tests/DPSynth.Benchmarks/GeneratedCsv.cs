using System.Globalization;
using System.Text;
using DPSynth.Schema;

namespace DPSynth.Benchmarks;

/// <summary>
/// A generated CSV of <c>rows</c> x 15 columns (7 integer, 8 categorical, one of them wide enough for ushort codes),
/// written to a temp file with a fixed seed, and its schema. Deleted on dispose.
/// </summary>
public sealed class GeneratedCsv : IDisposable
{
    private static readonly int[] CategoryCounts = [2, 3, 5, 7, 9, 16, 42, 300];

    /// <summary>Writes the file.</summary>
    public GeneratedCsv(int rows)
    {
        Rows = rows;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dpsynth-bench-{Guid.NewGuid():N}.csv");
        var random = new Random(42);
        using var writer = new StreamWriter(Path, false, new UTF8Encoding(false), 1 << 16);
        var header = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            header.Add($"int{i}");
        }

        for (var i = 0; i < CategoryCounts.Length; i++)
        {
            header.Add($"cat{i}");
        }

        writer.Write(string.Join(',', header));
        writer.Write('\n');
        var line = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{random.Next(17, 91)},{random.Next(0, 100_000)},{random.Next(1, 17)},");
            line.Append(CultureInfo.InvariantCulture, $"{random.Next(0, 1_500_000)},{random.Next(1, 100)},{random.Next(0, 5000)},{random.Next(-50, 51)}");
            foreach (var count in CategoryCounts)
            {
                line.Append(",c").Append(random.Next(count));
            }

            writer.Write(line);
            writer.Write('\n');
        }
    }

    /// <summary>The data rows in the file.</summary>
    public int Rows { get; }

    /// <summary>The temp file.</summary>
    public string Path { get; }

    /// <summary>The file's schema: per-value and binned integers, categoricals of 2 to 300 labels.</summary>
    public static TableSchema Schema { get; } = SchemaReader.Read(new StringReader(SchemaYaml()), "generated.yaml").GetValueOrThrow();

    /// <inheritdoc />
    public void Dispose() => File.Delete(Path);

    private static string SchemaYaml()
    {
        var yaml = new StringBuilder("""
            columns:
              - { name: int0, type: integer, min: 17, max: 90 }
              - { name: int1, type: integer, min: 0, max: 99999, edges: [0, 1, 1000, 5000, 10000, 100000] }
              - { name: int2, type: integer, min: 1, max: 16 }
              - { name: int3, type: integer, min: 0, max: 1500000, bins: 30 }
              - { name: int4, type: integer, min: 1, max: 99 }
              - { name: int5, type: integer, min: 0, max: 4999, bins: 20 }
              - { name: int6, type: integer, min: -50, max: 50 }

            """);
        for (var i = 0; i < CategoryCounts.Length; i++)
        {
            var labels = string.Join(", ", Enumerable.Range(0, CategoryCounts[i]).Select(c => $"c{c}"));
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: cat{i}, type: categorical, categories: [{labels}] }}\n");
        }

        return yaml.ToString();
    }
}
