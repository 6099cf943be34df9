using DPSynth.Diagnostics;

namespace DPSynth.Tests.Cli;

public sealed class InternalErrorTests
{
    private static Exception Thrown()
    {
        try
        {
            throw new InvalidOperationException("line one\nline two");
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }

    [Fact]
    public void ABugIsOneLineAndItsTraceIsShownOnlyWhenTheOperatorAsks()
    {
        var ex = Thrown();
        var line = InternalError.Describe(ex);
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("internal error (InvalidOperationException): line one", line, StringComparison.Ordinal);
        Assert.Contains("DPSYNTH_DEBUG=1", line, StringComparison.Ordinal);

        Assert.Null(InternalError.TraceIfAsked(ex, _ => null));
        Assert.Null(InternalError.TraceIfAsked(ex, _ => "yes"));
        var trace = InternalError.TraceIfAsked(ex, name => name == InternalError.DebugVariable ? "1" : null);
        Assert.Contains("   at ", trace, StringComparison.Ordinal);
        Assert.Contains(nameof(Thrown), trace, StringComparison.Ordinal);
    }

    [Fact]
    public void FailuresTheUserCanFixAreNotBugs()
    {
        Assert.False(InternalError.IsBug(new InputException("bad")));
        Assert.False(InternalError.IsBug(new BudgetRefusedException("cap")));
        Assert.False(InternalError.IsBug(new IOException("disk full")));
        Assert.False(InternalError.IsBug(new UnauthorizedAccessException("no permission")));
        Assert.True(InternalError.IsBug(new NullReferenceException()));
        Assert.True(InternalError.IsBug(new InvalidOperationException()));
    }
}
