using System.Numerics.Tensors;
using DPSynth.Inference;
using DPSynth.Inference.Kernels;
using DPSynth.Marginals;
using FsCheck.Xunit;
using DPSynth.Schema;

namespace DPSynth.Tests.Inference;

public sealed class FactorTests
{
    private static (Domain Domain, Factor Factor, Random Rng) RandomFactor(int seed, int maxAttributes = 5)
    {
        var rng = new Random(seed);
        var domain = RandomModels.RandomDomain(rng, 1, maxAttributes);
        var clique = new Clique(Enumerable.Range(0, domain.Count).Where(_ => rng.Next(3) > 0));
        var values = Enumerable.Range(0, (int)clique.CellCount(domain)).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
        return (domain, new Factor(domain, clique, values), rng);
    }

    private static Clique RandomSubset(Random rng, Clique clique) =>
        new(clique.Attributes.ToArray().Where(_ => rng.Next(2) == 0));

    /// <summary>Naive projection of a factor: every source cell decoded to its target cell.</summary>
    private static int[] NaiveMap(Domain domain, Clique source, Clique target)
    {
        var cells = (int)source.CellCount(domain);
        var map = new int[cells];
        var digits = new int[domain.Count];
        for (var i = 0; i < cells; i++)
        {
            var x = i;
            for (var p = source.Count - 1; p >= 0; p--)
            {
                digits[source[p]] = x % domain.Size(source[p]);
                x /= domain.Size(source[p]);
            }

            map[i] = RandomModels.CellOf(domain, target, digits);
        }

        return map;
    }

    [Property(MaxTest = 100)]
    public void KernelsMatchNaiveLoops(int seed)
    {
        var (domain, f, rng) = RandomFactor(seed, 6);
        var target = RandomSubset(rng, f.Clique);
        var naive = NaiveMap(domain, f.Clique, target);
        var map = IndexMap.Create(domain, f.Clique, target);
        var src = f.Values;

        var sum = new double[map.TargetCells];
        FactorKernels.SumOnto(src, map, sum);
        var lse = new double[map.TargetCells];
        FactorKernels.LogSumExpOnto(src, map, lse, new double[map.SourceCells + map.TargetCells]);
        var expected = new double[map.TargetCells];
        var expectedExp = new double[map.TargetCells];
        for (var i = 0; i < src.Length; i++)
        {
            expected[naive[i]] += src[i];
            expectedExp[naive[i]] += Math.Exp(src[i]);
        }

        Assert.True(RandomModels.MaxAbsDiff(expected, sum) < 1e-9);
        Assert.True(RandomModels.MaxAbsDiff(expectedExp.Select(v => Math.Log(v)).ToArray(), lse) < 1e-9);

        var small = Enumerable.Range(0, map.TargetCells).Select(_ => rng.NextDouble()).ToArray();
        var added = src.ToArray();
        FactorKernels.AddExpanded(added, map, small);
        var multiplied = src.ToArray();
        FactorKernels.MultiplyExpanded(multiplied, map, small);
        for (var i = 0; i < src.Length; i++)
        {
            Assert.Equal(src[i] + small[naive[i]], added[i], 12);
            Assert.Equal(src[i] * small[naive[i]], multiplied[i], 12);
        }
    }

    [Property(MaxTest = 100)]
    public void LogSumExpKeepingItsExponentialsMatchesNaiveLoops(int seed)
    {
        var (domain, f, rng) = RandomFactor(seed, 6);
        var target = RandomSubset(rng, f.Clique);
        var naive = NaiveMap(domain, f.Clique, target);
        var map = IndexMap.Create(domain, f.Clique, target);
        var src = f.Values.ToArray().Select(v => v * 300).ToArray(); // beyond exp's range without the per-target maximum

        // Target 0 is empty (every cell a structural zero); some cells of the others are too.
        for (var i = 0; i < src.Length; i++)
        {
            if (naive[i] == 0 || (naive[i] > 0 && rng.Next(5) == 0 && i % 3 == 0))
            {
                src[i] = double.NegativeInfinity;
            }
        }

        var max = Enumerable.Repeat(double.NegativeInfinity, map.TargetCells).ToArray();
        for (var i = 0; i < src.Length; i++)
        {
            max[naive[i]] = Math.Max(max[naive[i]], src[i]);
        }

        double[] lse = new double[map.TargetCells], sums = new double[map.TargetCells], exps = new double[src.Length];
        FactorKernels.LogSumExpOnto(src, map, lse, sums, exps);
        var expectedSums = new double[map.TargetCells];
        for (var i = 0; i < src.Length; i++)
        {
            var expected = double.IsNegativeInfinity(src[i]) ? 0 : Math.Exp(src[i] - max[naive[i]]);
            AssertClose(expected, exps[i]);
            expectedSums[naive[i]] += expected;
        }

        Assert.True(double.IsNegativeInfinity(lse[0]));
        Assert.Equal(0, sums[0]);
        for (var j = 0; j < map.TargetCells; j++)
        {
            AssertClose(expectedSums[j], sums[j]);
            if (expectedSums[j] > 0)
            {
                AssertClose(max[j] + Math.Log(expectedSums[j]), lse[j]);
            }
            else
            {
                Assert.True(double.IsNegativeInfinity(lse[j]));
            }
        }
    }

