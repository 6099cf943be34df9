using DPSynth.Data;

namespace DPSynth.Audits;

/// <summary>
/// The split of the private rows into train (the only rows the synthesizer sees) and holdout (the audits' baseline),
/// made before synthesis by an independent coin per row.
/// </summary>
/// <remarks>
/// Each row goes to train with probability <see cref="TrainShare"/>, independently of every other row
/// (privacy-details.md section 7 point 2). A fixed-size split or a permutation of n rows would let adding one row
/// change the train set by more than that row, which breaks the add/remove guarantee; per-row coins cannot.
/// The sizes of the two sets are private (they reveal n) and stay in the internal report.
/// </remarks>
/// <param name="Train">The rows for the synthesizer.</param>
/// <param name="Holdout">The rows kept back for the audits.</param>
/// <param name="TrainShare">The probability with which each row went to train.</param>
public sealed record TrainHoldoutSplit(EncodedTable Train, EncodedTable Holdout, double TrainShare)
{
    /// <summary>The default probability of a row going to train (80/20).</summary>
    public const double DefaultTrainShare = 0.8;

    /// <summary>Splits <paramref name="table"/> with CSPRNG coins.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainShare"/> is not strictly between 0 and 1.</exception>
    public static TrainHoldoutSplit Split(EncodedTable table, double trainShare = DefaultTrainShare) =>
        Split(table, trainShare, RandomBitsCoins.Csprng());

    /// <summary>Splits <paramref name="table"/> with the given coins (a seeded source in tests).</summary>
    internal static TrainHoldoutSplit Split(EncodedTable table, double trainShare, ICoinSource coins)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(coins);
        if (!(trainShare > 0 && trainShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainShare), trainShare, "The train share must be in (0, 1).");
        }

        var train = new List<int>((int)(table.RowCount * trainShare) + 16);
        var holdout = new List<int>((int)(table.RowCount * (1 - trainShare)) + 16);
        for (var r = 0; r < table.RowCount; r++)
        {
            (coins.Flip(trainShare) ? train : holdout).Add(r);
        }

        return new TrainHoldoutSplit(
            table.SelectRows(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(train)),
            table.SelectRows(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(holdout)),
            trainShare);
    }
}
