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

    [Fact]
    public void ADetailEndingInAPeriodEndsTheSentenceOnce()
    {
        var line = InternalError.Describe(new OverflowException("Arithmetic operation resulted in an overflow."));
        Assert.StartsWith(
            "internal error (OverflowException): Arithmetic operation resulted in an overflow. This is a bug in DPSynth", line,
            StringComparison.Ordinal);
        Assert.DoesNotContain("..", line, StringComparison.Ordinal);
        Assert.StartsWith(
            "internal error (InvalidOperationException): no period. This is", InternalError.Describe(new InvalidOperationException("no period")),
            StringComparison.Ordinal);
    }

    [Fact]
    public void RunningOutOfMemoryIsRecognisedBareOrFromAnotherThread()
    {
        Assert.True(InternalError.IsOutOfMemory(new OutOfMemoryException()));
        Assert.True(InternalError.IsOutOfMemory(new InsufficientMemoryException()));
        Assert.True(InternalError.IsOutOfMemory(new AggregateException(new OutOfMemoryException())));
        Assert.True(InternalError.IsOutOfMemory(
            new AggregateException(new InvalidOperationException(), new AggregateException(new OutOfMemoryException()))));

        Assert.False(InternalError.IsOutOfMemory(new InvalidOperationException()));
        Assert.False(InternalError.IsOutOfMemory(new AggregateException(new InvalidOperationException(), new IOException())));
        Assert.False(InternalError.IsOutOfMemory(new AggregateException()));
        Assert.False(InternalError.IsOutOfMemory(new InvalidOperationException("wrapped", new OutOfMemoryException())));
    }
}
