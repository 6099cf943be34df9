using DPSynth.Audits;

namespace DPSynth.Tests.Audits;

public sealed class OneRunAuditBoundTests
{
    private static double Logit(double p) => Math.Log(p / (1 - p));

    /// <summary>privacy-details.md section 6: a copy mechanism guessed perfectly (v = r = m).</summary>
    [Theory]
    [InlineData(20, 1.82)]
    [InlineData(50, 2.79)]
    [InlineData(61, 2.99)]
    [InlineData(62, 3.006)]
    [InlineData(100, 3.49)]
    [InlineData(200, 4.19)]
    [InlineData(500, 5.11)]
    [InlineData(1000, 5.81)]
    public void PerfectGuessesGiveTheKnownBounds(int m, double expected)
    {
        var exact = OneRunAuditBound.EpsilonLowerBound(m, m, m, 0);
        var claimedDelta = OneRunAuditBound.EpsilonLowerBound(m, m, m, 1e-9);

        // The page rounds to the digits shown (2.785 is printed 2.79).
        Assert.InRange(exact, expected - 0.006, expected + 0.006);
        Assert.Equal(Logit(Math.Pow(0.05, 1.0 / m)), exact, 8);

        // The claimed delta's 2 m delta alpha term is negligible: it moves the bound by less than 1e-5.
        Assert.InRange(exact - claimedDelta, 0, 1e-5);
    }

    [Fact]
    public void ALargerDeltaLowersTheBoundSlightly()
    {
        var bound = OneRunAuditBound.EpsilonLowerBound(100, 100, 100, 1e-5);
        Assert.InRange(bound, 3.48, 3.4904);
        Assert.True(bound < OneRunAuditBound.EpsilonLowerBound(100, 100, 100, 0));
    }

    [Fact]
    public void GuessingAtChanceGivesZero()
    {
        Assert.Equal(0, OneRunAuditBound.EpsilonLowerBound(200, 100, 50, 1e-9));
        Assert.Equal(0, OneRunAuditBound.EpsilonLowerBound(200, 100, 58, 1e-9)); // P[Bin(100, 1/2) >= 58] = 0.067 > 0.05
        Assert.Equal(0, OneRunAuditBound.EpsilonLowerBound(10, 0, 0, 1e-9));
    }

    [Fact]
    public void MoreCorrectGuessesNeverLowerTheBound()
    {
        var previous = 0.0;
        for (var v = 0; v <= 100; v++)
        {
            var bound = OneRunAuditBound.EpsilonLowerBound(200, 100, v, 1e-9);
            Assert.True(bound >= previous - 1e-9, $"v = {v}: {bound} < {previous}");
            previous = bound;
        }

        Assert.True(previous > 3.4);
    }

    [Fact]
    public void ThePValueAtEpsilonZeroIsTheFairCoinTail()
    {
        // P[Bin(1, 1/2) >= 1] = 1/2; P[Bin(10, 1/2) >= 10] = 2^-10.
        Assert.Equal(0.5, OneRunAuditBound.PValue(1, 1, 1, 0, 0), 12);
        Assert.Equal(Math.Pow(2, -10), OneRunAuditBound.PValue(10, 10, 10, 0, 0), 12);
        Assert.Equal(1.0, OneRunAuditBound.PValue(10, 10, 0, 0, 0), 12);
    }

    [Fact]
    public void InvalidCountsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OneRunAuditBound.EpsilonLowerBound(10, 11, 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneRunAuditBound.EpsilonLowerBound(10, 5, 6, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneRunAuditBound.EpsilonLowerBound(10, 5, 5, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneRunAuditBound.EpsilonLowerBound(10, 5, 5, 0, 1));
    }
}
