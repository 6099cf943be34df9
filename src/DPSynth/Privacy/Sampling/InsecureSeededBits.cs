using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// INSECURE, NOT PRIVATE: a deterministic bit stream, SHA-256(seed || counter), for reproducible tests and demos
/// only. Anyone who knows the seed can subtract the noise. <see cref="IsInsecure"/> is true, and every output drawn
/// from it must be marked "NOT PRIVATE" and refused by the release step.
/// </summary>
internal sealed class InsecureSeededBits : IRandomBits
{
    private readonly byte[] input = new byte[16];
    private readonly byte[] hash = new byte[32];
    private ulong counter;
    private int next = 4;
    private ulong bitWord;
    private int bitsLeft;
    private ulong halfWord;
    private bool hasHalf;

    /// <summary>Creates the stream for <paramref name="seed"/>.</summary>
    public InsecureSeededBits(ulong seed)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(input, seed);
    }

    /// <inheritdoc />
    public bool IsInsecure => true;

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        if (next == 4)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(8), counter++);
            SHA256.HashData(input, hash);
            next = 0;
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(hash.AsSpan(8 * next++));
    }

    /// <inheritdoc />
    public uint NextUInt32()
    {
        if (hasHalf)
        {
            hasHalf = false;
            return (uint)(halfWord >> 32);
        }

        halfWord = NextUInt64();
        hasHalf = true;
        return (uint)(halfWord & uint.MaxValue);
    }

    /// <inheritdoc />
    public bool NextBit()
    {
        if (bitsLeft == 0)
        {
            bitWord = NextUInt64();
            bitsLeft = 64;
        }

        var bit = (bitWord & 1) != 0;
        bitWord >>= 1;
        bitsLeft--;
        return bit;
    }
}
