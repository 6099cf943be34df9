namespace DPSynth.Inference.Kernels;

/// <summary>
/// The second core of the kernels' two-way splits: one long-lived background thread runs the second half while the
/// caller runs the first. <see cref="Parallel.Invoke(Action[])"/> queues its second action to the thread pool and, when
/// no pool thread has taken it by the time the first is done, runs it on the caller as well, so a split of a few hundred
/// microseconds often ran on one core (docs/benchmarks.md: the 3-way chain's mirror-descent iteration took 12.9-13.4 ms
/// with it and 10.1-10.8 ms with this worker).
/// </summary>
/// <remarks>
/// One split at a time: a caller that finds the worker busy (another thread's split, or a split made inside a half)
/// runs its split with <see cref="Parallel.Invoke(Action[])"/> instead, so nothing waits for the worker and nothing
/// can deadlock. Which thread runs a half never changes a result: the halves write disjoint ranges or their own
/// targets, and the caller combines them in a fixed order.
/// </remarks>
internal static class SecondCore
{
    private static readonly Lock Busy = new();
    private static readonly SemaphoreSlim Posted = new(0);
    private static Thread? worker;
    private static Action? posted;
    private static Exception? failure;
    private static volatile bool done;

    /// <summary>
    /// Runs <paramref name="first"/> on the calling thread and <paramref name="second"/> on the worker, and returns when
    /// both are done.
    /// </summary>
    /// <exception cref="AggregateException">Either half threw (after both have ended), as from <see cref="Parallel.Invoke(Action[])"/>.</exception>
    public static void Run(Action first, Action second)
    {
        // Lock is re-entrant: a split made inside the caller's own first half must not take the worker it is using.
        if (Busy.IsHeldByCurrentThread || !Busy.TryEnter())
        {
            Parallel.Invoke(first, second);
            return;
        }

        try
        {
            worker ??= Start();
            posted = second;
            failure = null;
            done = false;
            Posted.Release();
            Exception? own = null;
            try
            {
                first();
            }
            catch (Exception ex)
            {
                own = ex;
            }

            // The second half takes about as long as the first: spin rather than block, so the caller resumes at once.
            var spin = default(SpinWait);
            while (!done)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            posted = null;
            if (own is not null || failure is not null)
            {
                // Both halves' failures, first half first, as Parallel.Invoke gathers them.
                throw new AggregateException(new[] { own, failure }.OfType<Exception>());
            }
        }
        finally
        {
            Busy.Exit();
        }
    }

    private static Thread Start()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "DPSynth second core" };
        thread.Start();
        return thread;
    }

    private static void Loop()
    {
        while (true)
        {
            Posted.Wait();
            try
            {
                posted!();
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            // A volatile write: the half's writes (and the failure) are visible to the caller once it reads done.
            done = true;
        }
    }
}
