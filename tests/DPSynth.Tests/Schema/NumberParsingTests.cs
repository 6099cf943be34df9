using System.Globalization;
using System.Numerics;
using DPSynth.Schema;
using FsCheck.Xunit;

namespace DPSynth.Tests.Schema;

/// <summary>
/// How a numeric field becomes a value (<see cref="NumericColumnSpec.EncodeValue"/>): continuous fields follow the
/// integer and date rule on white space, and a number a double cannot hold is refused rather than rounded (to 0, or
/// onto a bound it exceeds).
/// </summary>
public sealed class NumberParsingTests
{
    private static readonly TableSchema Schema = TestSchemas.Parse("""
        columns:
          - { name: x, type: continuous, min: -1000, max: 1000, bins: 4, on_out_of_domain: clamp }
          - { name: n, type: integer, min: 0, max: 9007199254740992, bins: 4, on_out_of_domain: clamp }
          - { name: m, type: integer, min: -9007199254740992, max: 5, bins: 2, on_out_of_domain: fail }
        """);

    private static NumericColumnSpec Continuous => (NumericColumnSpec)Schema.Columns[0];

    private static NumericColumnSpec Big => (NumericColumnSpec)Schema.Columns[1];

    private static NumericColumnSpec Negative => (NumericColumnSpec)Schema.Columns[2];

    [Theory]
    [InlineData(" 123.5 ")]
    [InlineData("\t123.5")]
    [InlineData("123.5\n")]
    [InlineData("\r123.5")]
    [InlineData("123.5\u00A0")]
    public void AContinuousFieldWithWhiteSpaceAroundItIsNotANumberLikeAnIntegerField(string text)
    {
        Assert.Equal(FieldStatus.Unparsable, Continuous.EncodeValue(text, out _));
        Assert.Equal(FieldStatus.Unparsable, Big.EncodeValue(text.Replace("123.5", "123", StringComparison.Ordinal), out _));

        // What trimming leaves is a number.
        Assert.Equal(FieldStatus.Ok, Continuous.EncodeValue(text.AsSpan().Trim(), out _));
    }

    [Theory]
    [InlineData("1.5e-400", true)]
    [InlineData("-1e-400", true)]
    [InlineData("2.4e-324", true)]
    [InlineData("0.001e-322", true)]
    [InlineData("100000e-330", true)]
    [InlineData(".1E-9999", true)]
    [InlineData("4.9e-324", false)]
    [InlineData("2.5e-324", false)]
    [InlineData("-1e-310", false)]
    public void ANonzeroNumberThatUnderflowsToZeroIsRefusedAndASubnormalKept(string text, bool underflows)
    {
        Assert.Equal(underflows, double.Parse(text, CultureInfo.InvariantCulture) == 0);
        Assert.Equal(underflows ? FieldStatus.Inexact : FieldStatus.Ok, Continuous.EncodeValue(text, out _));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+0.000")]
    [InlineData("0e-999")]
    [InlineData(".0E+400")]
    [InlineData("-00.0e-5")]
    public void ZeroWrittenAnyWayIsZero(string text)
    {
        Assert.Equal(FieldStatus.Ok, Continuous.EncodeValue(text, out var code));
        Assert.Equal(Continuous.Binning.BinOf(0), code);
    }

    [Fact]
    public void AnOverflowIsStillUnparsableAndAnUnderflowInexactSoBothAreBadRows()
    {
        Assert.Equal(FieldStatus.Unparsable, Continuous.EncodeValue("1e400", out _));
        Assert.Equal(FieldStatus.Inexact, Continuous.EncodeValue("1e-400", out _));
    }

    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("9007199254740995")]
    [InlineData("18014398509481985")]
    [InlineData("4611686018427387905")]
    [InlineData("9223372036854775807")]
    public void AnIntegerADoubleCannotHoldIsRefusedEvenWhereItWouldBeClamped(string text)
    {
        // 9007199254740993 would round to 9007199254740992, the column's max, and be counted as a value in the domain.
        Assert.Equal(FieldStatus.Inexact, Big.EncodeValue(text, out _));
        Assert.Equal(FieldStatus.Inexact, Negative.EncodeValue("-" + text, out _));
    }

    [Theory]
    [InlineData("9007199254740992", false)]
    [InlineData("9007199254740994", true)]
    [InlineData("18014398509481988", true)]
    [InlineData("4611686018427387904", true)]
    public void AnIntegerADoubleHoldsExactlyIsComparedWithTheBoundsAsBefore(string text, bool beyondTheBound)
    {
        Assert.Equal(beyondTheBound ? FieldStatus.Clamped : FieldStatus.Ok, Big.EncodeValue(text, out var code));
        Assert.Equal(Big.Binning.Count - 1, code);
        Assert.Equal(beyondTheBound ? FieldStatus.OutOfDomain : FieldStatus.Ok, Negative.EncodeValue("-" + text, out _));
        Assert.Equal(FieldStatus.OutOfDomain, Negative.EncodeValue("-9223372036854775808", out _));
    }

    [Property(MaxTest = 1000)]
    public void AnIntegerIsExactWhenItsNearestDoubleIsItself(long bits, byte shift, bool nudge)
    {
        // Shifted values cover every magnitude; a nudge of one breaks exactness beyond 2^53 now and then.
        var value = (bits >> (shift % 64)) + (nudge ? 1 : 0);

        var exact = (BigInteger)(double)value == value;

        Assert.Equal(exact, NumericColumnSpec.IsExactDouble(value));
    }

    [Theory]
    [InlineData(9007199254740992, true)]
    [InlineData(9007199254740993, false)]
    [InlineData(-9007199254740993, false)]
    [InlineData(long.MaxValue, false)]
    [InlineData(long.MinValue, true)]
    [InlineData(long.MaxValue - 1023, true)]
    public void TheExactnessBoundariesAreWhereTheDoublesSpacingSaysTheyAre(long value, bool exact) =>
        Assert.Equal(exact, NumericColumnSpec.IsExactDouble(value));
}