    [Fact]
    public void BlockedAndGeneralMapsAreBothUsed()
    {
        var domain = new Domain(["a", "b", "c"], [3, 20, 4]);
        Assert.False(IndexMap.Create(domain, Clique.Of(0, 1, 2), Clique.Of(0)).IsGeneral); // inner 80
        Assert.False(IndexMap.Create(domain, Clique.Of(0, 1, 2), Clique.Of(1, 2)).IsGeneral); // suffix, inner 1
        Assert.True(IndexMap.Create(domain, Clique.Of(0, 1, 2), Clique.Of(0, 2)).IsGeneral); // not contiguous
        Assert.True(IndexMap.Create(domain, Clique.Of(0, 1, 2), Clique.Of(0, 1)).IsGeneral); // inner 4 < 16
    }

    /// <summary>
    /// General maps in runs (<see cref="IndexMap.Run"/>): runs that map onto one target cell, onto consecutive ones, and
    /// anywhere (coarse, or a run of several attributes); every kernel against the naive per-cell map, and two cores
    /// against one, bit for bit.
    /// </summary>
    [Theory]
    [InlineData(0)] // (a, c) of (a, b, c, d): the run d is summed out
    [InlineData(1)] // (a, d): the run maps onto consecutive target cells
    [InlineData(2)] // (a, c, d)
    [InlineData(3)] // coarse (a, d)
    [InlineData(4)] // (a, d) of (a, b, c, d, e), the run (c, d, e)
    public void GeneralMapsInRunsMatchNaiveLoops(int shape)
    {
        var wide = shape == 4;
        var domain = wide ? new Domain(["a", "b", "c", "d", "e"], [20, 3, 15, 4, 5]) : new Domain(["a", "b", "c", "d"], [20, 3, 15, 300]);
        var source = wide ? Clique.Of(0, 1, 2, 3, 4) : Clique.Of(0, 1, 2, 3);
        var target = shape switch { 0 => Clique.Of(0, 2), 2 => Clique.Of(0, 2, 3), _ => Clique.Of(0, 3) };
        var coarsening = shape == 3 ? new Coarsening([20, 300], [6, 7]) : null;
        var map = coarsening is null ? IndexMap.Create(domain, source, target) : IndexMap.Coarse(domain, source, target, coarsening);
        Assert.True(map.IsGeneral);
        Assert.True(map.Bases.Length > 1);
        Assert.Equal(shape == 0, map.OffsetsAreZero);
        Assert.Equal(shape is 1 or 2, map.OffsetsAreIdentity);
        var naive = NaiveMap(domain, source, target);
        if (coarsening is not null)
        {
            var cellMap = coarsening.CellMap();
            naive = [.. naive.Select(c => cellMap[c])];
        }

        for (var i = 0; i < naive.Length; i++)
        {
            Assert.Equal(naive[i], map.Cell(i));
        }

        var rng = new Random(shape);
        var src = Enumerable.Range(0, map.SourceCells).Select(_ => (rng.NextDouble() * 60) - 30).ToArray();
        var small = Enumerable.Range(0, map.TargetCells).Select(_ => rng.NextDouble()).ToArray();
        double[] sum = new double[map.TargetCells], expSum = new double[map.TargetCells], max = new double[map.TargetCells];
        Array.Fill(max, double.NegativeInfinity);
        for (var i = 0; i < src.Length; i++)
        {
            sum[naive[i]] += src[i];
            expSum[naive[i]] += Math.Exp(src[i]);
            max[naive[i]] = Math.Max(max[naive[i]], src[i]);
        }

        OnOneCoreAndTwo(() =>
        {
            var projected = new double[map.TargetCells];
            FactorKernels.SumOnto(src, map, projected);
            Assert.True(RandomModels.MaxAbsDiff(sum, projected) < 1e-9);
            var lse = new double[map.TargetCells];
            FactorKernels.LogSumExpOnto(src, map, lse, new double[map.SourceCells + map.TargetCells]);
            Assert.True(RandomModels.MaxAbsDiff(expSum.Select(v => Math.Log(v)).ToArray(), lse) < 1e-9);
            double[] kept = new double[map.TargetCells], sums = new double[map.TargetCells], exps = new double[src.Length];
            FactorKernels.LogSumExpOnto(src, map, kept, sums, exps);
            Assert.True(RandomModels.MaxAbsDiff(lse, kept) < 1e-9);
            for (var i = 0; i < src.Length; i++)
            {
                AssertClose(Math.Exp(src[i] - max[naive[i]]), exps[i]);
            }

            double[] added = new double[src.Length], exponentiated = new double[src.Length], multiplied = (double[])src.Clone();
            FactorKernels.AddExpanded(src, map, small, added, exponentiate: false);
            FactorKernels.AddExpanded(src, map, small, exponentiated, exponentiate: true);
            FactorKernels.MultiplyExpanded(multiplied, map, small);
            for (var i = 0; i < src.Length; i++)
            {
                AssertClose(src[i] + small[naive[i]], added[i]);
                AssertClose(Math.Exp(src[i] + small[naive[i]]), exponentiated[i]);
                AssertClose(src[i] * small[naive[i]], multiplied[i]);
            }

            // The root's normalisation adds a message through the map chunk by chunk (chunks cut runs).
            var chunks = FactorKernels.ChunkCount(src.Length);
            var normalized = new double[src.Length];
            var logZ = FactorKernels.NormalizedExp(src, [map], [small], 1000, normalized, new double[chunks], new double[chunks]);
            AssertClose(FactorKernels.LogSumExp(added, new double[src.Length]), logZ);
            AssertClose(1000 * Math.Exp(added[12345] - logZ), normalized[12345]);
            return [.. projected, .. lse, .. kept, .. sums, .. exps, .. added, .. exponentiated, .. multiplied, .. normalized, logZ];
        });

        // Targets whose every cell is a structural zero, through the two-core halves: exponentials 0, message -inf.
        var zeros = (double[])src.Clone();
        for (var i = 0; i < zeros.Length; i++)
        {
            if (naive[i] % 3 == 0)
            {
                zeros[i] = double.NegativeInfinity;
            }
        }

        // Compared to rounding, not bit for bit: TensorPrimitives.Exp may round a cell differently when a -inf shares
        // its vector, and which cells share a vector depends on the array's address (measured: one unit in the last
        // place, between two calls on the same input).
        var withZeros = new List<double[]>();
        foreach (var twoCores in new[] { true, false })
        {
            FactorKernels.TwoCores = twoCores;
            double[] kept = new double[map.TargetCells], sums = new double[map.TargetCells], exps = new double[zeros.Length];
            FactorKernels.LogSumExpOnto(zeros, map, kept, sums, exps);
            withZeros.Add([.. kept, .. sums, .. exps]);
        }

        FactorKernels.TwoCores = Environment.ProcessorCount >= 2;
        for (var i = 0; i < withZeros[0].Length; i++)
        {
            Assert.True(withZeros[0][i] == withZeros[1][i] || Math.Abs(withZeros[0][i] - withZeros[1][i]) <= 1e-15 * Math.Abs(withZeros[0][i]));
        }

        for (var i = 0; i < zeros.Length; i++)
        {
            Assert.True(naive[i] % 3 != 0 || (withZeros[0][2 * map.TargetCells + i] == 0 && double.IsNegativeInfinity(withZeros[0][naive[i]])));
        }
    }

