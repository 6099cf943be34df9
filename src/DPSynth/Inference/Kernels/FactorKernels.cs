using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DPSynth.Inference.Kernels;

/// <summary>
/// Span kernels on dense factors (row-major arrays over a clique) linked by an <see cref="IndexMap"/>. The caller
/// owns every buffer; the two-core sums through a general map borrow the second half's targets from
/// <see cref="ArrayPool{T}.Shared"/> (the size of the target, returned at once), and nothing else is allocated beyond
/// the two halves' closures (run by <see cref="SecondCore"/>). Contiguous work goes to <see cref="TensorPrimitives"/>.
/// </summary>
/// <remarks>
/// In the blocked form (<c>[Outer][Kept][Inner]</c>) every target cell <c>k</c> is independent of the others, so each
/// kernel is written over a range <c>[k0, k1)</c> of target cells; the array overloads split that range over two
/// cores for factors of at least <see cref="ParallelCells"/> cells (the split is measured to pay off above that). In
/// the general form (runs) a broadcast splits the runs over two cores; a sum or log-sum-exp over a large source always
/// computes the two halves of the runs into separate targets and combines them in a fixed order. Every split gives the
/// same bits as one core, so a fit is reproducible on any machine.
/// </remarks>
internal static class FactorKernels
{
    /// <summary>Factors at least this large (2 MB of doubles) are split over two cores.</summary>
    public const int ParallelCells = 1 << 18;

    /// <summary>Whether large kernels may use two cores (on when the machine has them; benchmarks switch it off to compare).</summary>
    internal static bool TwoCores { get; set; } = Environment.ProcessorCount >= 2;

    /// <summary>Sums a factor onto a subset clique.</summary>
    /// <remarks>Effectively computes <c>dst[j] = sum_{i: map[i]=j} src[i]</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumOnto(ReadOnlySpan<double> src, IndexMap map, Span<double> dst)
    {
        CheckLengths(src.Length, map, dst.Length);
        if (map.IsGeneral)
        {
            SumOntoGeneral(src, map, dst);
            return;
        }

        SumOntoRange(src, map, dst, 0, map.Kept);
    }

    /// <summary>Array form of <see cref="SumOnto(ReadOnlySpan{double}, IndexMap, Span{double})"/>, on two cores when large.</summary>
    public static void SumOnto(double[] src, IndexMap map, double[] dst)
    {
        if (map.IsGeneral && src.Length >= ParallelCells && map.Bases.Length >= 2)
        {
            CheckLengths(src.Length, map, dst.Length);
            var other = ArrayPool<double>.Shared.Rent(dst.Length);
            try
            {
                InHalves((src, map, dst, other), map.Bases.Length, static (s, r0, r1, second) =>
                {
                    var into = second ? s.other.AsSpan(0, s.dst.Length) : s.dst;
                    into.Clear();
                    SumOntoGeneralRange(s.src, s.map, into, r0, r1);
                });
                TensorPrimitives.Add(dst, other.AsSpan(0, dst.Length), dst);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(other);
            }

            return;
        }

        if (map.IsGeneral || src.Length < ParallelCells || map.Kept < 2 || !TwoCores)
        {
            SumOnto(src.AsSpan(), map, dst);
            return;
        }

        CheckLengths(src.Length, map, dst.Length);
        Split((src, map, dst), map.Kept, static (s, k0, k1) => SumOntoRange(s.src, s.map, s.dst, k0, k1));
    }

    /// <summary>Log-sum-exp of a log-space factor onto a subset clique, stable per target cell.</summary>
    /// <remarks>
    /// Effectively computes <c>dst[j] = log sum_{i: map[i]=j} exp(src[i])</c>, as
    /// <c>m_j + log sum exp(src[i] - m_j)</c> with <c>m_j = max_{i: map[i]=j} src[i]</c>. A per-target maximum (not one
    /// maximum for the whole factor) keeps every finite input's result finite: no cell underflows to <c>-inf</c>, so
    /// messages can later be subtracted safely. <paramref name="scratch"/> needs <c>map.SourceCells + map.TargetCells</c>
    /// doubles.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogSumExpOnto(ReadOnlySpan<double> src, IndexMap map, Span<double> dst, Span<double> scratch)
    {
        CheckLengths(src.Length, map, dst.Length);
        LogSumExpKeeping(src, map, dst, scratch[..dst.Length], scratch.Slice(dst.Length, src.Length));
    }

    /// <summary>
    /// Log-sum-exp onto a subset clique that keeps its exponentials and per-target sums: what belief propagation's
    /// upward pass computes so that its downward pass needs no second exponential. On two cores when large.
    /// </summary>
    /// <remarks>
    /// Effectively computes, with <c>m_j = max_{i: map[i]=j} src[i]</c> (0 where every such cell is <c>-inf</c>),
    /// <c>exps[i] = exp(src[i] - m_{map[i]})</c>, <c>sums[j] = sum_{i: map[i]=j} exps[i]</c> and
    /// <c>dst[j] = m_j + log sums[j]</c> (<c>-inf</c> where <c>sums[j] = 0</c>). Every <c>exps[i]</c> lies in [0, 1]
    /// and a target with a finite cell has one equal to 1, so no sum overflows and every finite input gives a finite
    /// result. <paramref name="exps"/> has the source's length and <paramref name="sums"/> the target's. A
    /// <paramref name="step"/> writes <paramref name="src"/> first: piece by piece on the way where the map has
    /// <see cref="AddsMessagesInLogSumExp"/>, else in a pass of its own.
    /// </remarks>
    public static void LogSumExpOnto(double[] src, IndexMap map, double[] dst, double[] sums, double[] exps, PotentialStep? step = null)
    {
        CheckLengths(src.Length, map, dst.Length);
        CheckLengths(exps.Length, map, sums.Length);
        CheckStep(step, src);
        if (step is not null && !AddsMessagesInLogSumExp(map))
        {
            step.WriteAll();
            step = null;
        }

        if (map.IsGeneral && src.Length >= ParallelCells && map.Bases.Length >= 2)
        {
            LogSumExpGeneralInHalves(src, map, dst, sums, exps);
        }
        else if (map.IsGeneral || src.Length < ParallelCells || !SplitKeepsRangeExpExact(map) || !TwoCores)
        {
            LogSumExpKeeping(src, map, dst, sums, exps, step);
        }
        else
        {
            Split(
                (src, map, dst, sums, exps, step),
                map.Kept,
                static (s, k0, k1) => LogSumExpKeepingRange(s.src, s.map, s.dst, s.sums, s.exps, k0, k1, step: s.step));
        }
    }

    /// <summary>
    /// Whether <see cref="LogSumExpOnto(double[], IndexMap[], double[][], IndexMap, double[], double[], double[], PotentialStep)"/> can
    /// add messages on the way: a blocked map whose every target owns one contiguous block of cells (<c>Outer = 1</c>,
    /// <c>Inner &gt; 1</c>), so each block is summed while it is in L1.
    /// </summary>
    public static bool AddsMessagesInLogSumExp(IndexMap map) => !map.IsGeneral && map.Outer == 1 && map.Inner > 1;

