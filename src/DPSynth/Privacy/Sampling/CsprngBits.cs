using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// The only production source of privacy noise: the operating system's CSPRNG through
/// <see cref="RandomNumberGenerator.Fill(Span{byte})"/>, read in 8 KiB blocks because one call per draw is slow.
/// </summary>
/// <remarks>Not thread-safe. Each word is wiped from the buffer once handed out, so used noise does not linger.</remarks>
internal sealed class CsprngBits : IRandomBits
{
    private const int BlockWords = 1024;
    private readonly ulong[] block = new ulong[BlockWords];
    private int next = BlockWords;
    private ulong bitWord;
    private int bitsLeft;
    private ulong halfWord;
    private bool hasHalf;

    /// <inheritdoc />
    public bool IsInsecure => false;

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        if (next == BlockWords)
        {
            RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(block.AsSpan()));
            next = 0;
        }

        var word = block[next];
        block[next] = 0;
        next++;
        return word;
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