    [Theory]
    [InlineData(0)] // prefix target, inner 99
    [InlineData(1)] // suffix target, inner 1
    [InlineData(2)] // middle target
    public void TwoCoreKernelsOnLargeFactorsMatchTheSingleCoreOnes(int shape)
    {
        var domain = new Domain(["a", "b", "c"], [70, 60, 99]);
        var source = Clique.Of(0, 1, 2);
        var target = shape switch { 0 => Clique.Of(0, 1), 1 => Clique.Of(1, 2), _ => Clique.Of(1) };
        var map = IndexMap.Create(domain, source, target);
        Assert.False(map.IsGeneral);
        Assert.True(map.SourceCells >= FactorKernels.ParallelCells);
        var rng = new Random(shape);
        var src = Enumerable.Range(0, map.SourceCells).Select(_ => rng.NextDouble() * 50).ToArray();
        var small = Enumerable.Range(0, map.TargetCells).Select(_ => rng.NextDouble()).ToArray();
        var scratch = new double[map.SourceCells + map.TargetCells];

        double[] seq = new double[map.TargetCells], par = new double[map.TargetCells];
        FactorKernels.SumOnto(src.AsSpan(), map, seq.AsSpan());
        FactorKernels.SumOnto(src, map, par);
        Assert.True(RandomModels.MaxAbsDiff(seq, par) < 1e-6);
        FactorKernels.LogSumExpOnto(src.AsSpan(), map, seq.AsSpan(), scratch.AsSpan());
        FactorKernels.LogSumExpOnto(src, map, par, scratch);
        Assert.True(RandomModels.MaxAbsDiff(seq, par) < 1e-9);

        // The kept form, the downward product, the chunked sums and the element-wise kernels: one core and two give the
        // same bits (the fits' reproducibility rests on it).
        var kept = OnOneCoreAndTwo(() =>
        {
            double[] lse = new double[map.TargetCells], sums = new double[map.TargetCells], exps = new double[src.Length];
            FactorKernels.LogSumExpOnto(src, map, lse, sums, exps);
            FactorKernels.MultiplyExpanded(exps, map, small);
            var difference = new double[src.Length];
            FactorKernels.Subtract(exps, src, difference);
            FactorKernels.MultiplyAdd(difference, 0.5, src, difference);
            var (dot, squares) = FactorKernels.ChunkedSums(
                src.Length,
                (src, difference),
                static (s, start, length) => (TensorPrimitives.Dot<double>(s.src.AsSpan(start, length), s.difference.AsSpan(start, length)), TensorPrimitives.SumOfSquares<double>(s.difference.AsSpan(start, length))),
                new double[FactorKernels.SumPartials(src.Length)]);
            return [.. lse, .. sums, .. difference, dot, squares];
        });
        Assert.True(RandomModels.MaxAbsDiff(seq, kept[..map.TargetCells]) < 1e-9);

        double[] a = (double[])src.Clone(), b = (double[])src.Clone();
        FactorKernels.AddExpanded(a.AsSpan(), map, small);
        FactorKernels.AddExpanded(b, map, small);
        Assert.Equal(a, b);
        FactorKernels.ExpShifted(src.AsSpan(), -50, a.AsSpan());
        FactorKernels.ExpShifted(src, -50, b);
        Assert.Equal(a, b);
        FactorKernels.AddExpanded(src.AsSpan(), map, small, a.AsSpan(), exponentiate: true);
        FactorKernels.AddExpanded(src, map, small, b, exponentiate: true);
        Assert.True(RandomModels.MaxAbsDiff(a, b) < 1e-9 * a.Max());

        // NormalizedExp: total * exp(src - log Z), with log Z from a plain log-sum-exp.
        var chunks = FactorKernels.ChunkCount(src.Length);
        var logZ = FactorKernels.NormalizedExp(src, 1000, a, new double[chunks], new double[chunks]);
        Assert.Equal(FactorKernels.LogSumExp(src, new double[src.Length]), logZ, 9);
        Assert.Equal(1000, a.Sum(), 6);
        Assert.Equal(1000 * Math.Exp(src[12345] - logZ), a[12345], 9);

        // With a message added chunk by chunk (runs cross chunk and block boundaries): same as adding it first.
        var withMessage = (double[])src.Clone();
        FactorKernels.AddExpanded(withMessage.AsSpan(), map, small);
        var expected = new double[src.Length];
        var expectedLogZ = FactorKernels.NormalizedExp(withMessage, 1000, expected, new double[chunks], new double[chunks]);
        OnOneCoreAndTwo(() =>
        {
            var fusedLogZ = FactorKernels.NormalizedExp(src, [map], [small], 1000, b, new double[chunks], new double[chunks]);
            Assert.Equal(expectedLogZ, fusedLogZ, 9);
            Assert.True(RandomModels.MaxAbsDiff(expected, b) < 1e-9);
            return [fusedLogZ, .. b];
        });
    }

