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

    [Theory]
    [InlineData("0.3", 3, 10)]
    [InlineData("-12.5e-3", -1, 80)]
    [InlineData("1E6", 1_000_000, 1)]
    [InlineData(" +.5 ", 1, 2)]
    [InlineData("7.", 7, 1)]
    [InlineData("0.000", 0, 1)]
    public void DecimalTextParsesExactly(string text, long numerator, long denominator)
    {
        Assert.True(Rational.TryParseDecimal(text, out var value));
        Assert.Equal(new Rational(numerator, denominator), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1e")]
    [InlineData("e5")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("Infinity")]
    [InlineData("1e5000")]
    [InlineData("--1")]
    public void NonDecimalTextIsRejected(string text) => Assert.False(Rational.TryParseDecimal(text, out _));
}
