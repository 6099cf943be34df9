using DPSynth.Data;

namespace DPSynth.Evaluation;

/// <summary>Counts of a pair of columns of an <see cref="EncodedTable"/>, row-major (<c>a * SizeB + b</c>).</summary>
internal static class ContingencyTable
{
    /// <summary>Counts every (code of <paramref name="a"/>, code of <paramref name="b"/>) pair.</summary>
    public static long[] Count(EncodedTable table, int a, int b)
    {
        var sizeB = table.Domain.Size(b);
        var counts = new long[table.Domain.Size(a) * sizeB];
        var colA = table.Columns[a];
        var colB = table.Columns[b];
        for (var row = 0; row < table.RowCount; row++)
        {
            counts[(colA[row] * sizeB) + colB[row]]++;
        }

        return counts;
    }
}
