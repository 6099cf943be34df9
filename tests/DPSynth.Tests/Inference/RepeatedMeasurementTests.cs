using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Tests.Inference;

/// <summary>
/// Measurements of the same clique share the loss's per-clique arrays (issue 15). Two measurements of a clique with
/// one sigma have the L2 loss of one measurement of their mean with sigma / sqrt(2), up to a constant, so the fits
/// must agree: a shared array written by the wrong measurement would change the gradient.
/// </summary>
public sealed class RepeatedMeasurementTests
{
    [Fact]
    public void TwoMeasurementsOfACliqueFitLikeOneOfTheirMean()
    {
        var rng = new Random(1515);
        var domain = new Domain(["a", "b", "c"], [4, 3, 5]);
        double[] Noisy(Clique clique) => [.. Enumerable.Range(0, (int)clique.CellCount(domain)).Select(_ => 20 + (rng.NextDouble() * 30))];
        var pair = Clique.Of(0, 1);
        var single = Clique.Of(1);
        var other = Clique.Of(1, 2);
        // The pair is a whole maximal clique (its first measurement is fused into the clique's gradient, the second
        // is not); the single is inside it (projected through a shared map).
        var (first, second) = (Noisy(single), Noisy(single));
        var (pairFirst, pairSecond) = (Noisy(pair), Noisy(pair));
        var other1 = new NoisyMarginal(other, Noisy(other), 2.0);
        var repeated = new List<NoisyMarginal>
        {
            new(pair, pairFirst, 2.0), other1, new(single, first, 2.0), new(single, second, 2.0), new(pair, pairSecond, 2.0),
        };
        var merged = new List<NoisyMarginal>
        {
            new(pair, Mean(pairFirst, pairSecond), 2.0 / Math.Sqrt(2)), other1, new(single, Mean(first, second), 2.0 / Math.Sqrt(2)),
        };
        var options = new MirrorDescentOptions { MaxIterations = 200 };

        var a = new MirrorDescentEstimator(options).Fit(domain, repeated).Model;
        var b = new MirrorDescentEstimator(options).Fit(domain, merged).Model;

        foreach (var clique in new[] { pair, single, other, Clique.Of(0, 2) })
        {
            var x = a.Project(clique);
            var y = b.Project(clique);
            Assert.True(x.Zip(y, (p, q) => Math.Abs(p - q)).Max() < 1e-6, $"{clique}");
        }
    }

    private static double[] Mean(double[] a, double[] b) => [.. a.Zip(b, (x, y) => (x + y) / 2)];
}
