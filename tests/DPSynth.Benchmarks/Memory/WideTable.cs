using System.Globalization;
using System.Text;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Benchmarks.Memory;

/// <summary>
/// A generated wide categorical table (issue 15's memory cases: 30 columns x 1000 categories x 5,000 rows, 40 x 2000),
/// made in memory from a fixed seed so no large file is ever committed. Each column copies the previous column's code
/// with probability 1/2 and is uniform otherwise, so neighbouring pairs are correlated and AIM has something to select.
/// </summary>
public sealed class WideTable
{
    /// <summary>Describes the table; nothing is generated until <see cref="Encode"/> or <see cref="WriteCsv"/>.</summary>
    public WideTable(int columns, int categories, int rows, int seed = 15)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(categories, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        Columns = columns;
        Categories = categories;
        Rows = rows;
        Seed = seed;
    }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Categories of every column.</summary>
    public int Categories { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>The generator's seed.</summary>
    public int Seed { get; }

    /// <summary>The public domain: columns c0, c1, ... of <see cref="Categories"/> cells each.</summary>
    public Domain Domain => new(Enumerable.Range(0, Columns).Select(Name), Enumerable.Repeat(Categories, Columns));

    /// <summary>A short name for figures: <c>30x1000x5000</c>.</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture, $"{Columns}x{Categories}x{Rows}");

    /// <summary>Parses <c>COLUMNSxCATEGORIESxROWS</c>.</summary>
    public static WideTable Parse(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 3)
        {
            throw new FormatException($"expected COLUMNSxCATEGORIESxROWS, got '{text}'");
        }

        return new WideTable(
            int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>The codes, row by row (deterministic for the seed).</summary>
    public int[][] Codes()
    {
        var random = new Random(Seed);
        var codes = new int[Columns][];
        for (var c = 0; c < Columns; c++)
        {
            codes[c] = new int[Rows];
        }

        for (var r = 0; r < Rows; r++)
        {
            codes[0][r] = random.Next(Categories);
            for (var c = 1; c < Columns; c++)
            {
                codes[c][r] = random.Next(2) == 0 ? codes[c - 1][r] : random.Next(Categories);
            }
        }

        return codes;
    }

    /// <summary>The table, encoded straight from the codes (no CSV).</summary>
    public EncodedTable Encode() =>
        new(Domain, Codes().Select(column => EncodedColumn.FromCodes(Categories, column)));

    /// <summary>Writes the table as a CSV (labels <c>v0, v1, ...</c>) and returns its schema YAML.</summary>
    public string WriteCsv(string path)
    {
        var codes = Codes();
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            writer.Write(string.Join(',', Enumerable.Range(0, Columns).Select(Name)));
            writer.Write('\n');
            for (var r = 0; r < Rows; r++)
            {
                for (var c = 0; c < Columns; c++)
                {
                    if (c > 0)
                    {
                        writer.Write(',');
                    }

                    writer.Write('v');
                    writer.Write(codes[c][r].ToString(CultureInfo.InvariantCulture));
                }

                writer.Write('\n');
            }
        }

        var labels = string.Join(", ", Enumerable.Range(0, Categories).Select(k => $"v{k}"));
        var yaml = new StringBuilder("columns:\n");
        for (var c = 0; c < Columns; c++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: {Name(c)}, type: categorical, categories: [{labels}] }}\n");
        }

        return yaml.ToString();
    }

    private static string Name(int column) => string.Create(CultureInfo.InvariantCulture, $"c{column}");
}
