using DPSynth.Inference;
using DPSynth.Marginals;
using FsCheck.Xunit;
using DPSynth.Schema;

namespace DPSynth.Tests.Inference;

public sealed class MirrorDescentEstimatorTests
{
    private static double Tvd(double[] a, double[] b, double total) =>
        0.5 * a.Zip(b, (x, y) => Math.Abs(x - y)).Sum() / total;

    [Property(MaxTest = 25)]
    public void NoiselessMeasurementsOfARandomModelAreRecovered(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed, 3, 5);
        var truth = GraphicalModel.FromPotentials(new JunctionTree(domain, cliques), RandomModels.RandomPotentials(rng, domain, cliques, 1), 1000);
        var measurements = cliques.Select(c => new NoisyMarginal(c, truth.Project(c), 1.0)).ToList();
        var result = new MirrorDescentEstimator(new MirrorDescentOptions { MaxIterations = 3000 }).Fit(domain, measurements);
        Assert.Equal(1000, result.Model.Total, 6);
        foreach (var c in cliques)
        {
            Assert.True(Tvd(truth.Project(c), result.Model.Project(c), 1000) < 1e-3, $"{c}: loss {result.LossHistory[^1]}");
        }

        for (var k = 1; k < result.LossHistory.Length; k++)
        {
            Assert.True(result.LossHistory[k] <= result.LossHistory[k - 1], $"loss rose at step {k}");
        }
    }

    [Property(MaxTest = 60)]
    public void TheLossNeverIncreasesWithNoisyMeasurements(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed, 3, 5);
        var measurements = cliques.Select(c => new NoisyMarginal(
            c, Enumerable.Range(0, (int)c.CellCount(domain)).Select(_ => rng.NextDouble() * 100 - 20).ToArray(), 5.0)).ToList();
        var result = new MirrorDescentEstimator(new MirrorDescentOptions { MaxIterations = 100 }).Fit(domain, measurements);
        for (var k = 1; k < result.LossHistory.Length; k++)
        {
            Assert.True(result.LossHistory[k] <= result.LossHistory[k - 1], $"loss rose at step {k}");
        }
    }

    [Fact]
    public void TheTotalIsTheInverseVarianceWeightedMeanOfTheMeasurementSums()
    {
        var domain = new Domain(["a", "b"], [2, 3]);
        NoisyMarginal[] ms =
        [
            new(Clique.Of(0), [40, 60], 2.0),          // est 100, var 4*2 = 8
            new(Clique.Of(1), [30, 30, 50], 1.0),      // est 110, var 1*3 = 3
            new(Clique.Of(0), [50, 70], 1.0, [1.0, 3.0]), // est 120, var 1 + 9 = 10
        ];
        var expected = ((100 / 8.0) + (110 / 3.0) + (120 / 10.0)) / ((1 / 8.0) + (1 / 3.0) + (1 / 10.0));
        Assert.Equal(expected, MirrorDescentEstimator.EstimateTotal(ms), 12);
        Assert.Equal(1.0, MirrorDescentEstimator.EstimateTotal([new NoisyMarginal(Clique.Of(0), [-5, 1], 1.0)]));
        Assert.Equal(1.0, MirrorDescentEstimator.EstimateTotal([]));
        Assert.Equal(expected, new MirrorDescentEstimator(new() { MaxIterations = 5 }).Estimate(domain, ms).Total, 9);
    }

    [Fact]
    public void AWarmStartBeginsCloserThanAColdStart()
    {
        var rng = new Random(3);
        var domain = RandomModels.RandomDomain(rng, 4, 4);
        Clique[] first = [Clique.Of(0, 1), Clique.Of(2, 3)];
        Clique[] second = [.. first, Clique.Of(1, 2)];
        var truth = GraphicalModel.FromPotentials(new JunctionTree(domain, second), RandomModels.RandomPotentials(rng, domain, second, 1), 500);
        var estimator = new MirrorDescentEstimator(new MirrorDescentOptions { MaxIterations = 200 });
        var previous = estimator.Estimate(domain, first.Select(c => new NoisyMarginal(c, truth.Project(c), 1)).ToList());
        var measurements = second.Select(c => new NoisyMarginal(c, truth.Project(c), 1)).ToList();
        var warm = estimator.Fit(domain, measurements, previous);
        var cold = estimator.Fit(domain, measurements);
        Assert.True(warm.LossHistory[0] < cold.LossHistory[0]);
    }

    [Fact]
    public void L1NeedsAFixedStepAndRuns()
    {
        Assert.Throws<ArgumentException>(() => new MirrorDescentEstimator(new MirrorDescentOptions { Loss = MarginalLossKind.L1 }));
        var domain = new Domain(["a", "b"], [2, 2]);
        var estimator = new MirrorDescentEstimator(new MirrorDescentOptions { Loss = MarginalLossKind.L1, StepSize = 1e-3, MaxIterations = 2000 });
        var model = estimator.Estimate(domain, [new NoisyMarginal(Clique.Of(0, 1), [10, 20, 30, 40], 1.0)]);
        Assert.Equal([10, 20, 30, 40], model.Project(Clique.Of(0, 1)).Select(v => Math.Round(v)).ToArray());
    }

    [Fact]
    public void MeasurementsOfTheWrongLengthAreRejected()
    {
        var domain = new Domain(["a", "b"], [2, 2]);
        Assert.Throws<ArgumentException>(() => new MirrorDescentEstimator().Fit(domain, [new NoisyMarginal(Clique.Of(0), [1, 2, 3], 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoisyMarginal(Clique.Of(0), [1, 2], 0));
    }
}
