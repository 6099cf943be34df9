namespace DPSynth.Evaluation;

/// <summary>The model family trained for downstream utility.</summary>
public enum UtilityModel
{
    /// <summary>Gradient-boosted trees (LightGBM through ML.NET).</summary>
    GradientBoostedTrees,

    /// <summary>A linear baseline: logistic regression (L-BFGS) for a class target, least squares (SDCA) for a numeric one.</summary>
    Linear,
}
