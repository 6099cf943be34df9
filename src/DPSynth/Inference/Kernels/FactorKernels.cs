using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DPSynth.Inference.Kernels;

/// <summary>
/// Span kernels on dense factors (row-major arrays over a clique) linked by an <see cref="IndexMap"/>. The caller
/// owns every buffer; nothing is allocated. Contiguous work goes to <see cref="TensorPrimitives"/>.
/// </summary>
internal static class FactorKernels
{
    /// <summary>Sums a factor onto a subset clique.</summary>
    /// <remarks>Effectively computes <c>dst[j] = sum_{i: map[i]=j} src[i]</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumOnto(ReadOnlySpan<double> src, IndexMap map, Span<double> dst)
    {
        CheckLengths(src.Length, map, dst.Length);
        dst.Clear();
        if (map.Map is { } m)
        {
            for (var i = 0; i < src.Length; i++)
            {
                dst[m[i]] += src[i];
            }

            return;
        }

        int kept = map.Kept, inner = map.Inner;
        for (var o = 0; o < map.Outer; o++)
        {
            var block = src.Slice(o * kept * inner, kept * inner);
            if (inner == 1)
            {
                TensorPrimitives.Add(dst, block, dst);
            }
            else
            {
                for (var k = 0; k < kept; k++)
                {
                    dst[k] += TensorPrimitives.Sum(block.Slice(k * inner, inner));
                }
            }
        }
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
        var sums = scratch[..dst.Length];
        var tmp = scratch.Slice(dst.Length, src.Length);
        sums.Clear();
        if (map.Map is { } m)
        {
            dst.Fill(double.NegativeInfinity);
            for (var i = 0; i < src.Length; i++)
            {
                if (src[i] > dst[m[i]])
                {
                    dst[m[i]] = src[i];
                }
            }

            for (var i = 0; i < src.Length; i++)
            {
                tmp[i] = src[i] - dst[m[i]];
            }

            TensorPrimitives.Exp(tmp, tmp);
            for (var i = 0; i < src.Length; i++)
            {
                sums[m[i]] += tmp[i];
            }
        }
        else
        {
            int kept = map.Kept, inner = map.Inner, width = kept * inner;
            if (inner == 1)
            {
                src[..kept].CopyTo(dst);
                for (var o = 1; o < map.Outer; o++)
                {
                    TensorPrimitives.Max(dst, src.Slice(o * width, kept), dst);
                }

                // One slice at a time, so the temporary stays in cache between subtract, exp and add.
                var t = tmp[..kept];
                for (var o = 0; o < map.Outer; o++)
                {
                    TensorPrimitives.Subtract(src.Slice(o * width, kept), dst, t);
                    TensorPrimitives.Exp(t, t);
                    TensorPrimitives.Add(sums, t, sums);
                }
            }
            else
            {
                dst.Fill(double.NegativeInfinity);
                for (var o = 0; o < map.Outer; o++)
                {
                    for (var k = 0; k < kept; k++)
                    {
                        dst[k] = Math.Max(dst[k], TensorPrimitives.Max(src.Slice((o * kept + k) * inner, inner)));
                    }
                }

                for (var o = 0; o < map.Outer; o++)
                {
                    for (var k = 0; k < kept; k++)
                    {
                        var offset = (o * kept + k) * inner;
                        var t = tmp.Slice(offset, inner);
                        TensorPrimitives.Subtract(src.Slice(offset, inner), dst[k], t);
                        TensorPrimitives.Exp(t, t);
                        sums[k] += TensorPrimitives.Sum(t);
                    }
                }
            }
        }

        for (var j = 0; j < dst.Length; j++)
        {
            // An all -inf slice stays -inf (max is -inf and the sum of NaNs is meaningless).
            dst[j] = double.IsNegativeInfinity(dst[j]) ? double.NegativeInfinity : dst[j] + Math.Log(sums[j]);
        }
    }

    /// <summary>Adds a subset-clique factor, broadcast, onto a factor.</summary>
    /// <remarks>Effectively computes <c>dst[i] += small[map[i]]</c> (a product of potentials in log space).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddExpanded(Span<double> dst, IndexMap map, ReadOnlySpan<double> small)
    {
        CheckLengths(dst.Length, map, small.Length);
        if (map.Map is { } m)
        {
            for (var i = 0; i < dst.Length; i++)
            {
                dst[i] += small[m[i]];
            }

            return;
        }

        int kept = map.Kept, inner = map.Inner;
        for (var o = 0; o < map.Outer; o++)
        {
            var block = dst.Slice(o * kept * inner, kept * inner);
            if (inner == 1)
            {
                TensorPrimitives.Add(block, small, block);
            }
            else
            {
                for (var k = 0; k < kept; k++)
                {
                    var s = block.Slice(k * inner, inner);
                    TensorPrimitives.Add(s, small[k], s);
                }
            }
        }
    }

    /// <summary>Exponential of a shifted log-space vector.</summary>
    /// <remarks>
    /// Effectively computes <c>dst[i] = exp(src[i] + shift)</c>, in cache-sized chunks so the shifted values are
    /// exponentiated while still in L1 (one read and one write of memory instead of two each).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ExpShifted(ReadOnlySpan<double> src, double shift, Span<double> dst)
    {
        const int Chunk = 2048;
        for (var start = 0; start < src.Length; start += Chunk)
        {
            var length = Math.Min(Chunk, src.Length - start);
            var d = dst.Slice(start, length);
            TensorPrimitives.Add(src.Slice(start, length), shift, d);
            TensorPrimitives.Exp(d, d);
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
        TensorPrimitives.Subtract(src, max, tmp);
        TensorPrimitives.Exp(tmp, tmp);
        return max + Math.Log(TensorPrimitives.Sum(tmp));
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
