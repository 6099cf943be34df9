using System.Diagnostics;
using System.Globalization;
using DPSynth.Benchmarks.Support;
using DPSynth.Inference;
using DPSynth.Marginals;

namespace DPSynth.Benchmarks.Engine;

/// <summary>
/// Issue 15, fast big models: iterations, belief-propagation runs and time to reach a loss, mirror descent against the
/// accelerated method, on the engine's adult models (measurements: true marginals plus Gaussian noise, sigma 10).
/// <c>DPSYNTH_ESTIMATOR_MODELS</c> (default <c>MstLike,ThreeWayChain</c>) and <c>DPSYNTH_ESTIMATOR_ITERATIONS</c>
/// (default 1000) choose the runs.
/// </summary>
public sealed class EstimatorFigures : IFigures
{
    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        var iterations = int.Parse(Environment.GetEnvironmentVariable("DPSYNTH_ESTIMATOR_ITERATIONS") ?? "1000", CultureInfo.InvariantCulture);
        var models = (Environment.GetEnvironmentVariable("DPSYNTH_ESTIMATOR_MODELS") ?? "MstLike,ThreeWayChain").Split(',');
        var domain = AdultData.Table.Domain;
        foreach (var name in models)
        {
            var cliques = name == "MstLike" ? AdultData.MstLikeCliques(domain) : AdultData.ThreeWayChainCliques(domain);
            var measurements = AdultData.Measure(AdultData.Table, cliques, 10.0);
            var tree = new JunctionTree(domain, cliques);
            var total = MirrorDescentEstimator.EstimateTotal(measurements);

            var md = Trace(new MdStepper(tree, measurements, total), iterations);
            var acc = Trace(new AcceleratedStepper(tree, measurements, total), iterations);
            var label = string.Create(CultureInfo.InvariantCulture, $"{name} ({tree.CellCount:N0} cells)");
            Console.Error.WriteLine($"{label}: MD final loss {md.Losses[^1]:G8}, accelerated final loss {acc.Losses[^1]:G8}");
            yield return new Figure("estimator", $"{label}: mirror descent, loss after {iterations} iterations", md.Losses[^1], "", "", null);
            yield return new Figure("estimator", $"{label}: accelerated, loss after {iterations} iterations", acc.Losses[^1], "", "", null);
            foreach (var at in new[] { 100, 300, iterations })
            {
                var target = md.Losses[Math.Min(at, md.Losses.Length - 1)];
                var hit = Array.FindIndex(acc.Losses, l => l <= target);
                var what = string.Create(CultureInfo.InvariantCulture, $"{label}: iterations for the accelerated method to reach MD's loss after {at}");
                yield return new Figure("estimator", what, hit < 0 ? double.NaN : hit, "iterations", $"< {at}", hit >= 0 && hit < at);
                if (hit >= 0)
                {
                    yield return new Figure(
                        "estimator", "  same, BP runs (accelerated / mirror descent)", acc.Evaluations[hit] / (double)md.Evaluations[Math.Min(at, md.Losses.Length - 1)], "ratio", "< 1", null);
                    yield return new Figure(
                        "estimator", "  same, wall time (accelerated / mirror descent)", acc.Seconds[hit] / md.Seconds[Math.Min(at, md.Losses.Length - 1)], "ratio", "< 1", null);
                }
            }
        }
    }

    private static Trajectory Trace(IStepper stepper, int iterations)
    {
        var losses = new List<double> { stepper.Loss };
        var evaluations = new List<long> { stepper.Evaluations };
        var seconds = new List<double> { 0 };
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations && stepper.Step(); i++)
        {
            losses.Add(stepper.Loss);
            evaluations.Add(stepper.Evaluations);
            seconds.Add(watch.Elapsed.TotalSeconds);
        }

        return new Trajectory([.. losses], [.. evaluations], [.. seconds]);
    }

    private sealed record Trajectory(double[] Losses, long[] Evaluations, double[] Seconds);

    private interface IStepper
    {
        double Loss { get; }

        long Evaluations { get; }

        bool Step();
    }

    private sealed class MdStepper : IStepper
    {
        private readonly MirrorDescentEstimator.Run run;

        public MdStepper(JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, double total)
        {
            run = new MirrorDescentEstimator.Run(tree, measurements, MarginalLossKind.L2);
            run.Start(total, null);
        }

        public double Loss => run.CurrentLoss;

        public long Evaluations => run.Evaluations;

        public bool Step() => run.Step(null);
    }

    private sealed class AcceleratedStepper : IStepper
    {
        private readonly AcceleratedMirrorDescent run;

        public AcceleratedStepper(JunctionTree tree, IReadOnlyList<NoisyMarginal> measurements, double total)
        {
            run = new AcceleratedMirrorDescent(tree, measurements);
            run.Start(total, null);
        }

        public double Loss => run.CurrentLoss;

        public long Evaluations => run.Evaluations;

        public bool Step() => run.Step();
    }
}
