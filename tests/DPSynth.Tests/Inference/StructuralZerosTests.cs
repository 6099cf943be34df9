using System.Collections.Immutable;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using FsCheck.Xunit;
using DPSynth.Schema;

namespace DPSynth.Tests.Inference;

/// <summary>
/// Structural zeros in the graphical model (issue 17): belief propagation stays exact with <c>-inf</c> potentials, the
/// masked model's marginals stay consistent and put no mass on forbidden cells, and mirror descent never brings mass
/// back.
/// </summary>
[Trait("Issue", "17")]
public sealed class StructuralZerosTests
{
    private const double Total = 1000;

    /// <summary>
    /// Against brute force over the full joint (the product of the potentials and the 0/1 masks, normalized): every
    /// maximal clique's marginal matches, neighbouring cliques agree on their separator, every marginal sums to the
    /// total, nothing is NaN, and every forbidden cell is exactly 0. Masks forbid each cell with probability 1/2 (whole
    /// values and separator slices often), so the <c>-inf</c> messages of belief propagation are exercised.
    /// </summary>
    [Property(MaxTest = 150)]
    public void AMaskedModelIsExactConsistentAndZeroWhereForbidden(int seed)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed);
        var zeros = RandomZeros(rng, domain);
        var potentials = RandomModels.RandomPotentials(rng, domain, cliques);
        var tree = new JunctionTree(domain, cliques.Concat(zeros.Cliques));
        var theta = BeliefPropagation.Fold(tree, potentials);
        StructuralZeros.Apply(zeros.ForbiddenCells(tree), theta);
        var mu = BeliefPropagation.NewCliqueArrays(tree);

        var logZ = new BeliefPropagation(tree).Run(theta, Total, BeliefPropagation.NewCliqueArrays(tree), mu);

        Assert.True(double.IsFinite(logZ));
        var joint = MaskedJoint(domain, potentials, zeros);
        for (var c = 0; c < mu.Length; c++)
        {
            Assert.DoesNotContain(mu[c], double.IsNaN);
            Assert.True(RandomModels.MaxAbsDiff(mu[c], RandomModels.Marginal(domain, joint, tree.MaximalCliques[c], Total)) < 1e-9 * Total);
            Assert.Equal(Total, mu[c].Sum(), 1e-9 * Total);
            if (tree.Parents[c] >= 0)
            {
                var mine = new double[tree.Separators[c].CellCount(domain)];
                var theirs = new double[mine.Length];
                FactorKernels.SumOnto(mu[c], tree.ChildToSeparator(c), mine);
                FactorKernels.SumOnto(mu[tree.Parents[c]], tree.ParentToSeparator(c), theirs);
                Assert.True(RandomModels.MaxAbsDiff(mine, theirs) < 1e-9 * Total);
            }
        }

        var model = new GraphicalModel(tree, theta, mu, Total);
        foreach (var (clique, allowed) in zeros.Masks)
        {
            var marginal = model.Project(clique);
            Assert.All(Enumerable.Range(0, allowed.Length).Where(i => !allowed[i]), i => Assert.Equal(0.0, marginal[i]));
        }
    }

    /// <summary>
    /// Mirror descent on random measurements: every forbidden cell of every fitted marginal is exactly 0, the loss stays
    /// finite, a warm start from a model fitted without the zeros is masked again, and rows sampled from the result
    /// never fall on a forbidden cell.
    /// </summary>
    [Property(MaxTest = 40)]
    public void MirrorDescentNeverPutsMassBackOnAForbiddenCell(int seed)
    {
        var (fit, zeros) = FitWithRandomZeros(seed, new MirrorDescentOptions { MaxIterations = 60 });

        var rows = fit.Model.Sample(2000, new Random(seed));
        foreach (var (clique, allowed) in zeros.Masks)
        {
            Assert.Equal(0, Violations(rows, clique, allowed));
        }
    }

    /// <summary>
    /// Fits a random model under random structural zeros, warm-started from the unmasked fit (seeded: deterministic), and
    /// checks that every loss is finite and every forbidden cell of the fitted model is exactly empty.
    /// </summary>
    internal static (EstimationResult Fit, StructuralZeros Zeros) FitWithRandomZeros(int seed, MirrorDescentOptions options)
    {
        var (rng, domain, cliques) = RandomModels.RandomCliqueSet(seed);
        var zeros = RandomZeros(rng, domain);
        var table = RandomModels.RandomTable(rng, domain, 500);
        var measurements = cliques.Select(c => new NoisyMarginal(c, MarginalCounter.Count(table, c), 1.0)).ToList();
        var estimator = new MirrorDescentEstimator(options);
        var unmasked = estimator.Estimate(domain, measurements);

        var fit = estimator.Fit(domain, measurements, unmasked, zeros);

        Assert.All(fit.LossHistory, loss => Assert.True(double.IsFinite(loss)));
        foreach (var (clique, allowed) in zeros.Masks)
        {
            var marginal = fit.Model.Project(clique);
            Assert.All(Enumerable.Range(0, allowed.Length).Where(i => !allowed[i]), i => Assert.Equal(0.0, marginal[i]));
        }

        return (fit, zeros);
    }

    [Fact]
    public void TheNormalizationOfAFactorWithAWholeChunkOfZerosIsExact()
    {
        // 5000 cells in chunks of 2048: the first chunk and a half are -inf, the rest are 0 (equal probabilities).
        var src = new double[5000];
        Array.Fill(src, double.NegativeInfinity, 0, 3000);
        var dst = new double[src.Length];
        var chunks = FactorKernels.ChunkCount(src.Length);

        var logZ = FactorKernels.NormalizedExp(src, 2000, dst, new double[chunks], new double[chunks]);

        Assert.Equal(Math.Log(2000), logZ, 12);
        Assert.All(dst.Take(3000), v => Assert.Equal(0.0, v));
        Assert.All(dst.Skip(3000), v => Assert.Equal(1.0, v, 12));

        Array.Fill(src, double.NegativeInfinity);
        Assert.Equal(double.NegativeInfinity, FactorKernels.NormalizedExp(src, 2000, dst, new double[chunks], new double[chunks]));
        Assert.All(dst, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void MasksThatTogetherForbidEveryRowAreRefused()
    {
        var domain = new Domain(["a", "b"], [2, 3]);

        var ex = Assert.Throws<InputException>(() => StructuralZeros.Create(domain, [
            (Clique.Of(0), [true, false], "a = 0"),
            (Clique.Of(0, 1), [false, false, false, true, true, true], "a = 1"),
        ]));

        Assert.Contains("'a = 0'; 'a = 1'", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>1-3 masks over random cliques, each cell forbidden with probability 1/2 but for one anchor row's cells.</summary>
    internal static StructuralZeros RandomZeros(Random rng, Domain domain)
    {
        var anchor = Enumerable.Range(0, domain.Count).Select(a => rng.Next(domain.Size(a))).ToArray();
        var masks = new List<(Clique, ImmutableArray<bool>, string)>();
        for (var m = rng.Next(1, 4); m > 0; m--)
        {
            var clique = new Clique(Enumerable.Range(0, domain.Count).OrderBy(_ => rng.Next()).Take(rng.Next(1, Math.Min(3, domain.Count) + 1)));
            var allowed = new bool[clique.CellCount(domain)];
            for (var i = 0; i < allowed.Length; i++)
            {
                allowed[i] = rng.Next(2) == 0;
            }

            allowed[RandomModels.CellOf(domain, clique, anchor)] = true;
            masks.Add((clique, [.. allowed], $"mask {m}"));
        }

        return StructuralZeros.Create(domain, masks);
    }

    private static double[] MaskedJoint(Domain domain, CliqueVector potentials, StructuralZeros zeros)
    {
        var joint = RandomModels.Joint(domain, potentials);
        var digits = new int[domain.Count];
        for (var x = 0; x < joint.Length; x++)
        {
            RandomModels.Decode(domain, x, digits);
            foreach (var (clique, allowed) in zeros.Masks)
            {
                joint[x] = allowed[RandomModels.CellOf(domain, clique, digits)] ? joint[x] : 0;
            }
        }

        var sum = joint.Sum();
        return [.. joint.Select(p => p / sum)];
    }

    private static int Violations(EncodedTable rows, Clique clique, ImmutableArray<bool> allowed)
    {
        var violations = 0;
        var digits = new int[rows.Domain.Count];
        for (var r = 0; r < rows.RowCount; r++)
        {
            for (var a = 0; a < digits.Length; a++)
            {
                digits[a] = rows[r, a];
            }

            violations += allowed[RandomModels.CellOf(rows.Domain, clique, digits)] ? 0 : 1;
        }

        return violations;
    }
}
