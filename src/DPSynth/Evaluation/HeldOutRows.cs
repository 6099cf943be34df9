using DPSynth.Data;

namespace DPSynth.Evaluation;

/// <summary>
/// Held-out real rows for the utility models when no test file is given: a seeded 80/20 split of the real rows.
/// </summary>
/// <remarks>
/// Evaluation is an internal, non-DP tool, so a seeded (repeatable) split is fine here; the synthesizer may have seen the
/// held-out rows, which <c>evaluate</c>'s note says.
/// </remarks>
public static class HeldOutRows
{
    /// <summary>The split's seed: the same real rows always split the same way.</summary>
    public const int Seed = 20261123;

    /// <summary>Splits <paramref name="real"/> into about 80% train and 20% test rows, each row by a seeded coin.</summary>
    public static (EncodedTable Train, EncodedTable Test) Split(EncodedTable real)
    {
        ArgumentNullException.ThrowIfNull(real);
        var random = new Random(Seed);
        var train = new List<int>();
        var test = new List<int>();
        for (var r = 0; r < real.RowCount; r++)
        {
            (random.NextDouble() < 0.8 ? train : test).Add(r);
        }

        return (real.SelectRows([.. train]), real.SelectRows([.. test]));
    }
}
