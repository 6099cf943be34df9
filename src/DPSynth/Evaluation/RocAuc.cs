namespace DPSynth.Evaluation;

/// <summary>Area under the ROC curve by the Mann-Whitney statistic (ties count one half).</summary>
public static class RocAuc
{
    /// <summary>
    /// The probability that a random positive scores above a random negative (ties: one half). NaN when either class is
    /// empty.
    /// </summary>
    public static double Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(positive.Length, scores.Length);
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double rankSumPositive = 0;
        long positives = 0;
        for (var i = 0; i < order.Length;)
        {
            // A run of tied scores shares the average of ranks i+1 .. j.
            var j = i;
            while (j < order.Length && keys[j] == keys[i])
            {
                j++;
            }

            var averageRank = (i + 1 + j) / 2.0;
            for (var k = i; k < j; k++)
            {
                if (positive[order[k]])
                {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }

            i = j;
        }

        var negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSumPositive - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