    /// <summary>
    /// <see cref="LogSumExpOnto(double[], IndexMap, double[], double[], double[], PotentialStep)"/> of <c>src + sum_j expand(messages[j])</c>
    /// for a map with <see cref="AddsMessagesInLogSumExp"/>: the messages are added piece by piece while the piece is in
    /// L1, so belief propagation writes no partial belief for the clique and reads none back. The same bits as adding
    /// them first (each cell's sum is the same IEEE addition). A <paramref name="step"/> writes <paramref name="src"/>
    /// piece by piece on the way.
    /// </summary>
    public static void LogSumExpOnto(
        double[] src, IndexMap[] maps, double[][] messages, IndexMap map, double[] dst, double[] sums, double[] exps, PotentialStep? step = null)
    {
        if (!AddsMessagesInLogSumExp(map))
        {
            throw new ArgumentException("Messages are added only through a map with one block of cells per target.", nameof(map));
        }

        CheckLengths(src.Length, map, dst.Length);
        CheckLengths(exps.Length, map, sums.Length);
        if (maps.Length != messages.Length)
        {
            throw new ArgumentException($"{maps.Length} maps for {messages.Length} messages.", nameof(messages));
        }

        for (var j = 0; j < maps.Length; j++)
        {
            CheckLengths(src.Length, maps[j], messages[j].Length);
        }

        CheckStep(step, src);
        if (src.Length < ParallelCells || !SplitKeepsRangeExpExact(map) || !TwoCores)
        {
            LogSumExpKeepingRange(src, map, dst, sums, exps, 0, map.Kept, maps, messages, step);
        }
        else
        {
            Split(
                (src, map, dst, sums, exps, maps, messages, step),
                map.Kept,
                static (s, k0, k1) => LogSumExpKeepingRange(s.src, s.map, s.dst, s.sums, s.exps, k0, k1, s.maps, s.messages, s.step));
        }
    }

    /// <summary>Multiplies a factor by a subset-clique factor, broadcast; on two cores when large.</summary>
    /// <remarks>Effectively computes <c>dst[i] *= small[map[i]]</c> (a product of potentials in probability space).</remarks>
    public static void MultiplyExpanded(double[] dst, IndexMap map, double[] small)
    {
        CheckLengths(dst.Length, map, small.Length);
        if (map.IsGeneral)
        {
            if (dst.Length < ParallelCells || map.Bases.Length < 2 || !TwoCores)
            {
                ExpandedGeneral(dst, map, small, dst, Operation.Multiply, 0, map.Bases.Length);
            }
            else
            {
                Split((dst, map, small), map.Bases.Length, static (s, r0, r1) => ExpandedGeneral(s.dst, s.map, s.small, s.dst, Operation.Multiply, r0, r1));
            }
        }
        else if (dst.Length < ParallelCells || map.Kept < 2 || !TwoCores)
        {
            ExpandedRange(dst, map, small, dst, Operation.Multiply, 0, map.Kept);
        }
        else if (IsNarrow(map, Operation.Multiply))
        {
            // Rows, not targets, to each core: each then reads a contiguous half, not every other cell of the whole.
            Split((dst, map, small), map.Outer, static (s, o0, o1) => NarrowRows(s.dst, s.map.Kept, s.small, s.dst, Operation.Multiply, o0, o1));
        }
        else
        {
            Split((dst, map, small), map.Kept, static (s, k0, k1) => ExpandedRange(s.dst, s.map, s.small, s.dst, Operation.Multiply, k0, k1));
        }
    }

    /// <summary>Adds a subset-clique factor, broadcast, onto a factor.</summary>
    /// <remarks>Effectively computes <c>dst[i] += small[map[i]]</c> (a product of potentials in log space).</remarks>
    public static void AddExpanded(Span<double> dst, IndexMap map, ReadOnlySpan<double> small) =>
        AddExpanded(dst, map, small, dst, exponentiate: false);

    /// <summary>Array form of <see cref="AddExpanded(Span{double}, IndexMap, ReadOnlySpan{double})"/>, on two cores when large.</summary>
    public static void AddExpanded(double[] dst, IndexMap map, double[] small) => AddExpanded(dst, map, small, dst, exponentiate: false);

    /// <summary>
    /// Adds a broadcast subset-clique factor to <paramref name="src"/> into <paramref name="dst"/>, optionally
    /// exponentiating the result in the same pass (in cache-sized slices).
    /// </summary>
    /// <remarks>
    /// Effectively computes <c>dst[i] = src[i] + small[map[i]]</c>, or <c>dst[i] = exp(src[i] + small[map[i]])</c>.
    /// <paramref name="src"/> may be <paramref name="dst"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddExpanded(ReadOnlySpan<double> src, IndexMap map, ReadOnlySpan<double> small, Span<double> dst, bool exponentiate)
    {
        CheckLengths(src.Length, map, small.Length);
        CheckLengths(dst.Length, map, small.Length);
        if (map.IsGeneral)
        {
            ExpandedGeneral(src, map, small, dst, exponentiate ? Operation.AddThenExp : Operation.Add, 0, map.Bases.Length);
            return;
        }

        ExpandedRange(src, map, small, dst, exponentiate ? Operation.AddThenExp : Operation.Add, 0, map.Kept);
    }

    /// <summary>Array form of <see cref="AddExpanded(ReadOnlySpan{double}, IndexMap, ReadOnlySpan{double}, Span{double}, bool)"/>, on two cores when large.</summary>
    public static void AddExpanded(double[] src, IndexMap map, double[] small, double[] dst, bool exponentiate)
    {
        if (map.IsGeneral && dst.Length >= ParallelCells && map.Bases.Length >= 2 && TwoCores)
        {
            CheckLengths(src.Length, map, small.Length);
            CheckLengths(dst.Length, map, small.Length);
            Split(
                (src, map, small, dst, operation: exponentiate ? Operation.AddThenExp : Operation.Add),
                map.Bases.Length,
                static (s, r0, r1) => ExpandedGeneral(s.src, s.map, s.small, s.dst, s.operation, r0, r1));
            return;
        }

        if (map.IsGeneral || dst.Length < ParallelCells || map.Kept < 2 || (exponentiate && !SplitKeepsExpExact(map)) || !TwoCores)
        {
            AddExpanded(src.AsSpan(), map, small, dst, exponentiate);
            return;
        }

        CheckLengths(src.Length, map, small.Length);
        CheckLengths(dst.Length, map, small.Length);
        if (IsNarrow(map, exponentiate ? Operation.AddThenExp : Operation.Add))
        {
            Split((src, map, small, dst), map.Outer, static (s, o0, o1) => NarrowRows(s.src, s.map.Kept, s.small, s.dst, Operation.Add, o0, o1));
            return;
        }

        Split(
            (src, map, small, dst, operation: exponentiate ? Operation.AddThenExp : Operation.Add),
            map.Kept,
            static (s, k0, k1) => ExpandedRange(s.src, s.map, s.small, s.dst, s.operation, k0, k1));
    }

    /// <summary>
    /// The count-scale marginal of a log-space factor and its log-normalizer, in two memory passes.
    /// </summary>
    /// <remarks>
    /// Effectively computes <c>log Z = log sum_i exp(src[i])</c> and <c>dst[i] = total * exp(src[i] - log Z)</c>. Pass
    /// one exponentiates each cache-sized chunk against its own maximum <c>m_c</c> and sums it (<c>s_c</c>); pass two
    /// rescales chunk <c>c</c> by <c>total * exp(m_c - M) / S</c>, where <c>M = max m_c</c> and
    /// <c>S = sum s_c exp(m_c - M)</c>. This replaces separate max, exp, sum and scale passes.
    /// </remarks>
    public static double NormalizedExp(double[] src, double total, double[] dst, double[] max, double[] sum) =>
        NormalizedExp(src, [], [], total, dst, max, sum);

