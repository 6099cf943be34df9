using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Privacy;

namespace DPSynth.Synthesizers;

/// <summary>Fitting on a table already encoded in memory.</summary>
public static class SynthesizerExtensions
{
    /// <summary>Fits <paramref name="synthesizer"/> on <paramref name="data"/>, counted in memory.</summary>
    /// <exception cref="Diagnostics.SynthesisSettingsException">The settings are impossible, or the table's domain differs.</exception>
    public static SynthesisResult Fit(
        this ISynthesizer synthesizer, EncodedTable data, ZcdpAccountant accountant, IProgress<SynthesisProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        ArgumentNullException.ThrowIfNull(data);
        using var source = new InMemoryMarginalSource(data);
        return synthesizer.Fit(source, accountant, progress);
    }
}
