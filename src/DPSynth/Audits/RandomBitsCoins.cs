using DPSynth.Privacy.Sampling;

namespace DPSynth.Audits;

/// <summary>
/// Coins drawn from the privacy core's bit source: the CSPRNG in production, <see cref="InsecureSeededBits"/> in tests.
/// A coin of probability 1/2 is one uniform bit; any other compares a uniform 53-bit fraction with the probability
/// (resolution 2^-53, which is ample: these coins choose which rows an audit sees, they are not privacy noise).
/// </summary>
/// <remarks>Not thread-safe, like the bit sources: one instance per use.</remarks>
internal sealed class RandomBitsCoins(IRandomBits bits) : ICoinSource
{
    /// <summary>Coins from a fresh CSPRNG bit source.</summary>
    public static RandomBitsCoins Csprng() => new(new CsprngBits());

    /// <summary>Reproducible coins for tests and benchmarks (never a real audit).</summary>
    public static RandomBitsCoins Seeded(ulong seed) => new(new InsecureSeededBits(seed));

    /// <inheritdoc />
    public bool Flip(double probability)
    {
        if (probability == 0.5)
        {
            return bits.NextBit();
        }

        var fraction = (bits.NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return fraction < probability;
    }
}
