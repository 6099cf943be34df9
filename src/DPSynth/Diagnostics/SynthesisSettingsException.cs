
namespace DPSynth.Diagnostics;

/// <summary>
/// Settings that no synthesizer can honour: an empty workload, a workload naming an unknown column, a model-size cap
/// below what the 1-way marginals need, an epsilon or delta out of range (exit code 1). Thrown before any budget is
/// charged and before the data are read.
/// </summary>
public sealed class SynthesisSettingsException : InputException
{
    /// <summary>Creates the exception with a user-facing message (from <see cref="Messages"/>).</summary>
    public SynthesisSettingsException(string message) : base(message)
    {
    }
}
