using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;
using FsCheck.Xunit;

namespace DPSynth.Tests.Inference;

/// <summary>
/// Measurements of a public coarsening <c>Q mu_r</c> (AIM's coarse candidates): the loss's gradient, and both
/// estimators fitting them.
/// </summary>
public sealed class CoarseMeasurementTests
{
    private static readonly Domain Domain = new(["a", "b", "c"], [7, 3, 9]);

    /// <summary>
    /// The gradient of the L2 loss with a coarse measurement (alone, beside a fine one of the same clique, and inside a
    /// larger maximal clique) equals central finite differences of the loss in every cell of every clique marginal.
    /// The loss is quadratic in the marginals, so central differences are exact up to rounding.
    /// </summary>
    [Property(MaxTest = 20)]
    public void TheGradientOfTheCoarseLossMatchesFiniteDifferences(int seed)
    {
        var rng = new Random(seed);
        var ab = Clique.Of(0, 1);
        var bc = Clique.Of(1, 2);
        var coarseAb = new Coarsening([7, 3], [3, 3]);
        var coarseC = new Coarsening([9], [4]);
        var measurements = new List<NoisyMarginal>
        {
            new(ab, Values(rng, coarseAb.CellCount), 2.0, default, coarseAb),
            new(ab, Values(rng, 21), 3.0),
            new(bc, Values(rng, 27), 1.5),
            new(Clique.Of(2), Values(rng, 4), 0.7, default, coarseC),
        };
        var tree = new JunctionTree(Domain, [ab, bc]);
        var loss = new MarginalLoss(tree, measurements, MarginalLossKind.L2);
        var mu = BeliefPropagation.NewCliqueArrays(tree);
        foreach (var m in mu)
        {
            for (var k = 0; k < m.Length; k++)
            {
                m[k] = rng.NextDouble() * 50;
            }
        }

        var projections = loss.NewProjections(mu);
        loss.Project(mu, projections);
        var gradient = BeliefPropagation.NewCliqueArrays(tree);
        loss.CliqueGradient(projections, loss.NewGradientWorkspace(), gradient);

        const double h = 1e-3;
        for (var c = 0; c < mu.Length; c++)
        {
            for (var k = 0; k < mu[c].Length; k++)
            {
                var saved = mu[c][k];
                mu[c][k] = saved + h;
                var up = LossAt(loss, mu);
                mu[c][k] = saved - h;
                var down = LossAt(loss, mu);
                mu[c][k] = saved;
                var numeric = (up - down) / (2 * h);
                Assert.True(
                    Math.Abs(numeric - gradient[c][k]) <= 1e-5 * (1 + Math.Abs(numeric)),
                    $"clique {c} cell {k}: numeric {numeric:R}, analytic {gradient[c][k]:R}");
            }
        }
    }

    /// <summary>
    /// A noiseless coarse measurement of the pair, beside noiseless fine 1-way marginals, is fitted exactly by both
    /// estimators: the model's coarse marginal equals it and its 1-way marginals equal theirs.
    /// </summary>
    [Theory]
    [InlineData(EstimationMethod.MirrorDescent)]
    [InlineData(EstimationMethod.Accelerated)]
    public void BothEstimatorsFitACoarseMeasurement(EstimationMethod method)
    {
        var rng = new Random(99);
        var domain = new Domain(["age", "hours"], [30, 24]);
        var pair = Clique.Of(0, 1);
        var joint = new double[720];
        for (var i = 0; i < 30; i++)
        {
            for (var j = 0; j < 24; j++)
            {
                // A strong association (hours rise with age) that the 1-way marginals alone cannot show.
                joint[(i * 24) + j] = 1 + (rng.NextDouble() * 3) + (Math.Abs((i * 24 / 30) - j) < 4 ? 40 : 0);
            }
        }

        var coarse = Coarsening.For(domain, pair, 10, 5)!;
        var map = coarse.CellMap();
        var coarseTruth = new double[coarse.CellCount];
        Coarsening.Aggregate(joint, map, coarseTruth);
        var age = Enumerable.Range(0, 30).Select(i => Enumerable.Range(0, 24).Sum(j => joint[(i * 24) + j])).ToArray();
        var hours = Enumerable.Range(0, 24).Select(j => Enumerable.Range(0, 30).Sum(i => joint[(i * 24) + j])).ToArray();
        var measurements = new List<NoisyMarginal>
        {
            new(Clique.Of(0), age, 1.0), new(Clique.Of(1), hours, 1.0), new(pair, coarseTruth, 1.0, default, coarse),
        };

        var fit = new MirrorDescentEstimator(new MirrorDescentOptions { Method = method, MaxIterations = 3000 }).Fit(domain, measurements);

        var total = joint.Sum();
        var modelCoarse = new double[coarse.CellCount];
        Coarsening.Aggregate(fit.Model.Project(pair), map, modelCoarse);
        Assert.True(Tvd(modelCoarse, coarseTruth) / total < 1e-4, $"coarse TVD {Tvd(modelCoarse, coarseTruth) / total}");
        Assert.True(Tvd(fit.Model.Project(Clique.Of(0)), age) / total < 1e-4);
        Assert.True(Tvd(fit.Model.Project(Clique.Of(1)), hours) / total < 1e-4);

        // The coarse measurement carried the association: the fitted pair is far closer to the truth than independence.
        var independent = new double[720];
        for (var i = 0; i < 30; i++)
        {
            for (var j = 0; j < 24; j++)
            {
                independent[(i * 24) + j] = age[i] * hours[j] / total;
            }
        }

        Assert.True(Tvd(fit.Model.Project(pair), joint) < 0.5 * Tvd(independent, joint));
    }

    [Fact]
    public void ACoarseMeasurementThatDoesNotFitTheDomainIsRefused()
    {
        var wrong = new Coarsening([8, 3], [2, 3]);
        var measurement = new NoisyMarginal(Clique.Of(0, 1), new double[6], 1.0, default, wrong);
        Assert.Throws<ArgumentException>(() => new MirrorDescentEstimator(new MirrorDescentOptions()).Fit(Domain, [measurement]));
        Assert.Throws<ArgumentException>(() => new NoisyMarginal(Clique.Of(0, 1), new double[5], 1.0, default, wrong));
    }

    private static double LossAt(MarginalLoss loss, double[][] mu)
    {
        var projections = loss.NewProjections(mu);
        loss.Project(mu, projections);
        return loss.Loss(projections);
    }

    private static double[] Values(Random rng, int cells) => [.. Enumerable.Range(0, cells).Select(_ => (rng.NextDouble() * 60) - 5)];

    private static double Tvd(double[] a, double[] b) => 0.5 * a.Zip(b, (x, y) => Math.Abs(x - y)).Sum();
}
