using DPSynth.Data.Discovery;

namespace DPSynth.Tests.Data;

public sealed class FieldClassifierTests
{
    private static readonly HashSet<string> Missing = ["NA"];

    /// <summary>
    /// One row's value must never abort a charged discovery: the smallest long has no absolute value (review of
    /// 2026-12-03), and it is outside the exactly representable integers, so it is a number, not an integer.
    /// </summary>
    [Theory]
    [InlineData("-9223372036854775808", FieldClass.Number)]
    [InlineData("9223372036854775807", FieldClass.Number)]
    [InlineData("-9007199254740991", FieldClass.Integer)]
    [InlineData("42", FieldClass.Integer)]
    [InlineData("4.5", FieldClass.Number)]
    [InlineData("NA", FieldClass.Missing)]
    [InlineData("blue", FieldClass.Text)]
    public void EveryFieldIsClassifiedWithoutThrowing(string text, FieldClass expected) =>
        Assert.Equal(expected, FieldClassifier.Of(text, Missing));
}
