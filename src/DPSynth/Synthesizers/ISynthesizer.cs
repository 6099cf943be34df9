using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// A differentially private synthesizer (AIM, MST, MWEM+PGM): <see cref="Plan"/> prices a run and checks its settings
/// without data; <see cref="Fit"/> spends a budget through a <see cref="ZcdpAccountant"/> and returns the fitted model
/// with a record of every selection and measurement.
/// </summary>
/// <remarks>
/// Failure contract: impossible settings throw <see cref="Diagnostics.SynthesisSettingsException"/> from <see cref="Plan"/> and from
/// <see cref="Fit"/> before anything is charged. <see cref="Fit"/> charges the accountant before each noise draw and
/// never more than its remaining budget; all privacy noise comes from the CSPRNG through the privacy core.
/// </remarks>
public interface ISynthesizer
{
    /// <summary>The method's short name: <c>aim</c>, <c>mst</c> or <c>mwem</c>.</summary>
    string Method { get; }

    /// <summary>The domain the synthesizer was configured for.</summary>
    Domain Domain { get; }

    /// <summary>States what a run with budget <paramref name="rho"/> will spend and with which parameters; reads no data.</summary>
    /// <exception cref="Diagnostics.SynthesisSettingsException">The settings cannot be honoured with this domain and budget.</exception>
    SynthesisPlan Plan(Rho rho);

    /// <summary>
    /// Fits the model on the rows behind <paramref name="data"/>, spending all of <paramref name="accountant"/>'s
    /// remaining budget (up to the safe rounding of each parameter) and never more. The synthesizers read the rows only
    /// through marginal counts, so any <see cref="IMarginalSource"/> serves; an <see cref="EncodedTable"/> is counted in
    /// memory (<see cref="SynthesizerExtensions.Fit"/>).
    /// </summary>
    /// <exception cref="Diagnostics.SynthesisSettingsException">The settings are impossible, or the source's domain differs.</exception>
    SynthesisResult Fit(IMarginalSource data, ZcdpAccountant accountant, IProgress<SynthesisProgress>? progress = null);
}
