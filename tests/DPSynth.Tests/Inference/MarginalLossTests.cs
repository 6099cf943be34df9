using DPSynth.Inference;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using DPSynth.Schema;
using FsCheck.Xunit;

namespace DPSynth.Tests.Inference;

/// <summary>
/// The loss's projection plan: a measured clique inside a larger measured clique is projected from it, and its
/// gradient is broadcast back through it. Every projection and gradient must equal the direct ones, computed by a loss
/// that holds that measurement alone (and so reads the maximal clique).
/// </summary>
public sealed class MarginalLossTests
{
    private static readonly Domain Domain = new(["a", "b", "c", "d", "e"], [5, 4, 6, 3, 2]);

    private static List<NoisyMarginal> Nested(Random rng)
    {
        NoisyMarginal Fine(Clique c, double sigma) => new(c, Values(rng, (int)c.CellCount(Domain)), sigma);
        var coarseAb = new Coarsening([5, 4], [2, 4]);
        var coarseC = new Coarsening([6], [3]);
        var abc = Clique.Of(0, 1, 2);
        var cells = (int)abc.CellCount(Domain);
        return
        [
            Fine(Clique.Of(0), 1.5),
            Fine(Clique.Of(0, 1), 2.0),
            new(Clique.Of(0, 1), Values(rng, coarseAb.CellCount), 0.8, default, coarseAb),
            Fine(abc, 3.0),
            new(Clique.Of(2), Values(rng, coarseC.CellCount), 1.1, default, coarseC),
            Fine(Clique.Of(0), 0.9), // the same clique again, less noise
            Fine(Clique.Of(2, 3), 1.7),
            Fine(Clique.Of(0, 1, 2, 3), 2.5), // the maximal clique, read in place
            new(abc, Values(rng, cells), 1.0, [.. Enumerable.Range(0, cells).Select(k => 0.5 + (k % 7))]),
            Fine(Clique.Of(3, 4), 1.3), // another maximal clique
            Fine(Clique.Of(4), 0.6),
        ];
    }

