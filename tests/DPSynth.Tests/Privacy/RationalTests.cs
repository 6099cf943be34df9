using System.Numerics;
using DPSynth.Privacy;
using FsCheck.Xunit;

namespace DPSynth.Tests.Privacy;

public sealed class RationalTests
{
    [Fact]
    public void RationalsAreKeptInLowestTermsWithAPositiveDenominator()
    {
        var r = new Rational(6, -4);
        Assert.Equal(new BigInteger(-3), r.Numerator);
        Assert.Equal(new BigInteger(2), r.Denominator);
        Assert.Equal(new Rational(-3, 2), r);
        Assert.Equal(Rational.Zero, new Rational(0, 5));
        Assert.Equal("-3/2", r.ToString());
        Assert.Throws<DivideByZeroException>(() => new Rational(1, 0));
    }

    [Fact]
    public void FloorAndCeilingRoundTheRightWay()
    {
        Assert.Equal(new BigInteger(-2), new Rational(-3, 2).Floor());
        Assert.Equal(new BigInteger(-1), new Rational(-3, 2).Ceiling());
        Assert.Equal(new BigInteger(1), new Rational(3, 2).Floor());
        Assert.Equal(new BigInteger(2), new Rational(3, 2).Ceiling());
    }

    [Property(MaxTest = 200)]
    public bool DoublesConvertExactlyAndDirectedRoundingBrackets(double x, int a, int b)
    {
        if (!double.IsFinite(x))
        {
            return true;
        }

        var exact = Rational.FromDouble(x);
        var q = new Rational(a, b == 0 ? 1 : b);
        var up = Rounding.ToDoubleUp(q);
        var down = Rounding.ToDoubleDown(q);
        return exact.ToDouble() == x
            && Rational.FromDouble(up) >= q && Rational.FromDouble(down) <= q
            && (up == down || Math.BitIncrement(down) == up);
    }

    [Property(MaxTest = 100)]
    public bool GridRoundingBracketsTheValue(int a, int b, byte k)
    {
        var q = new Rational(a, b == 0 ? 1 : b);
        var bits = k % 40;
        var step = new Rational(1, BigInteger.One << bits);
        var up = Rounding.UpToGrid(q, bits);
        var down = Rounding.DownToGrid(q, bits);
        return up >= q && up - q < step && down <= q && q - down < step;
    }
}
