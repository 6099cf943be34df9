using System.Security.Cryptography;

namespace DPSynth.Audits;

/// <summary>Coins from the operating system's CSPRNG: a uniform 53-bit fraction compared with the probability.</summary>
/// <remarks>
/// The probability is resolved to 2^-53, which is exact for 1/2 and within 1e-16 for any other share; these coins
/// choose which rows an audit sees, they are not privacy noise. Thread-safe (the CSPRNG is).
/// </remarks>
internal sealed class CsprngCoinSource : ICoinSource
{
    /// <summary>The shared instance.</summary>
    public static CsprngCoinSource Instance { get; } = new();

    /// <inheritdoc />
    public bool Flip(double probability)
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var fraction = (BitConverter.ToUInt64(bytes) >> 11) * (1.0 / (1UL << 53));
        return fraction < probability;
    }
}