    private static double[] Values(Random rng, int n) => [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 40)];

    [Property(MaxTest = 20)]
    public void NestedProjectionsAndGradientsEqualTheDirectOnes(int seed, bool l1)
    {
        var rng = new Random(seed);
        var measurements = Nested(rng);
        var kind = l1 ? MarginalLossKind.L1 : MarginalLossKind.L2;
        var tree = new JunctionTree(Domain, [.. measurements.Select(m => m.Clique).Distinct()]);
        var loss = new MarginalLoss(tree, measurements, kind);
        // {a} and its repeat from {a,b}; both {a,b} from {a,b,c}; coarse {a,b} from fine {a,b}; coarse {c} from the
        // smaller of {a,b,c} and {c,d}; {e} from {d,e}, its maximal clique (read in place, so from the clique). No
        // attribute of {a,b,c,d} is left out by two of the cliques read from it ({a,b,c} and {c,d}): no intermediate.
        int[] expectedSources = [1, 3, 1, -1, 6, 1, -1, -1, -1, -1, -1];
        Assert.Equal(expectedSources, Enumerable.Range(0, measurements.Count).Select(loss.ProjectedFrom));
        CheckAgainstSingleMeasurements(tree, measurements, kind, loss, rng);
    }

    /// <summary>
    /// AIM's shape: pairs (one coarse) inside one large clique, measured as a whole too. a and c are each left out by
    /// four pairs; c is the larger, so the pairs without c are summed from the intermediate (a, b, d, e).
    /// </summary>
    [Property(MaxTest = 20)]
    public void PairsInsideALargeCliqueAreProjectedThroughAnIntermediate(int seed, bool l1)
    {
        var rng = new Random(seed);
        NoisyMarginal Fine(Clique c, double sigma) => new(c, Values(rng, (int)c.CellCount(Domain)), sigma);
        var whole = Clique.Of(0, 1, 2, 3, 4);
        var coarse = new Coarsening([5, 4], [3, 2]);
        List<NoisyMarginal> measurements =
        [
            Fine(whole, 50),
            Fine(Clique.Of(1, 2), 1.2),
            Fine(Clique.Of(2, 3), 0.8),
            Fine(Clique.Of(1, 3), 2.2),
            new(Clique.Of(0, 1), Values(rng, coarse.CellCount), 1.4, default, coarse),
            Fine(Clique.Of(3, 4), 1.9),
            Fine(Clique.Of(0, 4), 0.7),
            Fine(Clique.Of(2), 0.5),
        ];
        var kind = l1 ? MarginalLossKind.L1 : MarginalLossKind.L2;
        var tree = new JunctionTree(Domain, [.. measurements.Select(m => m.Clique).Distinct()]);
        var loss = new MarginalLoss(tree, measurements, kind);
        int[] expectedSources = [-1, -1, -1, -2, -2, -2, -2, 2]; // {c} from {c,d}, the smaller pair holding it
        Assert.Equal(expectedSources, Enumerable.Range(0, measurements.Count).Select(loss.ProjectedFrom));
        CheckAgainstSingleMeasurements(tree, measurements, kind, loss, rng);
    }

    private static void CheckAgainstSingleMeasurements(
        JunctionTree tree, List<NoisyMarginal> measurements, MarginalLossKind kind, MarginalLoss loss, Random rng)
    {
        var mu = RandomMarginals(tree, rng);
        var projections = loss.NewProjections(mu);
        loss.Project(mu, projections);
        var gradient = BeliefPropagation.NewCliqueArrays(tree);
        loss.CliqueGradient(projections, loss.NewGradientWorkspace(), gradient);

        var expectedGradient = BeliefPropagation.NewCliqueArrays(tree);
        double expectedLoss = 0;
        for (var i = 0; i < measurements.Count; i++)
        {
            var alone = new MarginalLoss(tree, [measurements[i]], kind);
            var own = alone.NewProjections(mu);
            alone.Project(mu, own);
            Assert.True(RandomModels.MaxAbsDiff(own[0], projections[i]) < 1e-9, $"projection of measurement {i}");
            expectedLoss += alone.Loss(own);
            var part = BeliefPropagation.NewCliqueArrays(tree);
            alone.CliqueGradient(own, alone.NewGradientWorkspace(), part);
            for (var c = 0; c < part.Length; c++)
            {
                for (var k = 0; k < part[c].Length; k++)
                {
                    expectedGradient[c][k] += part[c][k];
                }
            }
        }

        var actualLoss = loss.Loss(projections);
        Assert.True(Math.Abs(expectedLoss - actualLoss) <= 1e-10 * Math.Abs(expectedLoss), $"loss {actualLoss:R}, expected {expectedLoss:R}");
        for (var c = 0; c < gradient.Length; c++)
        {
            Assert.True(RandomModels.MaxAbsDiff(expectedGradient[c], gradient[c]) < 1e-9, $"gradient of clique {c}");
        }
    }

    /// <summary>Projection is linear: mixing or subtracting projections equals projecting mixed or subtracted marginals.</summary>
    [Property(MaxTest = 20)]
    public void MixedProjectionsEqualProjectionsOfTheMix(int seed)
    {
        var rng = new Random(seed);
        var measurements = Nested(rng);
        var tree = new JunctionTree(Domain, [.. measurements.Select(m => m.Clique).Distinct()]);
        var loss = new MarginalLoss(tree, measurements, MarginalLossKind.L2);
        double[][] a = RandomMarginals(tree, rng), b = RandomMarginals(tree, rng), mix = BeliefPropagation.NewCliqueArrays(tree);
        var t = rng.NextDouble();
        double[][] pa = loss.NewProjections(a), pb = loss.NewProjections(b), pm = loss.NewProjections(mix), mixed = loss.NewProjections(mix);
        loss.Project(a, pa);
        loss.Project(b, pb);
        for (var c = 0; c < mix.Length; c++)
        {
            for (var k = 0; k < mix[c].Length; k++)
            {
                mix[c][k] = a[c][k] + (t * (b[c][k] - a[c][k]));
            }
        }

        loss.Project(mix, pm);
        loss.MixProjections(pa, pb, t, mixed);
        for (var i = 0; i < measurements.Count; i++)
        {
            Assert.True(RandomModels.MaxAbsDiff(pm[i], mixed[i]) < 1e-9, $"mixed projection {i}");
        }

        loss.SubtractProjections(pb, pa, mixed);
        for (var c = 0; c < mix.Length; c++)
        {
            for (var k = 0; k < mix[c].Length; k++)
            {
                mix[c][k] = b[c][k] - a[c][k];
            }
        }

        loss.Project(mix, pm);
        for (var i = 0; i < measurements.Count; i++)
        {
            Assert.True(RandomModels.MaxAbsDiff(pm[i], mixed[i]) < 1e-9, $"difference of projection {i}");
        }
    }

    /// <summary>
    /// The accelerated step's test differences the cliques read in place inside the sum: the same bits as the quadratic
    /// of a written difference, for one sigma and per-cell sigmas alike.
    /// </summary>
    [Property(MaxTest = 20)]
    public void TheQuadraticOfADifferenceEqualsTheQuadraticOfTheWrittenDifferenceBitForBit(int seed)
    {
        var rng = new Random(seed);
        var measurements = Nested(rng);
        var de = Clique.Of(3, 4);
        measurements.Add(new(de, Values(rng, 6), 1.0, [.. Enumerable.Range(0, 6).Select(k => 0.3 + k)])); // in place, per-cell
        var tree = new JunctionTree(Domain, [.. measurements.Select(m => m.Clique).Distinct()]);
        var loss = new MarginalLoss(tree, measurements, MarginalLossKind.L2);
        double[][] a = RandomMarginals(tree, rng), b = RandomMarginals(tree, rng), written = BeliefPropagation.NewCliqueArrays(tree);
        for (var c = 0; c < a.Length; c++)
        {
            FactorKernels.Subtract(a[c], b[c], written[c]);
        }

        double[][] pa = loss.NewProjections(a), pb = loss.NewProjections(b), pWritten = loss.NewProjections(written);
        var pOwned = loss.NewProjections(BeliefPropagation.NewCliqueArrays(tree));
        loss.Project(a, pa);
        loss.Project(b, pb);
        loss.SubtractProjections(pa, pb, pWritten);
        loss.SubtractProjections(pa, pb, pOwned);
        Assert.True(Enumerable.Range(0, tree.MaximalCliques.Length).Count(loss.ReadsInPlace) >= 2);
        Assert.Equal(loss.Quadratic(pWritten), loss.QuadraticOfDifference(pa, pb, pOwned));
    }

    /// <summary>
    /// On a clique whose gradient is its one measurement's, the accelerated step in one pass (<c>StepAtMix</c>) gives
    /// the same bits as mixing <c>y</c>, taking the gradient there and stepping; the gradient that leaves such cliques
    /// out leaves them unwritten and gives the others the same bits. Checked on small cliques (one with a 1-way measurement
    /// laid out on it as well) and on a 300,000-cell clique (two cores).
    /// </summary>
    [Property(MaxTest = 20)]
    public void TheOnePassStepEqualsMixGradientAndStepBitForBit(int seed, bool large)
    {
        var (rng, tree, loss) = OnlyFusedCase(seed, large);
        double[][] x = RandomMarginals(tree, rng), z = RandomMarginals(tree, rng), u = RandomMarginals(tree, rng);
        double[][] y = BeliefPropagation.NewCliqueArrays(tree), all = BeliefPropagation.NewCliqueArrays(tree), skipped = BeliefPropagation.NewCliqueArrays(tree);
        var t = 0.1 + (0.9 * rng.NextDouble());
        var s = rng.NextDouble() * 1e-3;
        for (var c = 0; c < x.Length; c++)
        {
            FactorKernels.Lerp(x[c], z[c], t, y[c]);
            Array.Fill(skipped[c], double.NaN);
        }

        var yProjections = loss.NewProjections(y);
        loss.Project(y, yProjections);
        loss.CliqueGradient(yProjections, loss.NewGradientWorkspace(), all);
        loss.CliqueGradient(yProjections, loss.NewGradientWorkspace(), skipped, skipOnlyFused: true);
        var onlyFused = Enumerable.Range(0, x.Length).Where(loss.HasOnlyFusedGradient).ToArray();
        Assert.NotEmpty(onlyFused);
        Assert.Contains(Enumerable.Range(0, x.Length), c => !loss.HasOnlyFusedGradient(c));
        for (var c = 0; c < x.Length; c++)
        {
            if (!loss.HasOnlyFusedGradient(c))
            {
                Assert.Equal(all[c], skipped[c]);
                continue;
            }

            Assert.All(skipped[c], v => Assert.True(double.IsNaN(v)));
            var threePasses = new double[u[c].Length];
            var onePass = new double[u[c].Length];
            FactorKernels.Step(u[c], s, all[c], threePasses);
            loss.StepAtMix(c, x[c], z[c], t, u[c], s, onePass);
            Assert.Equal(threePasses, onePass);
        }
    }

    /// <summary>
    /// Mirror descent's one-pass step (<c>StepAt</c>) on a clique whose gradient is its one measurement's gives the same
    /// bits as writing the gradient and stepping, and the Armijo pass that takes such gradients from the current
    /// marginals (never reading the unwritten ones) gives the same loss and dot to the bit. Small cliques and a
    /// 300,000-cell clique (two cores).
    /// </summary>
    [Property(MaxTest = 20)]
    public void TheMirrorDescentOnePassStepAndArmijoTermEqualThoseOfTheWrittenGradientBitForBit(int seed, bool large)
    {
        var (rng, tree, loss) = OnlyFusedCase(seed, large);
        double[][] current = RandomMarginals(tree, rng), trial = RandomMarginals(tree, rng), origin = RandomMarginals(tree, rng);
        double[][] all = BeliefPropagation.NewCliqueArrays(tree), skipped = BeliefPropagation.NewCliqueArrays(tree);
        foreach (var g in skipped)
        {
            Array.Fill(g, double.NaN);
        }

        var s = rng.NextDouble() * 1e-3;
        var currentProjections = loss.NewProjections(current);
        var trialProjections = loss.NewProjections(trial);
        loss.Project(current, currentProjections);
        loss.Project(trial, trialProjections);
        loss.CliqueGradient(currentProjections, loss.NewGradientWorkspace(), all);
        loss.CliqueGradient(currentProjections, loss.NewGradientWorkspace(), skipped, skipOnlyFused: true);
        Assert.Contains(Enumerable.Range(0, current.Length), loss.HasOnlyFusedGradient);
        for (var c = 0; c < current.Length; c++)
        {
            if (loss.HasOnlyFusedGradient(c))
            {
                var twoPasses = new double[origin[c].Length];
                var onePass = new double[origin[c].Length];
                FactorKernels.Step(origin[c], s, all[c], twoPasses);
                loss.StepAt(c, current[c], origin[c], s, onePass);
                Assert.Equal(twoPasses.Select(BitConverter.DoubleToInt64Bits), onePass.Select(BitConverter.DoubleToInt64Bits));
            }
        }

        var written = loss.LossAndDot(trial, trialProjections, all, current, out var writtenDot);
        var taken = loss.LossAndDot(trial, trialProjections, skipped, current, out var takenDot, onlyFusedSkipped: true);
        Assert.Equal(BitConverter.DoubleToInt64Bits(written), BitConverter.DoubleToInt64Bits(taken));
        Assert.Equal(BitConverter.DoubleToInt64Bits(writtenDot), BitConverter.DoubleToInt64Bits(takenDot));
        Assert.False(double.IsNaN(takenDot));
    }

    /// <summary>
    /// The one-pass steps' measurement sets: cliques whose gradient is their own measurement's alone beside one with a
    /// 1-way measurement laid out on it as well; small, or with a 300,000-cell clique (two cores).
    /// </summary>
    private static (Random Rng, JunctionTree Tree, MarginalLoss Loss) OnlyFusedCase(int seed, bool large)
    {
        var rng = new Random(seed);
        var domain = large ? new Domain(["a", "b", "c"], [600, 500, 3]) : Domain;
        List<NoisyMarginal> measurements = large
            ? [new(Clique.Of(0, 1), Values(rng, 300_000), 2.5), new(Clique.Of(1, 2), Values(rng, 1500), 1.5), new(Clique.Of(2), Values(rng, 3), 4.0)]
            : [new(Clique.Of(0, 1), Values(rng, 20), 2.0), new(Clique.Of(1, 2), Values(rng, 24), 1.5), new(Clique.Of(2), Values(rng, 6), 4.0),
               new(Clique.Of(3, 4), Values(rng, 6), 1.7)];
        var tree = new JunctionTree(domain, [.. measurements.Select(m => m.Clique).Distinct()]);
        var loss = new MarginalLoss(tree, measurements, MarginalLossKind.L2);
        return (rng, tree, loss);
    }

    private static double[][] RandomMarginals(JunctionTree tree, Random rng)
    {
        var mu = BeliefPropagation.NewCliqueArrays(tree);
        foreach (var m in mu)
        {
            for (var k = 0; k < m.Length; k++)
            {
                m[k] = rng.NextDouble() * 50;
            }
        }

        return mu;
    }
}
