using System.Numerics.Tensors;

namespace DPSynth.Benchmarks.Engine;

/// <summary>
/// The machine's memory bandwidth as STREAM's triad measures it (<c>a = b + s c</c>, 24 bytes a cell: two reads and
/// one write, write-allocate not counted), split over two cores as the engine's large kernels are
/// (<see cref="TwoCorePasses"/>: the best pass, as STREAM reports).
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
        var seconds = TwoCorePasses.BestSeconds(
            cells, (start, length) => TensorPrimitives.MultiplyAdd(c.AsSpan(start, length), 3.0, b.AsSpan(start, length), a.AsSpan(start, length)));
        GC.KeepAlive(a);
        return 24.0 * cells / seconds;
    }
}
