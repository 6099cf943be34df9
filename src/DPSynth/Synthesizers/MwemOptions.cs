namespace DPSynth.Synthesizers;

/// <summary>MWEM+PGM's settings; defaults are Private-PGM's <c>mechanisms/mwem+pgm.py</c> at commit 41b5346.</summary>
public sealed record MwemOptions
{
    /// <summary>Rounds T; null for d (the number of attributes).</summary>
    public int? Rounds { get; init; }

    /// <summary>The cap on the model's junction-tree size, in MiB of doubles; 25.</summary>
    public double MaxModelSizeMb { get; init; } = 25;

    /// <summary>The share of each round's budget spent on measurement; 0.9.</summary>
    public double Alpha { get; init; } = 0.9;

    /// <summary>Mirror-descent iterations of each (warm-started) estimate; 1000.</summary>
    /// <remarks>
    /// Every estimate runs all of them, unlike AIM's in-loop estimates (<see cref="AimOptions.Tolerance"/>): the last
    /// round's estimate is MWEM+PGM's released model, and the whole run takes about 2 s on adult.
    /// </remarks>
    public int Iterations { get; init; } = 1000;
}