    /// <summary>
    /// <see cref="NormalizedExp(double[], double, double[], double[], double[])"/> of <c>src + sum_j expand(messages[j])</c>:
    /// the messages are added chunk by chunk while the chunk is in L1, so the sum is never written to memory.
    /// </summary>
    /// <remarks>
    /// Effectively computes <c>b[i] = src[i] + sum_j messages[j][maps[j][i]]</c>, <c>log Z = log sum_i exp(b[i])</c> and
    /// <c>dst[i] = total * exp(b[i] - log Z)</c>. Belief propagation uses it for the root, the largest clique. A
    /// <paramref name="step"/> writes <paramref name="src"/> chunk by chunk on the way.
    /// </remarks>
    public static double NormalizedExp(
        double[] src, IndexMap[] maps, double[][] messages, double total, double[] dst, double[] max, double[] sum, PotentialStep? step = null)
    {
        CheckStep(step, src);
        var chunks = ChunkCount(src.Length);
        if (src.Length < ParallelCells || !TwoCores)
        {
            ExpChunks(src, maps, messages, dst, max, sum, 0, chunks, step);
        }
        else
        {
            Split(
                (src, maps, messages, dst, max, sum, step),
                chunks,
                static (s, c0, c1) => ExpChunks(s.src, s.maps, s.messages, s.dst, s.max, s.sum, c0, c1, s.step));
        }

        var globalMax = TensorPrimitives.Max(max.AsSpan(0, chunks));
        if (double.IsNegativeInfinity(globalMax))
        {
            // Every cell has probability 0 (structural zeros that rule out everything): no distribution to scale.
            Array.Clear(dst);
            return double.NegativeInfinity;
        }

        double total2 = 0;
        for (var c = 0; c < chunks; c++)
        {
            max[c] = Math.Exp(max[c] - globalMax);
            total2 += sum[c] * max[c];
        }

        var scale = total / total2;
        if (src.Length < ParallelCells || !TwoCores)
        {
            ScaleChunks(dst, scale, max, 0, chunks);
        }
        else
        {
            // Each chunk is scaled on its own, so the split changes no bit.
            Split((dst, scale, max), chunks, static (s, c0, c1) => ScaleChunks(s.dst, s.scale, s.max, c0, c1));
        }

        return globalMax + Math.Log(total2);
    }

    /// <summary>Chunks <c>[c0, c1)</c> of <paramref name="dst"/>, each times <c>scale * factors[c]</c>.</summary>
    private static void ScaleChunks(double[] dst, double scale, double[] factors, int c0, int c1)
    {
        for (var c = c0; c < c1; c++)
        {
            var start = c * ExpChunk;
            var d = dst.AsSpan(start, Math.Min(ExpChunk, dst.Length - start));
            TensorPrimitives.Multiply(d, scale * factors[c], d);
        }
    }

    private const int ExpChunk = 2048;

    /// <summary>The number of per-chunk entries <see cref="NormalizedExp(double[], double, double[], double[], double[])"/> needs for a factor of <paramref name="cells"/> cells.</summary>
    public static int ChunkCount(int cells) => (cells + ExpChunk - 1) / ExpChunk;

    /// <summary>Exponential of a shifted log-space vector.</summary>
    /// <remarks>
    /// Effectively computes <c>dst[i] = exp(src[i] + shift)</c>, in cache-sized chunks so the shifted values are
    /// exponentiated while still in L1 (one read and one write of memory instead of two each).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ExpShifted(ReadOnlySpan<double> src, double shift, Span<double> dst)
    {
        for (var start = 0; start < src.Length; start += ExpChunk)
        {
            var length = Math.Min(ExpChunk, src.Length - start);
            var d = dst.Slice(start, length);
            TensorPrimitives.Add(src.Slice(start, length), shift, d);
            TensorPrimitives.Exp(d, d);
        }
    }

    /// <summary>Array form of <see cref="ExpShifted(ReadOnlySpan{double}, double, Span{double})"/>, on two cores when large.</summary>
    public static void ExpShifted(double[] src, double shift, double[] dst)
    {
        if (src.Length < ParallelCells || !TwoCores)
        {
            ExpShifted(src.AsSpan(), shift, dst);
            return;
        }

        Split((src, shift, dst), src.Length, static (s, i0, i1) => ExpShifted(s.src.AsSpan(i0, i1 - i0), s.shift, s.dst.AsSpan(i0, i1 - i0)));
    }

    /// <summary>A step of mirror descent, on two cores when large.</summary>
    /// <remarks>Effectively computes <c>dst[i] = origin[i] - step * gradient[i]</c>.</remarks>
    public static void Step(double[] origin, double step, double[] gradient, double[] dst) => MultiplyAdd(gradient, -step, origin, dst);

    /// <summary>A scaled vector plus a vector, on two cores when large.</summary>
    /// <remarks>Effectively computes <c>dst[i] = x[i] * scale + addend[i]</c>.</remarks>
    public static void MultiplyAdd(double[] x, double scale, double[] addend, double[] dst)
    {
        if (dst.Length < ParallelCells || !TwoCores)
        {
            TensorPrimitives.MultiplyAdd(x, scale, addend, dst);
            return;
        }

        Split(
            (x, scale, addend, dst),
            dst.Length,
            static (s, i0, i1) => TensorPrimitives.MultiplyAdd(
                s.x.AsSpan(i0, i1 - i0), s.scale, s.addend.AsSpan(i0, i1 - i0), s.dst.AsSpan(i0, i1 - i0)));
    }

    /// <summary>The difference of two vectors, on two cores when large.</summary>
    /// <remarks>Effectively computes <c>dst[i] = a[i] - b[i]</c>.</remarks>
    public static void Subtract(double[] a, double[] b, double[] dst)
    {
        if (dst.Length < ParallelCells || !TwoCores)
        {
            TensorPrimitives.Subtract(a, b, dst);
            return;
        }

        Split(
            (a, b, dst),
            dst.Length,
            static (s, i0, i1) => TensorPrimitives.Subtract(s.a.AsSpan(i0, i1 - i0), s.b.AsSpan(i0, i1 - i0), s.dst.AsSpan(i0, i1 - i0)));
    }

    /// <summary>Cells per partial sum of <see cref="ChunkedSums{TState}"/>.</summary>
    public const int SumChunk = 4096;

    /// <summary>The number of doubles <see cref="ChunkedSums{TState}"/> needs in its partials for <paramref name="cells"/> cells.</summary>
    public static int SumPartials(int cells) => 2 * ((cells + SumChunk - 1) / SumChunk);

    /// <summary>
    /// Two sums over <c>[0, length)</c>, computed chunk by chunk by <paramref name="body"/> (on two cores when large) and
    /// then added in chunk order, so the rounding is the same whether one core or two computed them: fits stay
    /// reproducible bit for bit on any machine. <paramref name="partials"/> holds <see cref="SumPartials"/> doubles.
    /// </summary>
    public static (double A, double B) ChunkedSums<TState>(int length, TState state, RangeSums<TState> body, double[] partials)
    {
        var chunks = (length + SumChunk - 1) / SumChunk;
        if (length < ParallelCells || !TwoCores)
        {
            SumChunks(length, state, body, partials, 0, chunks);
        }
        else
        {
            Split((length, state, body, partials), chunks, static (s, c0, c1) => SumChunks(s.length, s.state, s.body, s.partials, c0, c1));
        }

        double a = 0, b = 0;
        for (var c = 0; c < chunks; c++)
        {
            a += partials[2 * c];
            b += partials[(2 * c) + 1];
        }

        return (a, b);
    }

    private static void SumChunks<TState>(int length, TState state, RangeSums<TState> body, double[] partials, int c0, int c1)
    {
        for (var c = c0; c < c1; c++)
        {
            var start = c * SumChunk;
            (partials[2 * c], partials[(2 * c) + 1]) = body(state, start, Math.Min(SumChunk, length - start));
        }
    }