    /// <summary>
    /// Blocked maps with <c>Inner = 1</c>, few targets and many: a split over two cores exponentiates spans of the
    /// targets' range, and must give the same bits as one core (few targets: not split at all).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(40)]
    public void SplitsOfFewOrManyTargetsKeepExponentialsExact(int kept)
    {
        var domain = new Domain(["a", "b", "c"], [(FactorKernels.ParallelCells / (64 * kept)) + 1, 64, kept]);
        var map = IndexMap.Create(domain, Clique.Of(0, 1, 2), Clique.Of(2));
        Assert.False(map.IsGeneral);
        Assert.Equal(1, map.Inner);
        var rng = new Random(kept);
        var src = Enumerable.Range(0, map.SourceCells).Select(_ => (rng.NextDouble() * 60) - 30).ToArray();
        var small = Enumerable.Range(0, kept).Select(_ => rng.NextDouble()).ToArray();
        OnOneCoreAndTwo(() =>
        {
            double[] lse = new double[kept], sums = new double[kept], exps = new double[src.Length], plain = new double[kept], added = new double[src.Length];
            FactorKernels.LogSumExpOnto(src, map, lse, sums, exps);
            FactorKernels.LogSumExpOnto(src, map, plain, new double[src.Length + kept]);
            FactorKernels.AddExpanded(src, map, small, added, exponentiate: true);
            return [.. lse, .. sums, .. exps, .. plain, .. added];
        });
    }

