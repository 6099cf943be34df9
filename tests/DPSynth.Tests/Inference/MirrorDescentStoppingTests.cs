using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Tests.Inference;

/// <summary>
/// The early-stopping rule of <see cref="MirrorDescentOptions.Tolerance"/> on the situation AIM creates: a model fitted
/// to some noisy marginals, then re-fitted warm-started after more measurements arrive. All deterministic (seeded
/// noise), so no test here can fail by chance.
/// </summary>
public sealed class MirrorDescentStoppingTests
{
    private const int Seeds = 10;
    private const double Sigma = 5;

    [Fact]
    [Trait("Issue", "5")]
    public void AWarmStartedFitStopsBeforeMaxIterationsWithinOneSdOfTheLossNoiseOfTheFullRun()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            var (domain, previous, measurements) = WarmStartProblem(seed);
            var full = new MirrorDescentEstimator(new() { InitialStepSize = previous.StepSize })
                .Fit(domain, measurements, previous.Model);
            var early = new MirrorDescentEstimator(new() { InitialStepSize = previous.StepSize, Tolerance = 0.1 })
                .Fit(domain, measurements, previous.Model);

            Assert.True(early.StoppedByTolerance, $"seed {seed}");
            Assert.False(full.StoppedByTolerance);
            Assert.True(early.Iterations <= 600, $"seed {seed}: stopped after {early.Iterations} of 1000 iterations");
            Assert.Equal(1000, full.Iterations);

            // Stopping only truncates the same trajectory.
            Assert.Equal(full.LossHistory.Take(early.Iterations + 1), early.LossHistory);

            // The loss at the optimum is 0.5 chi^2 of the measured cells: its sampling sd, sqrt(cells / 2), is the scale
            // on which two fits of these data can be told apart. The early fit is within one sd of the full run, and has
            // closed all but 1e-4 of the way from its start.
            var cells = measurements.Sum(m => m.Values.Length);
            var start = early.LossHistory[0];
            var gap = early.LossHistory[^1] - full.LossHistory[^1];
            Assert.True(gap <= Math.Sqrt(cells / 2.0), $"seed {seed}: loss {early.LossHistory[^1]} vs {full.LossHistory[^1]}");
            var decrease = start - full.LossHistory[^1];
            Assert.True(gap <= 1e-4 * decrease, $"seed {seed}: gap {gap} of {decrease}");
        }
    }

    [Fact]
    public void TheFirstStepsFromTheReferenceStepSizeAreTooSmallToJudgeConvergenceBy()
    {
        // Why a test on one step's relative decrease stops a warm start at once: alpha_0 = 1/total^2 makes the first
        // step's decrease a few millionths of a loss that is still thousands of times its optimum.
        var (domain, previous, measurements) = WarmStartProblem(0);
        var fit = new MirrorDescentEstimator(new() { MaxIterations = 1000 }).Fit(domain, measurements, previous.Model);
        var first = (fit.LossHistory[0] - fit.LossHistory[1]) / fit.LossHistory[0];
        Assert.True(first < 1e-5, $"first step's relative decrease {first}");
        Assert.True(fit.LossHistory[0] > 1000 * fit.LossHistory[^1]);
    }

    [Fact]
    public void TheFirstWindowOpensOnlyAfterTheStepSizeRamp()
    {
        // A tolerance every window passes stops at the end of the first window: after the ramp from 1/total^2 (about
        // 20 doublings here) plus one window, never after the first step.
        for (var seed = 0; seed < Seeds; seed++)
        {
            var (domain, previous, measurements) = WarmStartProblem(seed);
            var options = new MirrorDescentOptions { Tolerance = 1e9 };
            var fit = new MirrorDescentEstimator(options).Fit(domain, measurements, previous.Model);
            Assert.True(fit.StoppedByTolerance);
            Assert.True(fit.Iterations >= options.ToleranceWindow + 15, $"seed {seed}: stopped after {fit.Iterations}");
            Assert.True(fit.Iterations <= options.ToleranceWindow + 40, $"seed {seed}: stopped after {fit.Iterations}");
        }
    }

    [Fact]
    public void WithAFixedStepTheFirstWindowOpensAtTheStart()
    {
        var (domain, previous, measurements) = WarmStartProblem(1);
        var options = new MirrorDescentOptions
        {
            Loss = MarginalLossKind.L1, StepSize = 1e-4, Tolerance = 1e9, ToleranceWindow = 7,
        };
        var fit = new MirrorDescentEstimator(options).Fit(domain, measurements, previous.Model);
        Assert.True(fit.StoppedByTolerance);
        Assert.Equal(7, fit.Iterations);
    }

    [Fact]
    public void TheStepSizeOfAFitCarriesItsSuccessorPastTheRamp()
    {
        var (domain, previous, measurements) = WarmStartProblem(2);
        var cold = new MirrorDescentEstimator(new() { MaxIterations = 20 }).Fit(domain, measurements, previous.Model);
        var carried = new MirrorDescentEstimator(new() { MaxIterations = 20, InitialStepSize = previous.StepSize })
            .Fit(domain, measurements, previous.Model);
        Assert.True(previous.StepSize > 1e3 / (previous.Model.Total * previous.Model.Total), $"step {previous.StepSize}");
        Assert.True(
            carried.LossHistory[^1] < 0.25 * cold.LossHistory[^1], $"{carried.LossHistory[^1]} vs {cold.LossHistory[^1]}");
    }

    [Theory]
    [InlineData(-0.1, 50, null)]
    [InlineData(double.NaN, 50, null)]
    [InlineData(double.PositiveInfinity, 50, null)]
    [InlineData(0.1, 0, null)]
    [InlineData(0.1, 50, 0.0)]
    [InlineData(0.1, 50, double.NaN)]
    [InlineData(0.1, 50, -1.0)]
    public void InvalidStoppingSettingsAreRejected(double tolerance, int window, double? initialStep) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MirrorDescentEstimator(
            new() { Tolerance = tolerance, ToleranceWindow = window, InitialStepSize = initialStep }));

    /// <summary>
    /// A chain model a-b-c-d-e (sizes 3, 4, 5, 4, 3; 10,000 rows) with random potentials; noisy measurements (sigma 5)
    /// of every 1-way marginal and (a,b) fitted first (1000 iterations), then (b,c), (c,d), (d,e) added, as AIM adds
    /// its selections.
    /// </summary>
    private static (Domain Domain, EstimationResult Previous, List<NoisyMarginal> Measurements) WarmStartProblem(int seed)
    {
        var rng = new Random(seed);
        var domain = new Domain(["a", "b", "c", "d", "e"], [3, 4, 5, 4, 3]);
        Clique[] chain = [Clique.Of(0, 1), Clique.Of(1, 2), Clique.Of(2, 3), Clique.Of(3, 4)];
        var potentials = RandomModels.RandomPotentials(rng, domain, chain);
        var truth = GraphicalModel.FromPotentials(new JunctionTree(domain, chain), potentials, 10_000);
        NoisyMarginal Measure(Clique clique) =>
            new(clique, truth.Project(clique).Select(v => v + (Sigma * StandardNormal(rng))).ToArray(), Sigma);

        var first = Enumerable.Range(0, domain.Count).Select(i => Measure(Clique.Of(i))).Append(Measure(chain[0])).ToList();
        var previous = new MirrorDescentEstimator().Fit(domain, first);
        return (domain, previous, [.. first, .. chain.Skip(1).Select(Measure)]);
    }

    private static double StandardNormal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
