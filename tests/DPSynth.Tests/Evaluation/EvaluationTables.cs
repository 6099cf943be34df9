using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Tests.Evaluation;

/// <summary>
/// A generated table whose binary target depends on two features jointly: y = 1 when (a &lt; 2 and b &gt;= 3) or
/// (a &gt;= 2 and b &gt;= 7), flipped with probability 0.1 (so the Bayes accuracy is 0.9). Columns: a (categorical, 4), b (ordered, 10), c (categorical noise, 3), d (ordered noise, 6), y (2).
/// </summary>
internal static class EvaluationTables
{
    public static readonly Domain Domain = new(["a", "b", "c", "d", "y"], [4, 10, 3, 6, 2]);

    public static readonly bool[] Ordered = [false, true, false, true, false];

    public const int Target = 4;

    public static EncodedTable Generate(int rows, int seed)
    {
        var random = new Random(seed);
        var cols = new int[5][];
        for (var c = 0; c < 5; c++)
        {
            cols[c] = new int[rows];
        }

        for (var r = 0; r < rows; r++)
        {
            var a = random.Next(4);
            var b = random.Next(10);
            var y = (a < 2 && b >= 3) || (a >= 2 && b >= 7) ? 1 : 0;
            if (random.NextDouble() < 0.1)
            {
                y = 1 - y;
            }

            cols[0][r] = a;
            cols[1][r] = b;
            cols[2][r] = random.Next(3);
            cols[3][r] = random.Next(6);
            cols[4][r] = y;
        }

        return new EncodedTable(Domain, cols.Select((codes, c) => EncodedColumn.FromCodes(Domain.Size(c), codes)));
    }

    /// <summary>Each column shuffled on its own: the marginals stay, every dependency is gone.</summary>
    public static EncodedTable ShuffleColumns(EncodedTable table, int seed)
    {
        var random = new Random(seed);
        var columns = new EncodedColumn[table.Domain.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var codes = new int[table.RowCount];
            table.Columns[c].CopyTo(codes);
            random.Shuffle(codes);
            columns[c] = EncodedColumn.FromCodes(table.Domain.Size(c), codes);
        }

        return new EncodedTable(table.Domain, columns);
    }
}
