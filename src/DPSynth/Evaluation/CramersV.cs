namespace DPSynth.Evaluation;

/// <summary>Cramér's V, the chi-square association of two categorical variables scaled to [0, 1].</summary>
public static class CramersV
{
    /// <summary>
    /// V = sqrt(chi^2 / (n * (min(r, c) - 1))) from an r x c contingency table (row-major), where r and c count only the
    /// rows and columns that are not empty, so that unused cells of the public domain do not dilute the measure.
    /// Returns 0 when either variable takes a single value (no association can be seen).
    /// </summary>
    public static double FromCounts(ReadOnlySpan<long> counts, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(counts.Length, rows * columns);
        var rowSums = new double[rows];
        var columnSums = new double[columns];
        double n = 0;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var x = counts[(i * columns) + j];
                rowSums[i] += x;
                columnSums[j] += x;
                n += x;
            }
        }

        var usedRows = rowSums.Count(s => s > 0);
        var usedColumns = columnSums.Count(s => s > 0);
        var k = Math.Min(usedRows, usedColumns);
        if (n == 0 || k < 2)
        {
            return 0;
        }

        double chi2 = 0;
        for (var i = 0; i < rows; i++)
        {
            if (rowSums[i] == 0)
            {
                continue;
            }

            for (var j = 0; j < columns; j++)
            {
                if (columnSums[j] == 0)
                {
                    continue;
                }

                var expected = rowSums[i] * columnSums[j] / n;
                var diff = counts[(i * columns) + j] - expected;
                chi2 += diff * diff / expected;
            }
        }

        return Math.Min(1.0, Math.Sqrt(chi2 / (n * (k - 1))));
    }
}
