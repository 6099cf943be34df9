namespace DPSynth.Privacy.Sampling;

/// <summary>
/// Shared part of the bit sources: given uniform 64-bit words, hands out 32-bit halves and single bits, so small
/// draws do not waste a whole word.
/// </summary>
internal abstract class RandomWords : IRandomBits
{
    private ulong halfWord;
    private bool hasHalf;
    private ulong bitWord;
    private int bitsLeft;

    /// <inheritdoc />
    public abstract bool IsInsecure { get; }

    /// <inheritdoc />
    public abstract ulong NextUInt64();

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
