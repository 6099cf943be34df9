using System.Numerics.Tensors;

namespace DPSynth.Benchmarks.Engine;

/// <summary>
/// How fast the machine exponentiates doubles with <see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/>,
/// the engine's exponential, on two cores (<see cref="TwoCorePasses"/>), one array of the given size in, one out.
/// </summary>
internal static class ExpThroughput
{
    /// <summary>Seconds to exponentiate <paramref name="cells"/> doubles once, on two cores.</summary>
    public static double Seconds(int cells)
    {
        var x = new double[cells];
        var y = new double[cells];
        for (var i = 0; i < cells; i++)
        {
            // Log-probabilities as a model holds them: finite, at most 0, spread over a few units.
            x[i] = -(i % 1000) / 200.0;
        }

        var seconds = TwoCorePasses.BestSeconds(cells, (start, length) => TensorPrimitives.Exp(x.AsSpan(start, length), y.AsSpan(start, length)));
        GC.KeepAlive(y);
        return seconds;
    }
}
