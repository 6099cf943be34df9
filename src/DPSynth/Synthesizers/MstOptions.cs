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
}
