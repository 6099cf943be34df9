using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// INSECURE, NOT PRIVATE: a deterministic bit stream, SHA-256(seed || counter), for reproducible tests and demos
/// only. Anyone who knows the seed can subtract the noise. <see cref="IsInsecure"/> is true, and every output drawn
/// from it must be marked "NOT PRIVATE" and refused by the release step.
/// </summary>
internal sealed class InsecureSeededBits : RandomWords
{
    private readonly byte[] input = new byte[16];
    private readonly byte[] hash = new byte[32];
    private ulong counter;
    private int next = 4;

    /// <summary>Creates the stream for <paramref name="seed"/>.</summary>
    public InsecureSeededBits(ulong seed)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(input, seed);
    }

    /// <inheritdoc />
    public override bool IsInsecure => true;

    /// <inheritdoc />
    public override ulong NextUInt64()
    {
        if (next == 4)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(8), counter++);
            SHA256.HashData(input, hash);
            next = 0;
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(hash.AsSpan(8 * next++));
    }
}