    /// <summary>
    /// The kept log-sum-exp onto leading attributes (one block of cells per target) with children's messages added on
    /// the way gives the same bits as adding them first (belief propagation's partial belief) and then summing: with a
    /// contiguous, a strided and a general message map, structural zeros (a whole block of <c>-inf</c>), blocks of 21,
    /// 42 and 210 cells (not multiples of a vector), and a factor large enough for two cores (on one core and two); and,
    /// for finite cells, the same bits as the whole-range form before the L1-sized pieces.
    /// </summary>
    [Theory]
    [InlineData(4, 5, 3, 7)]
    [InlineData(9, 11, 42, 5)]
    [InlineData(100, 99, 42, 1)] // 415,800 cells: the 3-way chain's largest child, split over two cores
    public void TheLogSumExpWithMessagesEqualsAddingThemFirstBitForBit(int a, int b, int c, int d)
    {
        var domain = new Domain(["a", "b", "c", "d"], [a, b, c, d]);
        var source = Clique.Of(0, 1, 2, 3);
        var map = IndexMap.Create(domain, source, Clique.Of(0, 1));
        Assert.True(FactorKernels.AddsMessagesInLogSumExp(map));
        IndexMap[] maps = [IndexMap.Create(domain, source, Clique.Of(2, 3)), IndexMap.Create(domain, source, Clique.Of(1, 2)), IndexMap.Create(domain, source, Clique.Of(0, 3))];
        Assert.Contains(maps, m => m.IsGeneral);
        var rng = new Random(a * b * c * d);
        var src = Enumerable.Range(0, map.SourceCells).Select(_ => (rng.NextDouble() * 40) - 20).ToArray();
        var messages = maps.Select(m => Enumerable.Range(0, m.TargetCells).Select(_ => (rng.NextDouble() * 6) - 3).ToArray()).ToArray();
        double[] lse = new double[map.TargetCells], sums = new double[map.TargetCells], exps = new double[src.Length];

        // Into the same arrays both times: the vector exponential of a span groups its lanes by the span's alignment,
        // and a group holding a lane below about -709 (here a structural zero's -inf) can round its other lanes
        // differently, so only equal alignment promises equal bits there (belief propagation writes both forms into
        // the clique's own marginal array). Compared as bits, so that -0 and +0 differ.
        double[] BothForms()
        {
            var partial = (double[])src.Clone();
            for (var j = 0; j < maps.Length; j++)
            {
                FactorKernels.AddExpanded(partial, maps[j], messages[j]);
            }

            FactorKernels.LogSumExpOnto(partial, map, lse, sums, exps);
            double[] written = [.. lse, .. sums, .. exps];
            FactorKernels.LogSumExpOnto(src, maps, messages, map, lse, sums, exps);
            Assert.Equal(Bits(written), Bits([.. lse, .. sums, .. exps]));
            return written;
        }

        var fused = OnOneCoreAndTwo(BothForms);

        // And the same bits as the two-pass form before the pieces (every block's maximum, then one exponential of the
        // whole range), into the same arrays, while no shifted value is below -709.
        var partial = (double[])src.Clone();
        for (var j = 0; j < maps.Length; j++)
        {
            FactorKernels.AddExpanded(partial, maps[j], messages[j]);
        }

        for (var k = 0; k < map.Kept; k++)
        {
            lse[k] = TensorPrimitives.Max<double>(partial.AsSpan(k * map.Inner, map.Inner));
            for (var i = k * map.Inner; i < (k + 1) * map.Inner; i++)
            {
                exps[i] = partial[i] + -lse[k];
            }
        }

        TensorPrimitives.Exp(exps, exps);
        for (var k = 0; k < map.Kept; k++)
        {
            sums[k] = FactorKernels.FixedSum(exps.AsSpan(k * map.Inner, map.Inner));
            lse[k] += Math.Log(sums[k]);
        }

        Assert.Equal(Bits(fused), Bits([.. lse, .. sums, .. exps]));

        Array.Fill(src, double.NegativeInfinity, 0, map.Inner);
        BothForms();
        Assert.Equal(double.NegativeInfinity, lse[0]);
        Assert.All(exps[..map.Inner], e => Assert.Equal(0, e));
    }

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    /// <summary>Only a map with one block of cells per target takes messages in its log-sum-exp.</summary>
    [Fact]
    public void MessagesAreRefusedThroughAMapWithoutOneBlockPerTarget()
    {
        var domain = new Domain(["a", "b", "c"], [4, 5, 6]);
        var map = IndexMap.Create(domain, Clique.Of(0, 1, 2), Clique.Of(1, 2));
        Assert.False(FactorKernels.AddsMessagesInLogSumExp(map));
        Assert.Throws<ArgumentException>(() => FactorKernels.LogSumExpOnto(
            new double[120], [], [], map, new double[30], new double[30], new double[120]));
    }

