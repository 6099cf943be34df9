using System.Globalization;
using DPSynth.Schema;
using FsCheck.Xunit;

namespace DPSynth.Tests.Schema;

public sealed class IntegerParsingProperties
{
    [Property(MaxTest = 500)]
    public void TheFastIntegerParserAgreesWithLongTryParse(long number, string? noise, bool useNoise)
    {
        var text = useNoise ? noise ?? string.Empty : number.ToString(CultureInfo.InvariantCulture);

        var fast = NumericColumnSpec.TryParseInteger(text, out var fastValue);
        var slow = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var slowValue);

        Assert.Equal(slow, fast);
        Assert.Equal(slowValue, fastValue);
    }

    [Theory]
    [InlineData("-", false, 0)]
    [InlineData("", false, 0)]
    [InlineData("+7", true, 7)]
    [InlineData("-0", true, 0)]
    [InlineData("007", true, 7)]
    [InlineData("999999999999999999", true, 999999999999999999)]
    [InlineData("9223372036854775807", true, long.MaxValue)]
    [InlineData("-9223372036854775808", true, long.MinValue)]
    [InlineData("9223372036854775808", false, 0)]
    [InlineData(" 1", false, 0)]
    [InlineData("1.0", false, 0)]
    public void EdgeCasesParseLikeTheRuntime(string text, bool ok, long value)
    {
        Assert.Equal(ok, NumericColumnSpec.TryParseInteger(text, out var parsed));
        Assert.Equal(value, parsed);
    }
}