    /// <summary>
    /// The mirror-descent step on a clique whose gradient is one fused measurement's, on two cores when large.
    /// </summary>
    /// <remarks>
    /// Effectively computes <c>g = mu[i] w2 + c[i]</c> and <c>dst[i] = g (-s) + u[i]</c>: <see cref="MultiplyAdd"/> and
    /// <see cref="Step"/> in one pass, each product and sum rounded as those two round them, so the same bits without
    /// writing the gradient and reading it back.
    /// </remarks>
    public static void GradientStep(double[] mu, double w2, double[] c, double[] u, double s, double[] dst)
    {
        if (dst.Length < ParallelCells || !TwoCores)
        {
            GradientStepRange(mu, w2, c, u, s, dst, 0, dst.Length);
            return;
        }

        Split((mu, w2, c, u, s, dst), dst.Length, static (p, i0, i1) => GradientStepRange(p.mu, p.w2, p.c, p.u, p.s, p.dst, i0, i1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GradientStepRange(double[] mu, double w2, double[] c, double[] u, double s, double[] dst, int i0, int i1)
    {
        var k = i0;
        var w = Vector<double>.Count;
        var minus = -s;
        if (Vector.IsHardwareAccelerated)
        {
            var (wv, sv) = (new Vector<double>(w2), new Vector<double>(minus));
            for (; k <= i1 - w; k += w)
            {
                var g = (new Vector<double>(mu, k) * wv) + new Vector<double>(c, k);
                ((g * sv) + new Vector<double>(u, k)).CopyTo(dst, k);
            }
        }

        for (; k < i1; k++)
        {
            dst[k] = (((mu[k] * w2) + c[k]) * minus) + u[k];
        }
    }

    /// <summary>
    /// The accelerated step on a clique whose gradient is one fused measurement's, on two cores when large.
    /// </summary>
    /// <remarks>
    /// Effectively computes <c>y = x[i] + t (z[i] - x[i])</c>, <c>g = y w2 + c[i]</c> and <c>dst[i] = g (-s) + u[i]</c>:
    /// <see cref="Lerp"/>, <see cref="MultiplyAdd"/> and <see cref="Step"/> in one pass, with each product and sum
    /// rounded as those three round them (no fused multiply-add), so the same bits.
    /// </remarks>
    public static void MixGradientStep(double[] x, double[] z, double t, double w2, double[] c, double[] u, double s, double[] dst)
    {
        if (dst.Length < ParallelCells || !TwoCores)
        {
            MixGradientStepRange(x, z, t, w2, c, u, s, dst, 0, dst.Length);
            return;
        }

        Split((x, z, t, w2, c, u, s, dst), dst.Length, static (p, i0, i1) => MixGradientStepRange(p.x, p.z, p.t, p.w2, p.c, p.u, p.s, p.dst, i0, i1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MixGradientStepRange(double[] x, double[] z, double t, double w2, double[] c, double[] u, double s, double[] dst, int i0, int i1)
    {
        var k = i0;
        var w = Vector<double>.Count;
        var minus = -s;
        if (Vector.IsHardwareAccelerated)
        {
            var (tv, wv, sv) = (new Vector<double>(t), new Vector<double>(w2), new Vector<double>(minus));
            for (; k <= i1 - w; k += w)
            {
                var xv = new Vector<double>(x, k);
                var y = xv + (tv * (new Vector<double>(z, k) - xv));
                var g = (y * wv) + new Vector<double>(c, k);
                ((g * sv) + new Vector<double>(u, k)).CopyTo(dst, k);
            }
        }

        for (; k < i1; k++)
        {
            var y = x[k] + (t * (z[k] - x[k]));
            var g = (y * w2) + c[k];
            dst[k] = (g * minus) + u[k];
        }
    }

    /// <summary>A convex combination of two vectors, on two cores when large.</summary>
    /// <remarks>
    /// Effectively computes <c>dst[i] = a[i] + t (b[i] - a[i])</c>; <paramref name="dst"/> may be <paramref name="a"/>.
    /// Written out rather than <see cref="TensorPrimitives.Lerp{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T})"/>,
    /// whose rounding differed between two runs of the same fit (the accelerated estimator must be reproducible).
    /// </remarks>
    public static void Lerp(double[] a, double[] b, double t, double[] dst)
    {
        if (dst.Length < ParallelCells || !TwoCores)
        {
            LerpRange(a, b, t, dst, 0, dst.Length);
            return;
        }

        Split((a, b, t, dst), dst.Length, static (s, i0, i1) => LerpRange(s.a, s.b, s.t, s.dst, i0, i1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LerpRange(double[] a, double[] b, double t, double[] dst, int i0, int i1)
    {
        var k = i0;
        var w = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var tv = new Vector<double>(t);
            for (; k <= i1 - w; k += w)
            {
                var av = new Vector<double>(a, k);
                (av + (tv * (new Vector<double>(b, k) - av))).CopyTo(dst, k);
            }
        }

        for (; k < i1; k++)
        {
            dst[k] = a[k] + (t * (b[k] - a[k]));
        }
    }

    /// <summary>Log-sum-exp of a whole log-space vector.</summary>
    /// <remarks>Effectively computes <c>log sum_i exp(src[i])</c>; <paramref name="scratch"/> holds src.Length doubles.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogSumExp(ReadOnlySpan<double> src, Span<double> scratch)
    {
        if (src.IsEmpty)
        {
            return double.NegativeInfinity;
        }

        var max = TensorPrimitives.Max(src);
        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var tmp = scratch[..src.Length];
        ExpShifted(src, -max, tmp);
        return max + Math.Log(FixedSum(tmp));
    }

    /// <summary>
    /// The sum of <paramref name="values"/> in a fixed order (four vector accumulators, then the tail). Unlike
    /// <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>, which aligns its loads to the span's address, the rounding
    /// does not depend on where the collector put the array, so fits are reproducible bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FixedSum(ReadOnlySpan<double> values)
    {
        var w = Vector<double>.Count;
        var k = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= 4 * w)
        {
            Vector<double> a0 = Vector<double>.Zero, a1 = Vector<double>.Zero, a2 = Vector<double>.Zero, a3 = Vector<double>.Zero;
            for (; k <= values.Length - (4 * w); k += 4 * w)
            {
                a0 += new Vector<double>(values[k..]);
                a1 += new Vector<double>(values[(k + w)..]);
                a2 += new Vector<double>(values[(k + (2 * w))..]);
                a3 += new Vector<double>(values[(k + (3 * w))..]);
            }

            sum = Vector.Sum((a0 + a1) + (a2 + a3));
        }

        for (; k < values.Length; k++)
        {
            sum += values[k];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumOntoRange(ReadOnlySpan<double> src, IndexMap map, Span<double> dst, int k0, int k1)
    {
        int kept = map.Kept, inner = map.Inner, width = kept * inner;
        var part = dst[k0..k1];
        part.Clear();
        if (inner == 1 && k1 - k0 < NarrowKept)
        {
            NarrowSums(src, width, map.Outer, k0, part);
            return;
        }

        for (var o = 0; o < map.Outer; o++)
        {
            if (inner == 1)
            {
                TensorPrimitives.Add(part, src.Slice((o * width) + k0, k1 - k0), part);
            }
            else
            {
                for (var k = k0; k < k1; k++)
                {
                    dst[k] += FixedSum(src.Slice((o * width) + (k * inner), inner));
                }
            }
        }
    }

    /// <summary>
    /// <c>part[k] = sum_o src[o width + k0 + k]</c> for a few targets (a separator of one small attribute at the clique's
    /// end), each summed in row order as <see cref="SumOntoRange"/> sums it, so the same bits. A call a row cost more than
    /// its additions, and two cores adding into neighbouring cells of one array fought over its cache line: a 3,029,400-cell
    /// clique onto 2 targets took 43 ms. The sums are kept in registers (one or two targets) or on this thread's stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowSums(ReadOnlySpan<double> src, int width, int outer, int k0, Span<double> part)
    {
        if (part.Length == 1)
        {
            double s0 = 0;
            for (var o = 0; o < outer; o++)
            {
                s0 += src[(o * width) + k0];
            }

            part[0] = s0;
            return;
        }

        if (part.Length == 2)
        {
            double s0 = 0, s1 = 0;
            for (var o = 0; o < outer; o++)
            {
                var at = (o * width) + k0;
                s0 += src[at];
                s1 += src[at + 1];
            }

            (part[0], part[1]) = (s0, s1);
            return;
        }

        Span<double> sums = stackalloc double[NarrowKept];
        sums = sums[..part.Length];
        sums.Clear();
        for (var o = 0; o < outer; o++)
        {
            var row = src.Slice((o * width) + k0, part.Length);
            for (var k = 0; k < row.Length; k++)
            {
                sums[k] += row[k];
            }
        }

        sums.CopyTo(part);
    }

    /// <summary>What <see cref="ExpandedGeneral"/> does with a source cell and its broadcast value.</summary>
    private enum Operation
    {
        Add,
        AddThenExp,
        Multiply,
    }

    /// <summary>Sums onto a target through a general map, run by run (each run read once, its offsets from L1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumOntoGeneral(ReadOnlySpan<double> src, IndexMap map, Span<double> dst)
    {
        dst.Clear();
        SumOntoGeneralRange(src, map, dst, 0, map.Bases.Length);
    }

    /// <summary>Adds runs <c>[r0, r1)</c> of <paramref name="src"/> onto <paramref name="dst"/> through a general map.</summary>
    private static void SumOntoGeneralRange(ReadOnlySpan<double> src, IndexMap map, Span<double> dst, int r0, int r1) =>
        ReduceGeneralRange<SumReduction>(src, map, dst, r0, r1);

    /// <summary>
    /// Reduces runs <c>[r0, r1)</c> of <paramref name="src"/> into <paramref name="target"/> through a general map: a run
    /// whose offsets are all 0 is reduced to one value first, one with consecutive offsets element-wise, others cell by
    /// cell.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceGeneralRange<TReduction>(ReadOnlySpan<double> src, IndexMap map, Span<double> target, int r0, int r1)
        where TReduction : IRunReduction
    {
        int run = map.Run;
        var offsets = map.Offsets;
        for (var r = r0; r < r1; r++)
        {
            var s = src.Slice(r * run, run);
            var b = map.Bases[r];
            if (map.OffsetsAreZero)
            {
                target[b] = TReduction.Combine(target[b], TReduction.OfRun(s));
            }
            else if (map.OffsetsAreIdentity)
            {
                TReduction.Into(target.Slice(b, run), s);
            }
            else
            {
                ReduceStretches<TReduction>(s, map, target, b);
            }
        }
    }

    /// <summary>
    /// <c>e[q] = run[q] - shift[b + Offsets[q]]</c> for one run: a patterned stretch (<see cref="IndexMap.Stretches"/>)
    /// subtracts a vector of its pattern's shifts, the other cells one by one. Element-wise, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubtractShifts(ReadOnlySpan<double> run, IndexMap map, ReadOnlySpan<double> shift, int b, Span<double> e)
    {
        var offsets = map.Offsets;
        var w = Vector<double>.Count;
        Span<double> pattern = stackalloc double[w];
        foreach (var stretch in map.Stretches)
        {
            var q = stretch.Start;
            var end = stretch.Start + stretch.Length;
            if (Vector.IsHardwareAccelerated && stretch.Period > 0 && w % stretch.Period == 0)
            {
                for (var j = 0; j < w; j++)
                {
                    pattern[j] = shift[b + stretch.First + (j % stretch.Period)];
                }

                // A vector starts a whole number of periods into the stretch, so lane j's offset is First + j % Period.
                var shifts = new Vector<double>(pattern);
                for (; q <= end - w; q += w)
                {
                    (new Vector<double>(run[q..]) - shifts).CopyTo(e[q..]);
                }
            }

            for (; q < end; q++)
            {
                e[q] = run[q] - shift[b + offsets[q]];
            }
        }
    }

    /// <summary>
    /// <c>target[b + Offsets[q]] = Combine(target[b + Offsets[q]], run[q])</c> for every cell of one run, in cell order,
    /// stretch by stretch (<see cref="IndexMap.Stretches"/>): a patterned stretch keeps its targets in registers, so a
    /// run whose offsets go 0,1,0,1 no longer reads and writes a target cell every cell and waits for each write to be
    /// read back (the shifted exponentials and sums of AIM's 3,029,400-cell clique onto its separator took 13.3 ms on one
    /// core so, its maxima 6.6 ms). Each target still combines its cells in cell order, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceStretches<TReduction>(ReadOnlySpan<double> run, IndexMap map, Span<double> target, int b)
        where TReduction : IRunReduction
    {
        var offsets = map.Offsets;
        foreach (var stretch in map.Stretches)
        {
            var cells = run.Slice(stretch.Start, stretch.Length);
            var targets = target.Slice(b + stretch.First, stretch.Period);
            switch (stretch.Period)
            {
                case 1:
                    {
                        var t0 = targets[0];
                        foreach (var x in cells)
                        {
                            t0 = TReduction.Combine(t0, x);
                        }

                        targets[0] = t0;
                        break;
                    }

                case 2:
                    {
                        var (t0, t1) = (targets[0], targets[1]);
                        for (var i = 0; i < cells.Length; i += 2)
                        {
                            t0 = TReduction.Combine(t0, cells[i]);
                            t1 = TReduction.Combine(t1, cells[i + 1]);
                        }

                        (targets[0], targets[1]) = (t0, t1);
                        break;
                    }

                case 4:
                    {
                        var (t0, t1, t2, t3) = (targets[0], targets[1], targets[2], targets[3]);
                        for (var i = 0; i < cells.Length; i += 4)
                        {
                            t0 = TReduction.Combine(t0, cells[i]);
                            t1 = TReduction.Combine(t1, cells[i + 1]);
                            t2 = TReduction.Combine(t2, cells[i + 2]);
                            t3 = TReduction.Combine(t3, cells[i + 3]);
                        }

                        (targets[0], targets[1], targets[2], targets[3]) = (t0, t1, t2, t3);
                        break;
                    }

                default:
                    for (var q = stretch.Start; q < stretch.Start + stretch.Length; q++)
                    {
                        ref var t = ref target[b + offsets[q]];
                        t = TReduction.Combine(t, run[q]);
                    }

                    break;
            }
        }
    }

    /// <summary>A reduction of <see cref="ReduceGeneralRange{TReduction}"/>.</summary>
    private interface IRunReduction
    {
        /// <summary>The reduction of a whole run.</summary>
        static abstract double OfRun(ReadOnlySpan<double> run);

        /// <summary>Element-wise <c>target[q] = Combine(target[q], run[q])</c>.</summary>
        static abstract void Into(Span<double> target, ReadOnlySpan<double> run);

        /// <summary>Two values into one.</summary>
        static abstract double Combine(double a, double b);
    }

    /// <summary>Sums (each run's own sum in <see cref="FixedSum"/>'s fixed order).</summary>
    private readonly struct SumReduction : IRunReduction
    {
        public static double OfRun(ReadOnlySpan<double> run) => FixedSum(run);

        public static void Into(Span<double> target, ReadOnlySpan<double> run) => TensorPrimitives.Add(target, run, target);

        public static double Combine(double a, double b) => a + b;
    }

    /// <summary>Maxima.</summary>
    private readonly struct MaxReduction : IRunReduction
    {
        public static double OfRun(ReadOnlySpan<double> run) => TensorPrimitives.Max(run);

        public static void Into(Span<double> target, ReadOnlySpan<double> run) => TensorPrimitives.Max(target, run, target);

        public static double Combine(double a, double b) => Math.Max(a, b);
    }

    /// <summary>
    /// <c>dst[i] = src[i] op small[map[i]]</c> over runs <c>[r0, r1)</c> of a general map (<paramref name="src"/> may be
    /// <paramref name="dst"/>); with <see cref="Operation.AddThenExp"/> each run is exponentiated while in L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpandedGeneral(
        ReadOnlySpan<double> src, IndexMap map, ReadOnlySpan<double> small, Span<double> dst, Operation operation, int r0, int r1)
    {
        int run = map.Run;
        var offsets = map.Offsets;
        for (var r = r0; r < r1; r++)
        {
            var s = src.Slice(r * run, run);
            var d = dst.Slice(r * run, run);
            var b = map.Bases[r];
            if (map.OffsetsAreZero)
            {
                Apply(s, small[b], d, operation);
                continue;
            }

            if (map.OffsetsAreIdentity)
            {
                Apply(s, small.Slice(b, run), d, operation);
                continue;
            }

            if (operation == Operation.Multiply)
            {
                for (var q = 0; q < run; q++)
                {
                    d[q] = s[q] * small[b + offsets[q]];
                }
            }
            else
            {
                for (var q = 0; q < run; q++)
                {
                    d[q] = s[q] + small[b + offsets[q]];
                }
            }

            if (operation == Operation.AddThenExp)
            {
                TensorPrimitives.Exp(d, d);
            }
        }
    }

    /// <summary>
    /// The kept log-sum-exp of <see cref="LogSumExpOnto(double[], IndexMap, double[], double[], double[], PotentialStep)"/> on one core:
    /// through the general map's runs, or the blocked form's target range.
    /// </summary>
    private static void LogSumExpKeeping(
        ReadOnlySpan<double> src, IndexMap map, Span<double> dst, Span<double> sums, Span<double> exps, PotentialStep? step = null)
    {
        if (map.IsGeneral)
        {
            LogSumExpGeneral(src, map, dst, sums, exps);
        }
        else
        {
            LogSumExpKeepingRange(src, map, dst, sums, exps, 0, map.Kept, step: step);
        }
    }

    /// <summary>
    /// Log-sum-exp through a general map, run by run: the per-target maximum, then the shifted exponentials (kept in
    /// <paramref name="exps"/> at the source's positions), their per-target sums and <c>dst[j] = m_j + log sums[j]</c>,
    /// as in the blocked form.
    /// </summary>
    private static void LogSumExpGeneral(ReadOnlySpan<double> src, IndexMap map, Span<double> dst, Span<double> sums, Span<double> exps)
    {
        dst.Fill(double.NegativeInfinity);
        MaxGeneralRange(src, map, dst, 0, map.Bases.Length);
        ShiftOfEmptyTargets(dst);
        sums.Clear();
        ExpSumGeneralRange(src, map, dst, sums, exps, 0, map.Bases.Length);
        FinishKeptLogSumExp(dst, sums);
    }

    /// <summary>
    /// <see cref="LogSumExpGeneral"/> with exponentials kept, for a large source: each pass runs on the two halves of the
    /// runs (on two cores when there are), each half into its own targets, then combined. The maximum of two maxima is
    /// exact and the sums are added in one fixed order, so the result does not depend on the core count.
    /// </summary>
    private static void LogSumExpGeneralInHalves(double[] src, IndexMap map, double[] dst, double[] sums, double[] exps)
    {
        var other = ArrayPool<double>.Shared.Rent(dst.Length);
        try
        {
            var second = other.AsSpan(0, dst.Length);
            dst.AsSpan().Fill(double.NegativeInfinity);
            second.Fill(double.NegativeInfinity);
            InHalves((src, map, dst, other), map.Bases.Length, static (s, r0, r1, half) =>
                MaxGeneralRange(s.src, s.map, half ? s.other.AsSpan(0, s.dst.Length) : s.dst, r0, r1));
            TensorPrimitives.Max(dst, second, dst);
            ShiftOfEmptyTargets(dst);
            Array.Clear(sums);
            second.Clear();
            InHalves((src, map, dst, sums, exps, other), map.Bases.Length, static (s, r0, r1, half) =>
                ExpSumGeneralRange(s.src, s.map, s.dst, half ? s.other.AsSpan(0, s.dst.Length) : s.sums, s.exps, r0, r1));
            TensorPrimitives.Add(sums, second, sums);
            FinishKeptLogSumExp(dst, sums);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(other);
        }
    }

    /// <summary>The per-target maximum over runs <c>[r0, r1)</c>, into <paramref name="max"/> (which it only raises).</summary>
    private static void MaxGeneralRange(ReadOnlySpan<double> src, IndexMap map, Span<double> max, int r0, int r1) =>
        ReduceGeneralRange<MaxReduction>(src, map, max, r0, r1);

    /// <summary>
    /// The exponentials shifted by their target's <paramref name="shift"/> over runs <c>[r0, r1)</c>, written to
    /// <paramref name="exps"/> at the source's positions and added into <paramref name="sums"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpSumGeneralRange(
        ReadOnlySpan<double> src, IndexMap map, ReadOnlySpan<double> shift, Span<double> sums, Span<double> exps, int r0, int r1)
    {
        int run = map.Run;
        var offsets = map.Offsets;
        for (var r = r0; r < r1; r++)
        {
            var s = src.Slice(r * run, run);
            var e = exps.Slice(r * run, run);
            var b = map.Bases[r];
            if (map.OffsetsAreZero)
            {
                TensorPrimitives.Subtract(s, shift[b], e);
                TensorPrimitives.Exp(e, e);
                sums[b] += FixedSum(e);
            }
            else if (map.OffsetsAreIdentity)
            {
                TensorPrimitives.Subtract(s, shift.Slice(b, run), e);
                TensorPrimitives.Exp(e, e);
                var sum = sums.Slice(b, run);
                TensorPrimitives.Add(sum, e, sum);
            }
            else
            {
                SubtractShifts(s, map, shift, b, e);
                TensorPrimitives.Exp(e, e);
                ReduceStretches<SumReduction>(e, map, sums, b);
            }
        }
    }

    /// <summary>
    /// The blocked form of <see cref="LogSumExpOnto(double[], IndexMap, double[], double[], double[], PotentialStep)"/> for target cells
    /// <c>[k0, k1)</c>, with <paramref name="maps"/>' <paramref name="messages"/> added to the source on the way (only
    /// for a map with <see cref="AddsMessagesInLogSumExp"/>; so is <paramref name="step"/>, which writes the source's
    /// pieces before they are read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LogSumExpKeepingRange(
        ReadOnlySpan<double> src, IndexMap map, Span<double> dst, Span<double> sums, Span<double> exps, int k0, int k1,
        IndexMap[]? maps = null, double[][]? messages = null, PotentialStep? step = null)
    {
        if (AddsMessagesInLogSumExp(map))
        {
            LogSumExpOfBlocks(src, map.Inner, dst, sums, exps, k0, k1, maps ?? [], messages ?? [], step);
            return;
        }

        if (step is not null)
        {
            // The callers write such a step in full first; taking it here would leave the potentials unwritten.
            throw new ArgumentException("A step is taken on the way only through a map with one block of cells per target.", nameof(step));
        }

        int kept = map.Kept, inner = map.Inner, width = kept * inner, length = k1 - k0;
        var max = dst.Slice(k0, length);
        var sum = sums.Slice(k0, length);
        sum.Clear();
        if (inner == 1)
        {
            src.Slice(k0, length).CopyTo(max);
            for (var o = 1; o < map.Outer; o++)
            {
                TensorPrimitives.Max(max, src.Slice((o * width) + k0, length), max);
            }

            ShiftOfEmptyTargets(max);
            for (var o = 0; o < map.Outer; o++)
            {
                var e = exps.Slice((o * width) + k0, length);
                TensorPrimitives.Subtract(src.Slice((o * width) + k0, length), max, e);
                TensorPrimitives.Exp(e, e);
                TensorPrimitives.Add(sum, e, sum);
            }
        }
        else
        {
            max.Fill(double.NegativeInfinity);
            for (var o = 0; o < map.Outer; o++)
            {
                for (var k = k0; k < k1; k++)
                {
                    dst[k] = Math.Max(dst[k], TensorPrimitives.Max<double>(src.Slice((o * width) + (k * inner), inner)));
                }
            }

            ShiftOfEmptyTargets(max);
            var blocks = Math.Max(1, ExpChunk / inner);
            for (var o = 0; o < map.Outer; o++)
            {
                // The shifted cells of an L1-sized piece of blocks first, then one exponential of the piece, then its
                // blocks' sums while it is still in L1: a block of a few dozen cells paid for a call of its own (0.6 ms
                // of the 3-way chain's BP run had blocks of 42), and a whole range streamed through memory three times.
                // Each cell gets the same bits as from one exponential of the whole range: a subtraction is exact in
                // any lane, and the vector exponential computes a span of at least one vector lane by lane (no piece is
                // shorter than 16 cells unless the whole range is; blocked maps have Inner >= 16, so that guard only
                // protects a future map). Except near a lane whose shifted value is below about -709 (a structural
                // zero's -inf, the accelerated method's -800 for an empty cell): the vector exponential then takes
                // another path for the whole vector and may round its other lanes differently, and which cells share a
                // vector follows the array's alignment, so there the last bit may differ between runs.
                var from = (o * width) + (k0 * inner);
                for (var k = 0; k < length;)
                {
                    var n = Math.Min(blocks, length - k);
                    if ((length - k - n) * inner is > 0 and < 16)
                    {
                        n = length - k;
                    }

                    var piece = exps.Slice(from + (k * inner), n * inner);
                    SubtractBlockShifts(src.Slice(from + (k * inner), n * inner), max.Slice(k, n), inner, piece);
                    TensorPrimitives.Exp(piece, piece);
                    for (var q = 0; q < n; q++)
                    {
                        sum[k + q] += FixedSum(piece.Slice(q * inner, inner));
                    }

                    k += n;
                }
            }
        }

        FinishKeptLogSumExp(max, sum);
    }

    /// <summary>
    /// The kept log-sum-exp when target <c>k</c> owns the contiguous block <c>[k inner, (k + 1) inner)</c>, for targets
    /// <c>[k0, k1)</c>: one pass, an L1-sized piece of blocks at a time (messages added, each block's maximum, the shifted
    /// cells, one exponential of the piece, the blocks' sums), so the source is read once. The same bits as the
    /// two-pass form into the same arrays: every step is the same operation on the same cell (see
    /// <see cref="LogSumExpKeepingRange"/> for the exponential's one exception, near shifted values below about -709).
    /// A <paramref name="step"/> writes each piece of the source just before it is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LogSumExpOfBlocks(
        ReadOnlySpan<double> src, int inner, Span<double> dst, Span<double> sums, Span<double> exps, int k0, int k1,
        IndexMap[] maps, double[][] messages, PotentialStep? step)
    {
        var length = k1 - k0;
        var blocks = Math.Max(1, ExpChunk / inner);
        for (var k = 0; k < length;)
        {
            var n = Math.Min(blocks, length - k);
            if ((length - k - n) * inner is > 0 and < 16)
            {
                n = length - k;
            }

            var start = (k0 + k) * inner;
            var piece = exps.Slice(start, n * inner);
            step?.Write(start, n * inner);
            ReadOnlySpan<double> beliefs = src.Slice(start, n * inner);
            if (maps.Length > 0)
            {
                beliefs.CopyTo(piece);
                for (var j = 0; j < maps.Length; j++)
                {
                    AddExpandedSlice(piece, start, maps[j], messages[j]);
                }

                beliefs = piece;
            }

            var shift = dst.Slice(k0 + k, n);
            for (var q = 0; q < n; q++)
            {
                shift[q] = TensorPrimitives.Max<double>(beliefs.Slice(q * inner, inner));
            }

            ShiftOfEmptyTargets(shift);
            SubtractBlockShifts(beliefs, shift, inner, piece);
            TensorPrimitives.Exp(piece, piece);
            var sum = sums.Slice(k0 + k, n);
            for (var q = 0; q < n; q++)
            {
                sum[q] = FixedSum(piece.Slice(q * inner, inner));
            }

            FinishKeptLogSumExp(shift, sum);
            k += n;
        }
    }

    /// <summary>
    /// <c>dst[i] = src[i] + value</c> inline (<paramref name="src"/> may be <paramref name="dst"/>): runs and blocks of a
    /// few dozen cells (the root's message of the 3-way chain repeats each value 99 times, its largest child's
    /// log-sum-exp has blocks of 42) paid more for a call each than for their work. A sum is exact in any lane, so the
    /// bits are those of the call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBroadcast(ReadOnlySpan<double> src, double value, Span<double> dst)
    {
        var w = Vector<double>.Count;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var v = new Vector<double>(value);
            for (; i <= src.Length - w; i += w)
            {
                (new Vector<double>(src[i..]) + v).CopyTo(dst[i..]);
            }
        }

        for (; i < src.Length; i++)
        {
            dst[i] = src[i] + value;
        }
    }

    /// <summary><c>dst[i] = src[i] - shifts[i / inner]</c>: each block of <paramref name="inner"/> cells less its own shift.</summary>
    private static void SubtractBlockShifts(ReadOnlySpan<double> src, ReadOnlySpan<double> shifts, int inner, Span<double> dst)
    {
        for (var k = 0; k < shifts.Length; k++)
        {
            // a - s and a + (-s) are the same IEEE operation, to the bit.
            AddBroadcast(src.Slice(k * inner, inner), -shifts[k], dst.Slice(k * inner, inner));
        }
    }

    /// <summary>A target whose every cell is <c>-inf</c> is shifted by 0, so its exponentials are <c>exp(-inf) = 0</c>, not NaN.</summary>
    private static void ShiftOfEmptyTargets(Span<double> max)
    {
        for (var j = 0; j < max.Length; j++)
        {
            if (double.IsNegativeInfinity(max[j]))
            {
                max[j] = 0;
            }
        }
    }

    /// <summary><c>dst[j] = shift_j + log(sums_j)</c>: <c>-inf</c> for an empty target, whose sum is 0.</summary>
    private static void FinishKeptLogSumExp(Span<double> shift, ReadOnlySpan<double> sums)
    {
        for (var j = 0; j < shift.Length; j++)
        {
            shift[j] = sums[j] > 0 ? shift[j] + Math.Log(sums[j]) : double.NegativeInfinity;
        }
    }

    /// <summary>
    /// <c>dst[i] = src[i] op small[map[i]]</c> over target cells <c>[k0, k1)</c> of a blocked map (<paramref name="src"/>
    /// may be <paramref name="dst"/>); with <see cref="Operation.AddThenExp"/> each slice is exponentiated while in L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpandedRange(
        ReadOnlySpan<double> src, IndexMap map, ReadOnlySpan<double> small, Span<double> dst, Operation operation, int k0, int k1)
    {
        int kept = map.Kept, inner = map.Inner, width = kept * inner;
        if (IsNarrow(map, operation) && k0 == 0 && k1 == kept)
        {
            NarrowRows(src, kept, small, dst, operation, 0, map.Outer);
            return;
        }

        for (var o = 0; o < map.Outer; o++)
        {
            if (inner == 1)
            {
                var offset = (o * width) + k0;
                Apply(src.Slice(offset, k1 - k0), small[k0..k1], dst.Slice(offset, k1 - k0), operation);
            }
            else
            {
                for (var k = k0; k < k1; k++)
                {
                    var offset = (o * width) + (k * inner);
                    Apply(src.Slice(offset, inner), small[k], dst.Slice(offset, inner), operation);
                }
            }
        }
    }

    /// <summary>Rows of fewer than this many target cells are summed or broadcast inline, not a call a row.</summary>
    private const int NarrowKept = 16;

    /// <summary>
    /// Whether a blocked map broadcasts through <see cref="NarrowRows"/>: one cell a target in each row (<c>Inner = 1</c>)
    /// and fewer than <see cref="NarrowKept"/> targets, with an element-wise operation (not one that exponentiates, whose
    /// short spans keep their own rounding).
    /// </summary>
    private static bool IsNarrow(IndexMap map, Operation operation) =>
        !map.IsGeneral && map.Inner == 1 && map.Kept < NarrowKept && operation != Operation.AddThenExp;

    /// <summary>
    /// <c>dst[i] = src[i] op small[i % kept]</c> over rows <c>[o0, o1)</c> of a narrow blocked map (<see cref="IsNarrow"/>):
    /// the rows are contiguous, so they are read as one span against a pattern of the targets repeated to a whole number
    /// of vectors. A separator of one small attribute at the end of a 3,029,400-cell clique took 17 ms as a call of two
    /// cells a row. Element-wise, so the same bits as any other order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowRows(
        ReadOnlySpan<double> src, int kept, ReadOnlySpan<double> small, Span<double> dst, Operation operation, int o0, int o1)
    {
        var w = Vector<double>.Count;
        var period = kept * w;
        Span<double> pattern = stackalloc double[period];
        for (var p = 0; p < period; p++)
        {
            pattern[p] = small[p % kept];
        }

        int i = o0 * kept, end = o1 * kept;
        var multiply = operation == Operation.Multiply;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= end - period; i += period)
            {
                for (var v = 0; v < period; v += w)
                {
                    var a = new Vector<double>(src[(i + v)..]);
                    var b = new Vector<double>(pattern[v..]);
                    (multiply ? a * b : a + b).CopyTo(dst[(i + v)..]);
                }
            }
        }

        // i is a whole number of rows past o0 * kept, so cell i's target is i % kept.
        for (; i < end; i++)
        {
            dst[i] = multiply ? src[i] * small[i % kept] : src[i] + small[i % kept];
        }
    }