    /// <summary>A cursor walking the source cells in order gives every cell's target, blocked or general.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void CursorsWalkTheMap(int shape)
    {
        var domain = new Domain(["a", "b", "c", "d"], [5, 3, 20, 30]);
        var target = shape switch { 0 => Clique.Of(1, 2), 1 => Clique.Of(0, 3), _ => Clique.Of(0, 2) };
        var map = IndexMap.Create(domain, Clique.Of(0, 1, 2, 3), target);
        Assert.Equal(shape != 0, map.IsGeneral);
        var cursor = new IndexMap.Cursor(map);
        for (var i = 0; i < map.SourceCells; i++)
        {
            if (i > 0)
            {
                cursor.Next();
            }

            Assert.Equal(map.Cell(i), cursor.Cell);
        }
    }

    /// <summary>
    /// Equal to relative rounding: xunit's decimal places round both sides, so two values a unit in the last place apart
    /// can fall on either side of a rounding boundary.
    /// </summary>
    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * (1 + Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    /// <summary>
    /// Narrow blocked maps (one cell a target in each row, a few targets: a separator of one small attribute at the
    /// clique's end) are summed and broadcast inline: the sums are the naive loop's, row by row in order, and the
    /// broadcasts its element-wise products and sums, to the bit, on one core and two; a message through such a map added
    /// inside the normalisation equals adding it first. Just below and at the width where the per-row calls take over.
    /// </summary>
    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(15, true)]
    [InlineData(16, true)]
    public void NarrowMapsGiveTheBitsOfTheNaiveLoops(int kept, bool large)
    {
        // Two leading attributes make the rows (an attribute has at most 65,536 codes).
        var (first, second) = large ? ((FactorKernels.ParallelCells / kept / 64) + 17, 64) : (37, 3);
        var rows = first * second;
        var domain = new Domain(["a", "b", "c"], [first, second, kept]);
        var map = IndexMap.Create(domain, Clique.Of(0, 1, 2), Clique.Of(2));
        Assert.False(map.IsGeneral);
        Assert.Equal((rows, kept, 1), (map.Outer, map.Kept, map.Inner));
        var rng = new Random(kept);
        var src = Enumerable.Range(0, map.SourceCells).Select(_ => (rng.NextDouble() - 0.3) * 50).ToArray();
        var small = Enumerable.Range(0, kept).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var sums = new double[kept];
        for (var o = 0; o < rows; o++)
        {
            for (var k = 0; k < kept; k++)
            {
                sums[k] += src[(o * kept) + k];
            }
        }

        var products = src.Select((v, i) => v * small[i % kept]).ToArray();
        var added = src.Select((v, i) => v + small[i % kept]).ToArray();
        static long[] Bits(IEnumerable<double> values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
        OnOneCoreAndTwo(() =>
        {
            double[] summed = new double[kept], summedSpan = new double[kept];
            FactorKernels.SumOnto(src, map, summed);
            FactorKernels.SumOnto(src.AsSpan(), map, summedSpan.AsSpan());
            Assert.Equal(Bits(sums), Bits(summed));
            Assert.Equal(Bits(sums), Bits(summedSpan));
            var multiplied = (double[])src.Clone();
            FactorKernels.MultiplyExpanded(multiplied, map, small);
            Assert.Equal(Bits(products), Bits(multiplied));
            double[] plus = new double[src.Length], plusSpan = (double[])src.Clone();
            FactorKernels.AddExpanded(src, map, small, plus, exponentiate: false);
            FactorKernels.AddExpanded(plusSpan.AsSpan(), map, small);
            Assert.Equal(Bits(added), Bits(plus));
            Assert.Equal(Bits(added), Bits(plusSpan));
            var chunks = FactorKernels.ChunkCount(src.Length);
            double[] expected = new double[src.Length], fused = new double[src.Length];
            var expectedLogZ = FactorKernels.NormalizedExp(added, 1000, expected, new double[chunks], new double[chunks]);
            var fusedLogZ = FactorKernels.NormalizedExp(src, [map], [small], 1000, fused, new double[chunks], new double[chunks]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLogZ), BitConverter.DoubleToInt64Bits(fusedLogZ));
            Assert.Equal(Bits(expected), Bits(fused));
            return [.. summed, .. multiplied, .. plus, fusedLogZ, .. fused];
        });
    }

