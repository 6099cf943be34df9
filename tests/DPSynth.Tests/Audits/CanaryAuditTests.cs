using DPSynth.Audits;
using DPSynth.Data;

namespace DPSynth.Tests.Audits;

public sealed class CanaryAuditTests
{
    private static readonly EncodedTable Train = AuditTables.Population(3000, seed: 11);

    [Fact]
    public void ACopyMechanismIsCaughtWithABoundAboveThree()
    {
        // m = 200, k+ = k- = 50: the copy emits every included canary, so all 100 guesses are right whenever at least
        // 50 canaries are in and 50 out (seeded coins here; with CSPRNG coins that fails with probability < 1e-12).
        var result = CanaryAudit.Run(
            Train, AuditTables.Copy, AuditTables.Spec, CanaryAuditOptions.Default, new Random(1), RandomBitsCoins.Seeded(2));

        Assert.Equal(100, result.Guesses);
        Assert.Equal(100, result.CorrectGuesses);
        Assert.Equal(Math.Log(Math.Pow(0.05, 0.01) / (1 - Math.Pow(0.05, 0.01))), result.EpsilonLowerBound, 6);
        Assert.True(result.EpsilonLowerBound > 3);
    }

    [Fact]
    public void ACopyMechanismWithCsprngCoinsIsCaught()
    {
        // P[fewer than 50 of 200 fair coins are heads (or tails)] < 2e-13: the false-failure probability is below 1e-6.
        var result = CanaryAudit.Run(Train, AuditTables.Copy, AuditTables.Spec, CanaryAuditOptions.Default, new Random(3));

        Assert.Equal(100, result.CorrectGuesses);
        Assert.True(result.EpsilonLowerBound > 3.4);
    }

    [Fact]
    public void AMechanismThatIgnoresItsInputGetsNoBound()
    {
        // Output independent of the input: every guess is a fair coin. Seeded coins make this deterministic.
        var fixedOutput = AuditTables.Population(3000, seed: 12);
        var result = CanaryAudit.Run(
            Train, _ => fixedOutput, AuditTables.Spec, CanaryAuditOptions.Default, new Random(4), RandomBitsCoins.Seeded(5));

        Assert.Equal(0, result.EpsilonLowerBound);
        Assert.InRange(result.CorrectGuesses, 30, 70);
    }

    [Fact]
    public void AJitteringMechanismIsCaughtByTheNearestDistanceScore()
    {
        var result = CanaryAudit.Run(
            Train, t => AuditTables.Jitter(t, 6), AuditTables.Spec, CanaryAuditOptions.Default, new Random(7), RandomBitsCoins.Seeded(8));

        Assert.True(result.CorrectGuesses >= 95, $"{result.CorrectGuesses} correct");
        Assert.True(result.EpsilonLowerBound > 2.5);
    }

    [Fact]
    public void CanariesAreDistinctAndUnseenInTrain()
    {
        var distance = new GowerDistance(AuditTables.Spec);
        var canaries = CanaryAudit.MakeCanaries(Train, distance, 500, new Random(9));

        Assert.Equal(500, canaries.RowCount);
        Assert.All(new NearestNeighbourIndex(Train, distance).ExactMatchCounts(canaries), c => Assert.Equal(0, c));
        Assert.All(new NearestNeighbourIndex(canaries, distance).ExactMatchCounts(canaries), c => Assert.Equal(1, c));
    }

    [Fact]
    public void TooManyGuessesAreRefused()
    {
        var options = new CanaryAuditOptions(Canaries: 10, GuessesIn: 6, GuessesOut: 5);
        Assert.Throws<ArgumentException>(() => CanaryAudit.Run(Train, AuditTables.Copy, AuditTables.Spec, options, new Random(1)));
    }
}
