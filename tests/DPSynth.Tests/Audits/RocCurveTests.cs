using DPSynth.Audits;

namespace DPSynth.Tests.Audits;

public sealed class RocCurveTests
{
    [Fact]
    public void AucCountsPairsThatAreOrderedRight()
    {
        // Pairs: 0.9>0.7, 0.9>0.3, 0.8>0.7, 0.8>0.3, 0.4<0.7, 0.4>0.3: 5 of 6.
        Assert.Equal(5 / 6.0, RocCurve.Auc([0.9, 0.8, 0.4], [0.7, 0.3]), 12);
        Assert.Equal(1.0, RocCurve.Auc([3, 4], [1, 2]));
        Assert.Equal(0.0, RocCurve.Auc([1, 2], [3, 4]));
    }

    [Fact]
    public void TiesCountHalf()
    {
        Assert.Equal(0.5, RocCurve.Auc([1, 1, 1], [1, 1]));

        // (1,1) twice at 1/2 and (1,0) twice at 1: 3 of 4.
        Assert.Equal(0.75, RocCurve.Auc([1, 1], [1, 0]), 12);
    }

    [Fact]
    public void AucEqualsABruteForcePairCount()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 20; trial++)
        {
            var m = Enumerable.Range(0, random.Next(1, 40)).Select(_ => (double)random.Next(6)).ToArray();
            var h = Enumerable.Range(0, random.Next(1, 40)).Select(_ => (double)random.Next(6)).ToArray();
            var pairs = m.Sum(a => h.Sum(b => a > b ? 1.0 : a == b ? 0.5 : 0));
            Assert.Equal(pairs / (m.Length * h.Length), RocCurve.Auc(m, h), 12);
        }
    }

    [Fact]
    public void TprAtFprTakesTheBestThresholdWithinTheAllowedFalsePositives()
    {
        double[] members = [0.9, 0.8, 0.7, 0.1];
        double[] nonMembers = [0.85, 0.2, 0.1, 0.05];

        Assert.Equal(0.25, RocCurve.TprAtFpr(members, nonMembers, 0.0));  // only 0.9 is above every non-member
        Assert.Equal(0.75, RocCurve.TprAtFpr(members, nonMembers, 0.25)); // one false positive (0.85) allowed
        Assert.Equal(0.75, RocCurve.TprAtFpr(members, nonMembers, 0.49));
        Assert.Equal(1.0, RocCurve.TprAtFpr(members, nonMembers, 1.0));
    }

    [Fact]
    public void ATieWithANonMemberAtTheThresholdCountsAsAFalsePositive()
    {
        Assert.Equal(0.0, RocCurve.TprAtFpr([0.5], [0.5], 0.0));
        Assert.Equal(1.0, RocCurve.TprAtFpr([0.5], [0.5], 1.0));
    }

    [Fact]
    public void OnePercentOfAHundredNonMembersAllowsOneFalsePositive()
    {
        var nonMembers = Enumerable.Range(0, 100).Select(i => (double)i).ToArray(); // 0 .. 99
        double[] members = [100, 98.5, 97.5, 50];

        Assert.Equal(0.5, RocCurve.TprAtFpr(members, nonMembers, 0.01));  // threshold 98.5: 99 is the one false positive
        Assert.Equal(0.25, RocCurve.TprAtFpr(members, nonMembers, 0.001));
    }

    [Fact]
    public void EmptyOrNaNScoresAreRefused()
    {
        Assert.Throws<ArgumentException>(() => RocCurve.Auc([], [1.0]));
        Assert.Throws<ArgumentException>(() => RocCurve.Auc([double.NaN], [1.0]));
        Assert.Throws<ArgumentException>(() => RocCurve.TprAtFpr([1.0], [], 0.01));
    }
}
