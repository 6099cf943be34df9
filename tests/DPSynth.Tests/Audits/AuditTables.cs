using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Tests.Audits;

/// <summary>
/// A seeded population generator for the audit tests, and the leaky and honest "synthesizers" built on it.
/// </summary>
/// <remarks>
/// Rows come from a mixture of 10 latent classes over 4 ordered columns of 50 bins and 4 categorical columns of 12
/// codes (1.3e11 cells). Two fresh draws are equal with probability about 1e-8, so fresh rows almost never duplicate a
/// train row, while the classes give the data real structure. All randomness is seeded: the tests are deterministic.
/// </remarks>
internal static class AuditTables
{
    public const int OrderedColumns = 4;
    public const int OrderedCells = 50;
    public const int CategoricalCells = 12;
    private const int Classes = 10;

    public static Domain Domain { get; } = new(
        ["o0", "o1", "o2", "o3", "c0", "c1", "c2", "c3"],
        [OrderedCells, OrderedCells, OrderedCells, OrderedCells, CategoricalCells, CategoricalCells, CategoricalCells, CategoricalCells]);

    public static DistanceSpec Spec { get; } = DistanceSpec.WithOrdered(Domain, ["o0", "o1", "o2", "o3"]);

    /// <summary><paramref name="rows"/> rows of the population; the class parameters are fixed, the draws use <paramref name="seed"/>.</summary>
    public static EncodedTable Population(int rows, int seed)
    {
        var parameters = new Random(12345);
        var centres = new int[Classes, Domain.Count];
        for (var z = 0; z < Classes; z++)
        {
            for (var c = 0; c < Domain.Count; c++)
            {
                centres[z, c] = parameters.Next(Domain.Size(c));
            }
        }

        var random = new Random(seed);
        var codes = new int[Domain.Count][];
        for (var c = 0; c < codes.Length; c++)
        {
            codes[c] = new int[rows];
        }

        for (var r = 0; r < rows; r++)
        {
            var z = random.Next(Classes);
            for (var c = 0; c < Domain.Count; c++)
            {
                if (c < OrderedColumns)
                {
                    var value = centres[z, c] + (int)Math.Round(Normal(random) * 6);
                    codes[c][r] = Math.Clamp(value, 0, OrderedCells - 1);
                }
                else
                {
                    codes[c][r] = random.NextDouble() < 0.6 ? centres[z, c] : random.Next(CategoricalCells);
                }
            }
        }

        return Table(codes);
    }

    /// <summary>The leakiest synthesizer: it returns its input.</summary>
    public static EncodedTable Copy(EncodedTable train) => train;

    /// <summary>A copy with a little jitter: every row has one ordered code moved by one bin.</summary>
    public static EncodedTable Jitter(EncodedTable train, int seed)
    {
        var random = new Random(seed);
        var codes = Codes(train);
        for (var r = 0; r < train.RowCount; r++)
        {
            var c = random.Next(OrderedColumns);
            var value = codes[c][r];
            codes[c][r] = value == 0 ? 1 : value == OrderedCells - 1 ? value - 1 : value + (random.Next(2) * 2) - 1;
        }

        return Table(codes);
    }

    public static int[][] Codes(EncodedTable table)
    {
        var codes = new int[table.Domain.Count][];
        for (var c = 0; c < codes.Length; c++)
        {
            codes[c] = new int[table.RowCount];
            table.Columns[c].CopyTo(codes[c]);
        }

        return codes;
    }

    public static EncodedTable Table(int[][] codes) =>
        new(Domain, codes.Select((column, c) => EncodedColumn.FromCodes(Domain.Size(c), column)));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