    /// <summary>
    /// General maps whose runs repeat a short consecutive pattern of offsets (a small kept attribute after summed-out
    /// ones: 0,1,0,1,... or 0,1,2,3,...; or each offset for a stretch of cells) keep the pattern's sums in registers: the
    /// sums, maxima, shifted exponentials and log-sum-exps are the naive loops' to the bit (each target still adds its
    /// cells in cell order). A pattern of period 3 is read cell by cell, as before.
    /// </summary>
    [Theory]
    [InlineData(2, 2)]
    [InlineData(4, 4)]
    [InlineData(3, 0)]
    [InlineData(40, 1)]
    public void PatternedRunsGiveTheBitsOfTheNaiveLoops(int last, int period)
    {
        var domain = new Domain(["a", "b", "c", "d"], [20, 3, 15, last]);
        var source = Clique.Of(0, 1, 2, 3);
        // Period 1: (a, c), each c repeated over d; otherwise (a, d), the d pattern repeated over (b, c).
        var target = period == 1 ? Clique.Of(0, 2) : Clique.Of(0, 3);
        var map = IndexMap.Create(domain, source, target);
        Assert.True(map.IsGeneral && !map.OffsetsAreZero && !map.OffsetsAreIdentity);
        Assert.Equal(map.Run, map.Stretches.Sum(s => s.Length));
        Assert.All(map.Stretches, s => Assert.Equal(period, s.Period));
        var naive = NaiveMap(domain, source, target);
        var rng = new Random(last);
        var src = Enumerable.Range(0, map.SourceCells).Select(_ => (rng.NextDouble() * 60) - 30).ToArray();
        double[] sum = new double[map.TargetCells], max = new double[map.TargetCells], expSum = new double[map.TargetCells];
        Array.Fill(max, double.NegativeInfinity);
        for (var i = 0; i < src.Length; i++)
        {
            sum[naive[i]] += src[i];
            max[naive[i]] = Math.Max(max[naive[i]], src[i]);
        }

        // The kernel exponentiates run by run: so does the reference, on the same shifted values.
        var exps = src.Select((v, i) => v - max[naive[i]]).ToArray();
        for (var r = 0; r < src.Length; r += map.Run)
        {
            TensorPrimitives.Exp(exps.AsSpan(r, map.Run), exps.AsSpan(r, map.Run));
        }

        for (var i = 0; i < src.Length; i++)
        {
            expSum[naive[i]] += exps[i];
        }

        static long[] Bits(IEnumerable<double> values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
        var projected = new double[map.TargetCells];
        FactorKernels.SumOnto(src, map, projected);
        Assert.Equal(Bits(sum), Bits(projected));
        double[] kept = new double[map.TargetCells], sums = new double[map.TargetCells], keptExps = new double[src.Length];
        FactorKernels.LogSumExpOnto(src, map, kept, sums, keptExps);
        Assert.Equal(Bits(exps), Bits(keptExps));
        Assert.Equal(Bits(expSum), Bits(sums));
        Assert.Equal(Bits(max.Zip(expSum, (m, e) => m + Math.Log(e))), Bits(kept));
    }

    /// <summary>
    /// A run is cut into the longest patterns (period 1, 2 or 4, whole periods, at least 16 cells) and the cells between,
    /// which together cover it in order.
    /// </summary>
    [Fact]
    public void ARunIsCutIntoPatternsAndTheCellsBetween()
    {
        int[] offsets = [5, 9, 3, .. Enumerable.Repeat(new[] { 0, 1 }, 10).SelectMany(p => p), 0, 7, .. Enumerable.Repeat(4, 16), 2, 3, 2];
        Assert.Equal(
            [new OffsetStretch(0, 3, 0, 0), new OffsetStretch(3, 20, 2, 0), new OffsetStretch(23, 2, 0, 0), new OffsetStretch(25, 16, 1, 4), new OffsetStretch(41, 3, 0, 0)],
            OffsetStretch.Cut(offsets));
    }

    /// <summary>
    /// Runs <paramref name="compute"/> with the kernels on two cores, then on one, and asserts the same bits (every split
    /// must round as one core does); restores the setting whatever happens.
    /// </summary>
    private static double[] OnOneCoreAndTwo(Func<double[]> compute)
    {
        try
        {
            FactorKernels.TwoCores = true;
            var two = compute();
            FactorKernels.TwoCores = false;
            var one = compute();
            for (var i = 0; i < one.Length; i++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(one[i]) == BitConverter.DoubleToInt64Bits(two[i]), $"index {i} of {one.Length}: {one[i]:R} on one core, {two[i]:R} on two");
            }

            return one;
        }
        finally
        {
            FactorKernels.TwoCores = Environment.ProcessorCount >= 2;
        }
    }