    /// <summary><c>d = s op values</c> element-wise, then <c>exp</c> for <see cref="Operation.AddThenExp"/>.</summary>
    private static void Apply(ReadOnlySpan<double> s, ReadOnlySpan<double> values, Span<double> d, Operation operation)
    {
        if (operation == Operation.Multiply)
        {
            TensorPrimitives.Multiply(s, values, d);
            return;
        }

        TensorPrimitives.Add(s, values, d);
        if (operation == Operation.AddThenExp)
        {
            TensorPrimitives.Exp(d, d);
        }
    }

    /// <summary><c>d = s op value</c> element-wise, then <c>exp</c> for <see cref="Operation.AddThenExp"/>.</summary>
    private static void Apply(ReadOnlySpan<double> s, double value, Span<double> d, Operation operation)
    {
        if (operation == Operation.Multiply)
        {
            TensorPrimitives.Multiply(s, value, d);
            return;
        }

        TensorPrimitives.Add(s, value, d);
        if (operation == Operation.AddThenExp)
        {
            TensorPrimitives.Exp(d, d);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpChunks(
        double[] src, IndexMap[] maps, double[][] messages, double[] dst, double[] max, double[] sum, int c0, int c1, PotentialStep? step)
    {
        for (var c = c0; c < c1; c++)
        {
            var start = c * ExpChunk;
            var length = Math.Min(ExpChunk, src.Length - start);
            step?.Write(start, length);
            var d = dst.AsSpan(start, length);
            src.AsSpan(start, length).CopyTo(d);
            for (var j = 0; j < maps.Length; j++)
            {
                AddExpandedSlice(d, start, maps[j], messages[j]);
            }

            max[c] = TensorPrimitives.Max<double>(d);
            if (double.IsNegativeInfinity(max[c]))
            {
                // Every cell of the chunk is a structural zero: exp gives 0, where -inf - -inf would give NaN.
                d.Clear();
                sum[c] = 0;
                continue;
            }

            TensorPrimitives.Subtract(d, max[c], d);
            TensorPrimitives.Exp(d, d);
            sum[c] = FixedSum(d);
        }
    }

    /// <summary>
    /// Adds a broadcast message to cells <c>start .. start + d.Length - 1</c> of a factor (held in <paramref name="d"/>).
    /// </summary>
    /// <remarks>
    /// Effectively computes <c>d[i - start] += small[map[i]]</c>. In the blocked form cell <c>i</c> maps to
    /// <c>(i / Inner) % Kept</c>, so the slice splits into runs: with <c>Inner = 1</c> a run is a contiguous piece of
    /// <paramref name="small"/>, otherwise a run of up to <c>Inner</c> cells shares one value. In the general form the
    /// slice is cut at the map's runs (a slice may start or end inside one), each piece read through its run's base.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddExpandedSlice(Span<double> d, int start, IndexMap map, ReadOnlySpan<double> small)
    {
        var end = start + d.Length;
        if (map.IsGeneral)
        {
            int run = map.Run;
            for (var i = start; i < end;)
            {
                var q = i % run;
                var length = Math.Min(end - i, run - q);
                var part = d.Slice(i - start, length);
                var b = map.Bases[i / run];
                if (map.OffsetsAreZero)
                {
                    TensorPrimitives.Add(part, small[b], part);
                }
                else if (map.OffsetsAreIdentity)
                {
                    TensorPrimitives.Add(part, small.Slice(b + q, length), part);
                }
                else
                {
                    var offsets = map.Offsets.AsSpan(q, length);
                    for (var t = 0; t < length; t++)
                    {
                        part[t] += small[b + offsets[t]];
                    }
                }

                i += length;
            }

            return;
        }

        int kept = map.Kept, inner = map.Inner;
        for (var i = start; i < end;)
        {
            var k = (i / inner) % kept;
            if (inner == 1 && kept < NarrowKept)
            {
                // A call a row of a few cells cost more than its additions (see NarrowRows): inline, the same sums, with
                // the target stepped along rather than a division a cell.
                for (; i < end; i++)
                {
                    d[i - start] += small[k];
                    k = k + 1 == kept ? 0 : k + 1;
                }
            }
            else if (inner == 1)
            {
                var run = Math.Min(end - i, kept - k);
                var part = d.Slice(i - start, run);
                TensorPrimitives.Add(part, small.Slice(k, run), part);
                i += run;
            }
            else
            {
                var run = Math.Min(end - i, inner - (i % inner));
                var part = d.Slice(i - start, run);
                AddBroadcast(part, small[k], part);
                i += run;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on <c>[0, end/2)</c> and <c>[end/2, end)</c> on two cores. Callers pass static
    /// lambdas and a value-tuple state, so the only allocations are this method's own (the halves' closures), and only
    /// on the large, parallel path.
    /// </summary>
    private static void Split<TState>(TState state, int end, Action<TState, int, int> body)
    {
        var mid = end / 2;
        SecondCore.Run(() => body(state, 0, mid), () => body(state, mid, end));
    }

    /// <summary>
    /// Whether splitting a blocked map's targets over two cores leaves every exponential as it is on one core. With
    /// <c>Inner = 1</c> a kernel exponentiates spans of <c>[k0, k1)</c>, and <see cref="TensorPrimitives"/> computes a
    /// span shorter than a vector with scalar code, which may round differently: each half must span at least two
    /// 512-bit vectors (16 doubles) for the vector code to compute every cell either way. With <c>Inner &gt; 1</c>
    /// the spans are whole blocks, whatever the split.
    /// </summary>
    private static bool SplitKeepsExpExact(IndexMap map) => map.Inner > 1 ? map.Kept >= 2 : map.Kept >= 32;

    /// <summary>
    /// The same for a kernel that exponentiates the whole span of its targets' blocks at once (the blocked log-sum-exp):
    /// each half's span, at least <c>floor(Kept / 2) Inner</c> cells, must hold two 512-bit vectors.
    /// </summary>
    private static bool SplitKeepsRangeExpExact(IndexMap map) => map.Kept >= 2 && (map.Kept / 2 * map.Inner) >= 16;

    /// <summary>
    /// Runs <paramref name="body"/> on <c>[0, end/2)</c> (third argument false) and <c>[end/2, end)</c> (true): on two
    /// cores when there are, else one after the other. Callers give each half its own targets and combine them in a
    /// fixed order, so the result is the same on any machine.
    /// </summary>
    private static void InHalves<TState>(TState state, int end, Action<TState, int, int, bool> body)
    {
        var mid = end / 2;
        if (TwoCores)
        {
            SecondCore.Run(() => body(state, 0, mid, false), () => body(state, mid, end, true));
        }
        else
        {
            body(state, 0, mid, false);
            body(state, mid, end, true);
        }
    }

    private static void CheckStep(PotentialStep? step, double[] src)
    {
        if (step is not null && !ReferenceEquals(step.Target, src))
        {
            throw new ArgumentException("A step must write the potentials the kernel reads.", nameof(step));
        }
    }

    private static void CheckLengths(int sourceLength, IndexMap map, int targetLength)
    {
        if (sourceLength != map.SourceCells || targetLength != map.TargetCells)
        {
            throw new ArgumentException(
                $"Buffer lengths {sourceLength} -> {targetLength} do not match the map {map.SourceCells} -> {map.TargetCells}.");
        }
    }
}

/// <summary>Two sums over cells <c>[start, start + length)</c> of some vectors held in <paramref name="state"/>.</summary>
internal delegate (double A, double B) RangeSums<TState>(TState state, int start, int length);
