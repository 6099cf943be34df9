using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Privacy.Sampling;

namespace DPSynth.Benchmarks;

/// <summary>The privacy core's figures: discrete Gaussian throughput and the exponential mechanism's latency.</summary>
public sealed class PrivacyFigures : IFigures
{
    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        foreach (var sigma in new[] { 100, 10_000 })
        {
            var goal = sigma == 100 ? 2_000_000 : 1_000_000;
            var sampler = DiscreteGaussian.WithSigmaSquared(GaussianMechanism.ForSigma(sigma).SigmaSquared);
            var bits = new CsprngBits();
            var counts = new long[1_000_000];
            var seconds = FiguresRunner.MedianSeconds(5, () => sampler.AddTo(bits, counts));
            var rate = counts.Length / seconds;
            yield return new Figure(
                "privacy", $"discrete Gaussian samples, sigma = {sigma:N0}, one thread, wall clock", rate, "samples/s",
                $">= {goal:N0}", rate >= goal);

            // The machine may be shared: CPU time of this process shows what one core does when it is not preempted.
            var cpuRate = counts.Length / MedianCpuSeconds(5, () => sampler.AddTo(bits, counts));
            yield return new Figure(
                "privacy", $"discrete Gaussian samples, sigma = {sigma:N0}, per CPU-second", cpuRate, "samples/s",
                $">= {goal:N0}", cpuRate >= goal);
        }

        // AIM-like round on Adult (privacy-details.md section 2): eps ~ 0.0073, Delta = 26, scores in counts.
        var mechanism = ExponentialMechanism.ForEpsilonRoundedDown(0.0073);
        var scores = AimLikeScores(1000);
        var sensitivity = new Rational(26, 1);
        var typical = MillisecondsPerSelection(mechanism, scores, sensitivity);
        yield return new Figure(
            "privacy", "exponential mechanism, 1,000 candidates (AIM-like scores)", typical, "ms", "< 5", typical < 5);

        // Worst case: one dominant candidate, so about n proposals.
        Int128[] dominant = [.. Enumerable.Repeat((Int128)0, 999), (Int128)1_000_000];
        var worst = MillisecondsPerSelection(mechanism, dominant, sensitivity);
        yield return new Figure(
            "privacy", "exponential mechanism, 1,000 candidates, one dominant (worst case)", worst, "ms", "< 5", worst < 5);
    }

    private static double MillisecondsPerSelection(ExponentialMechanism mechanism, Int128[] scores, Rational sensitivity)
    {
        const int selections = 200;
        return 1000 * FiguresRunner.MedianSeconds(5, () =>
        {
            var accountant = new ZcdpAccountant(new Rho(mechanism.Cost.Rho.Value * selections));
            for (var i = 0; i < selections; i++)
            {
                mechanism.Select(accountant.Charge(mechanism.Cost, "figure"), scores, sensitivity);
            }
        }) / selections;
    }

    /// <summary>Median CPU time (this process, all threads) of <paramref name="runs"/> runs, after one warm-up.</summary>
    private static double MedianCpuSeconds(int runs, Action work)
    {
        work();
        var times = new double[runs];
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            work();
            process.Refresh();
            times[i] = (process.TotalProcessorTime - before).TotalSeconds;
        }

        Array.Sort(times);
        return times[runs / 2];
    }

    /// <summary>Scores like one AIM round: weight 26 times an L1 error of a few hundred to a few thousand counts.</summary>
    internal static Int128[] AimLikeScores(int count)
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, count).Select(_ => (Int128)(26L * random.Next(200, 3000)))];
    }
}
