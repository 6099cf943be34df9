using DPSynth.Inference.Kernels;

namespace DPSynth.Tests.Inference;

public sealed class SecondCoreTests
{
    [Fact]
    public void BothHalvesRunAndTheSecondRunsOnTheWorker()
    {
        var caller = Environment.CurrentManagedThreadId;
        int firstThread = 0, secondThread = 0;
        for (var i = 0; i < 100; i++)
        {
            SecondCore.Run(() => firstThread = Environment.CurrentManagedThreadId, () => secondThread = Environment.CurrentManagedThreadId);
            Assert.Equal(caller, firstThread);
            Assert.NotEqual(caller, secondThread);
        }
    }

    [Fact]
    public void TheWritesOfTheSecondHalfAreSeenByTheCaller()
    {
        var cells = new double[1 << 16];
        for (var round = 1; round <= 200; round++)
        {
            var value = round;
            SecondCore.Run(
                () => cells.AsSpan(0, cells.Length / 2).Fill(value),
                () => cells.AsSpan(cells.Length / 2).Fill(value));
            Assert.All(cells, c => Assert.Equal(value, c));
        }
    }

    [Fact]
    public void AFailureOfEitherHalfIsThrownAfterBothHaveEnded()
    {
        var secondEnded = false;
        var fromFirst = Assert.Throws<AggregateException>(() => SecondCore.Run(
            () => throw new InvalidOperationException("first"),
            () =>
            {
                Thread.Sleep(50);
                secondEnded = true;
            }));
        Assert.True(secondEnded);
        Assert.Equal("first", Assert.Single(fromFirst.InnerExceptions).Message);

        var fromSecond = Assert.Throws<AggregateException>(() => SecondCore.Run(() => { }, () => throw new InvalidOperationException("second")));
        Assert.Equal("second", Assert.Single(fromSecond.InnerExceptions).Message);

        var both = Assert.Throws<AggregateException>(() => SecondCore.Run(
            () => throw new InvalidOperationException("a"), () => throw new InvalidOperationException("b")));
        Assert.Equal(["a", "b"], both.InnerExceptions.Select(e => e.Message));

        // The worker is still there for the next split.
        var ran = false;
        SecondCore.Run(() => { }, () => ran = true);
        Assert.True(ran);
    }

    [Fact]
    public void ASplitInsideAHalfAndSplitsFromManyThreadsAtOnceAllComplete()
    {
        var nested = new int[4];
        SecondCore.Run(
            () => SecondCore.Run(() => nested[0] = 1, () => nested[1] = 1),
            () => SecondCore.Run(() => nested[2] = 1, () => nested[3] = 1));
        Assert.Equal([1, 1, 1, 1], nested);

        var sums = new long[16];
        Parallel.For(0, sums.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            for (var round = 0; round < 50; round++)
            {
                long a = 0, b = 0;
                SecondCore.Run(() => a = Enumerable.Range(0, 1000).Sum(), () => b = Enumerable.Range(1000, 1000).Sum());
                sums[t] += a + b;
            }
        });
        Assert.All(sums, s => Assert.Equal(50L * Enumerable.Range(0, 2000).Sum(), s));
    }
}
