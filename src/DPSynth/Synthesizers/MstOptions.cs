namespace DPSynth.Synthesizers;

/// <summary>MST's settings; defaults are Private-PGM's <c>mechanisms/mst.py</c> at commit 41b5346.</summary>
public sealed record MstOptions
{
    /// <summary>Mirror-descent iterations of the fit on the 1-way measurements used for the selection scores; 1000.</summary>
    public int SelectionIterations { get; init; } = 1000;

    /// <summary>Mirror-descent iterations of the final estimate; 5000.</summary>
    public int FinalIterations { get; init; } = 5000;

    /// <summary>A value is kept when its noisy count is at least this many sigma_1 (per-marginal std); 3.</summary>
    public double CompressionThreshold { get; init; } = 3;

    /// <summary>
    /// Subtract from each pair's selection score the expected L1 size of the noise its measurement will carry,
    /// <c>sqrt(2/pi) sigma_2 n_ab</c> (AIM's bias term, with MST's per-pair noise std <c>sigma_2</c> and the pair's
    /// compressed cell count <c>n_ab</c>). A public, data-independent offset per candidate: the sensitivity stays 1.
    /// The reference (false) scores the plain L1 error, which for a pair with a many-valued attribute is dominated by the
    /// 1-way fit's noise on that attribute, not by any association. Default true: on adult (same noise draws, 5 runs)
    /// the mean 2-way TVD fell from 0.0801 to 0.0738 at epsilon 0.3, 0.0536 to 0.0507 at 1 and 0.0406 to 0.0391 at 10;
    /// on a census-like table it kept NOC x TEN (docs/benchmarks.md, "Lost associations").
    /// </summary>
    public bool NoisePenalty { get; init; } = true;
}
