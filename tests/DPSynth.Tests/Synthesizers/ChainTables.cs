using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// Small generated tables for the synthesizer tests: a Markov chain a -> b -> c -> d with strong dependencies, so every
/// 2-way marginal is determined by the chain's pairs (which MST's tree can capture) and a good fit is checkable.
/// </summary>
internal static class ChainTables
{
    /// <summary>Attribute sizes of the chain.</summary>
    public static readonly Domain Domain = new(["a", "b", "c", "d"], [3, 4, 2, 5]);

    /// <summary>A YAML schema whose encoding is <see cref="Domain"/>, for the command line (see <see cref="ToCsv"/>).</summary>
    public const string SchemaYaml = """
        columns:
          - { name: a, type: categorical, categories: [a0, a1, a2] }
          - { name: b, type: categorical, categories: [b0, b1, b2, b3] }
          - { name: c, type: categorical, categories: [c0, c1] }
          - { name: d, type: integer, min: 0, max: 4 }
        """;

    /// <summary>The rows of <paramref name="table"/> as a CSV under <see cref="SchemaYaml"/>.</summary>
    public static string ToCsv(EncodedTable table)
    {
        var csv = new System.Text.StringBuilder("a,b,c,d\n");
        for (var r = 0; r < table.RowCount; r++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{table[r, 0]},b{table[r, 1]},c{table[r, 2]},{table[r, 3]}\n");
        }

        return csv.ToString();
    }

    /// <summary>A seeded table of <paramref name="rows"/> rows drawn from the chain.</summary>
    public static EncodedTable Generate(int rows, int seed)
    {
        var random = new Random(seed);
        var columns = new int[Domain.Count][];
        for (var a = 0; a < columns.Length; a++)
        {
            columns[a] = new int[rows];
        }

        for (var r = 0; r < rows; r++)
        {
            var previous = Skewed(random, Domain.Size(0), 0);
            columns[0][r] = previous;
            for (var a = 1; a < Domain.Count; a++)
            {
                // With probability 0.7 the value follows the previous one (mod size), otherwise a skewed draw.
                previous = random.NextDouble() < 0.7 ? previous % Domain.Size(a) : Skewed(random, Domain.Size(a), a);
                columns[a][r] = previous;
            }
        }

        return new EncodedTable(Domain, columns.Select((c, a) => EncodedColumn.FromCodes(Domain.Size(a), c)));
    }

    /// <summary>A draw from a non-uniform distribution over <c>0..size-1</c> (weights 1, 2, ..., shifted by offset).</summary>
    private static int Skewed(Random random, int size, int offset)
    {
        var total = size * (size + 1) / 2;
        var u = random.Next(total);
        for (var v = 0; v < size; v++)
        {
            var weight = ((v + offset) % size) + 1;
            if (u < weight)
            {
                return v;
            }

            u -= weight;
        }

        return size - 1;
    }
}
