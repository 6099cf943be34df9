namespace DPSynth.Synthesizers;

/// <summary>
/// AIM's settings (design.md section 6; privacy-details.md section 4). Defaults are Private-PGM's
/// <c>mechanisms/aim.py</c> at commit 41b5346, except where a remark says otherwise.
/// </summary>
public sealed record AimOptions
{
    /// <summary>The cap on the model's junction-tree size, in MiB of doubles (reference default 80).</summary>
    public double MaxModelSizeMb { get; init; } = 80;

    /// <summary>The planned rounds T; null for 16 d. T sets the starting per-round budget, not the loop length.</summary>
    public int? Rounds { get; init; }

    /// <summary>The share of each round's budget spent on measurement (the rest on selection); 0.9.</summary>
    public double Alpha { get; init; } = 0.9;

    /// <summary>Mirror-descent iterations of each estimate inside the loop (warm-started); reference 1000.</summary>
    public int Iterations { get; init; } = 1000;

    /// <summary>Mirror-descent iterations of the final estimate after the loop; reference 1000 (max_iters).</summary>
    public int FinalIterations { get; init; } = 1000;

    /// <summary>Halve sigma and double epsilon after an uninformative round (AIM's annealing); true.</summary>
    public bool Anneal { get; init; } = true;
}
