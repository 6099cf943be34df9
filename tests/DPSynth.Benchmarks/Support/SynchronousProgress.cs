using DPSynth.Synthesizers;

namespace DPSynth.Benchmarks.Support;

/// <summary>Reports synchronously on the fitting thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
internal sealed class SynchronousProgress(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
{
    /// <inheritdoc />
    public void Report(SynthesisProgress value) => report(value);
}
