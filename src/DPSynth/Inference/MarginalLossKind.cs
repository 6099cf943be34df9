namespace DPSynth.Inference;

/// <summary>The loss between the model's marginals and the noisy measurements.</summary>
public enum MarginalLossKind
{
    /// <summary><c>sum_i sum_cells (mu - y)^2 / (2 std^2)</c>: the Gaussian negative log-likelihood (default).</summary>
    L2,

    /// <summary><c>sum_i sum_cells |mu - y| / std</c>; not smooth, so it runs with a fixed step, without line search.</summary>
    L1,
}
