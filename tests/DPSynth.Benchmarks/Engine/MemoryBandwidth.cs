using System.Diagnostics;
using System.Numerics.Tensors;

namespace DPSynth.Benchmarks.Engine;

/// <summary>
/// The machine's memory bandwidth as STREAM's triad measures it (<c>a = b + s c</c>, 24 bytes a cell: two reads and
/// one write, write-allocate not counted), split over two cores as the engine's large kernels are; the best of ten
/// passes, as STREAM reports.
/// </summary>
internal static class MemoryBandwidth
{
    /// <summary>Bytes a second of the triad on three arrays of <paramref name="cells"/> doubles.</summary>
    public static double Triad(int cells)
    {
        var a = new double[cells];
        var b = new double[cells];
        var c = new double[cells];
        b.AsSpan().Fill(1.0);
        c.AsSpan().Fill(2.0);
        var best = double.MaxValue;
        for (var pass = 0; pass < 11; pass++)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, 2, half =>
            {
                var start = half * (cells / 2);
                var length = half == 0 ? cells / 2 : cells - (cells / 2);
                TensorPrimitives.MultiplyAdd(c.AsSpan(start, length), 3.0, b.AsSpan(start, length), a.AsSpan(start, length));
            });
            var seconds = watch.Elapsed.TotalSeconds;
            if (pass > 0)
            {
                best = Math.Min(best, seconds);
            }
        }

        GC.KeepAlive(a);
        return 24.0 * cells / best;
    }
}