    [Property(MaxTest = 100)]
    public void ProjectingAProjectionEqualsProjectingDirectly(int seed)
    {
        var (_, f, rng) = RandomFactor(seed);
        var b = RandomSubset(rng, f.Clique);
        var a = RandomSubset(rng, b);
        Assert.True(RandomModels.MaxAbsDiff(f.SumOnto(a).Values, f.SumOnto(b).SumOnto(a).Values) < 1e-9);
        Assert.True(RandomModels.MaxAbsDiff(f.LogSumExpOnto(a).Values, f.LogSumExpOnto(b).LogSumExpOnto(a).Values) < 1e-9);
    }

    [Property(MaxTest = 100)]
    public void ExpandThenSumIsTheOriginalTimesTheAddedSize(int seed)
    {
        var (domain, f, rng) = RandomFactor(seed);
        var small = RandomSubset(rng, f.Clique);
        var g = f.SumOnto(small);
        var added = domain.CellCount(f.Clique.Except(small).Attributes);
        var back = g.Expand(f.Clique).SumOnto(small);
        Assert.True(RandomModels.MaxAbsDiff(g.Values.ToArray().Select(v => v * added).ToArray(), back.Values) < 1e-9);
    }

    [Fact]
    public void AddBroadcastsOntoTheUnion()
    {
        var domain = new Domain(["a", "b"], [2, 3]);
        var a = new Factor(domain, Clique.Of(0), [1, 2]);
        var b = new Factor(domain, Clique.Of(1), [10, 20, 30]);
        var sum = a.Add(b);
        Assert.Equal(Clique.Of(0, 1), sum.Clique);
        Assert.Equal([11, 21, 31, 12, 22, 32], sum.Values.ToArray());
        Assert.Equal(Math.Log(sum.Exp().Sum()), sum.LogSumExp(), 12);
        Assert.Equal(1.0, sum.Normalize().Sum(), 12);
    }

    [Fact]
    public void AWrongNumberOfValuesIsRejected()
    {
        var domain = new Domain(["a", "b"], [2, 3]);
        Assert.Throws<ArgumentException>(() => new Factor(domain, Clique.Of(0, 1), [1, 2, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Factor(domain, Clique.Of(2), [1, 2]));
    }
}
