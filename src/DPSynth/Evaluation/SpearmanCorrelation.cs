namespace DPSynth.Evaluation;

/// <summary>Spearman's rank correlation of two ordered variables, with ties given their average rank.</summary>
public static class SpearmanCorrelation
{
    /// <summary>
    /// Spearman's rho from the joint counts of two ordered code columns (row-major <c>a * columns + b</c>). Codes are small
    /// integers, so each code's average rank comes from the cumulative counts and rho is the Pearson correlation of
    /// those ranks, in O(cells) instead of sorting rows. Returns 0 when either variable is constant.
    /// </summary>
    public static double FromCounts(ReadOnlySpan<long> counts, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(counts.Length, rows * columns);
        var rowSums = new double[rows];
        var columnSums = new double[columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                rowSums[i] += counts[(i * columns) + j];
                columnSums[j] += counts[(i * columns) + j];
            }
        }

        var rankA = AverageRanks(rowSums);
        var rankB = AverageRanks(columnSums);
        double n = 0, sumA = 0, sumB = 0;
        for (var i = 0; i < rows; i++)
        {
            n += rowSums[i];
            sumA += rowSums[i] * rankA[i];
        }

        for (var j = 0; j < columns; j++)
        {
            sumB += columnSums[j] * rankB[j];
        }

        if (n == 0)
        {
            return 0;
        }

        double meanA = sumA / n, meanB = sumB / n, cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < rows; i++)
        {
            varA += rowSums[i] * (rankA[i] - meanA) * (rankA[i] - meanA);
            for (var j = 0; j < columns; j++)
            {
                cov += counts[(i * columns) + j] * (rankA[i] - meanA) * (rankB[j] - meanB);
            }
        }

        for (var j = 0; j < columns; j++)
        {
            varB += columnSums[j] * (rankB[j] - meanB) * (rankB[j] - meanB);
        }

        return varA <= 0 || varB <= 0 ? 0 : Math.Clamp(cov / Math.Sqrt(varA * varB), -1.0, 1.0);
    }

    // Rows with code v occupy ranks below+1 .. below+count; their average rank is below + (count + 1) / 2.
    private static double[] AverageRanks(double[] countsByCode)
    {
        var ranks = new double[countsByCode.Length];
        double below = 0;
        for (var v = 0; v < countsByCode.Length; v++)
        {
            ranks[v] = below + ((countsByCode[v] + 1) / 2);
            below += countsByCode[v];
        }

        return ranks;
    }
}
