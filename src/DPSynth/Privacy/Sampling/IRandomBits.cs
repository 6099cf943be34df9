namespace DPSynth.Privacy.Sampling;

/// <summary>
/// The seam through which every privacy sampler gets its randomness: uniform 64-bit words. Production code uses
/// <see cref="CsprngBits"/> only; tests may inject <see cref="InsecureSeededBits"/> (docs/privacy.md#noise-source).
/// </summary>
/// <remarks>Implementations are not thread-safe: one instance per thread.</remarks>
internal interface IRandomBits
{
    /// <summary>True when the bits are predictable; every output drawn from them is "NOT PRIVATE".</summary>
    bool IsInsecure { get; }

    /// <summary>64 independent uniform bits.</summary>
    ulong NextUInt64();

    /// <summary>32 independent uniform bits (half a word: most bounds in the samplers are small).</summary>
    uint NextUInt32();

    /// <summary>One uniform bit (Bernoulli(1/2)).</summary>
    bool NextBit();
}
