using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using FsCheck.Xunit;

namespace DPSynth.Tests.Privacy;

/// <summary>The DP quantile over a public grid (docs/privacy.md#dp-quantile).</summary>
public sealed class QuantileMechanismTests
{
    /// <summary>
    /// The stated sensitivity holds: adding one value (anywhere on the grid) moves no score by more than max(a, Q - a).
    /// </summary>
    [Property(MaxTest = 300)]
    public bool AddingOneValueMovesEveryScoreByAtMostTheSensitivity(int[] raw, int added, int a, int q)
    {
        const int candidates = 12;
        var denominator = 1 + Math.Abs(q % 100);
        var numerator = Math.Abs(a % (denominator + 1));
        var values = (raw ?? []).Select(v => Math.Abs(v % candidates)).ToList();
        var (before, sensitivity) = QuantileMechanism.Scores(AtOrBelow(values, candidates), values.Count, numerator, denominator);
        values.Add(Math.Abs(added % candidates));
        var (after, _) = QuantileMechanism.Scores(AtOrBelow(values, candidates), values.Count, numerator, denominator);
        return sensitivity == Math.Max(numerator, denominator - numerator)
            && before.Zip(after).All(p => Int128.Abs(p.First - p.Second) <= sensitivity);
    }

    [Fact]
    public void ACandidateWhoseCellHoldsTheQuantileScoresZero()
    {
        // Values 5, 5, 5, 5 (cell 5) and 9 (cell 9) on 10 candidates; the median's rank 2.5 lies in cell 5 only.
        var cells = new long[10];
        cells[5] = 4;
        cells[9] = 1;
        var atOrBelow = new long[10];
        for (long j = 0, run = 0; j < 10; j++)
        {
            run += cells[j];
            atOrBelow[j] = run;
        }

        var (scores, sensitivity) = QuantileMechanism.Scores(atOrBelow, 5, 1, 2);
        Assert.Equal(1, sensitivity);
        Assert.Equal(0, scores[5]);
        Assert.Equal(-5, scores[4]); // rank 0 below: distance 2.5 in units of 1/2
        Assert.Equal(-3, scores[9]); // ranks 4..5: distance 1.5
    }

    /// <summary>
    /// Values 1..1000 on candidates 0..1999, median, rho = 1 (epsilon about 2.83): a candidate 50 or more away from the
    /// median scores at most -100 (units of 1/2), so it is chosen with probability at most 2000 exp(-2.83 * 100 / 2)
    /// &lt; 1e-58 per draw; 20 draws stay within 50 of 500.
    /// </summary>
    [Fact]
    public void TheSelectionLandsNearTheQuantile()
    {
        var atOrBelow = Enumerable.Range(0, 2000).Select(j => (long)Math.Min(j, 1000)).ToArray();
        var mechanism = QuantileMechanism.ForRho(Rho.FromDouble(1));
        var accountant = new ZcdpAccountant(new Rho(mechanism.Cost.Rho.Value * 20));
        for (var i = 0; i < 20; i++)
        {
            var chosen = mechanism.Select(accountant.Charge(mechanism.Cost, "median"), atOrBelow, 1000, 1, 2);
            Assert.InRange(chosen, 450, 550);
        }
    }

    private static long[] AtOrBelow(List<int> values, int candidates)
    {
        var result = new long[candidates];
        for (var j = 0; j < candidates; j++)
        {
            result[j] = values.Count(v => v <= j);
        }

        return result;
    }
}
