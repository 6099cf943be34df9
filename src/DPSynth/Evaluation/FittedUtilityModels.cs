namespace DPSynth.Evaluation;

/// <summary>The model trained on synthetic rows (TSTR) and the one trained on real rows (TRTR), ready to score test sets.</summary>
public sealed class FittedUtilityModels
{
    internal FittedUtilityModels(DownstreamUtility.Predictor tstr, DownstreamUtility.Predictor trtr)
    {
        Tstr = tstr;
        Trtr = trtr;
    }

    internal DownstreamUtility.Predictor Tstr { get; }

    internal DownstreamUtility.Predictor Trtr { get; }
}
