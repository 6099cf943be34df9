namespace DPSynth.Privacy.Sampling;

/// <summary>
/// One bit source shared by several mechanisms (the insecure accountant's stream): every call takes a lock, so
/// concurrent releases cannot corrupt its state. Only the insecure test stream is ever shared; production mechanisms
/// each own a <see cref="CsprngBits"/>.
/// </summary>
internal sealed class SynchronizedBits(IRandomBits inner) : IRandomBits
{
    private readonly Lock gate = new();

    /// <inheritdoc />
    public bool IsInsecure => inner.IsInsecure;

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        lock (gate)
        {
            return inner.NextUInt64();
        }
    }

    /// <inheritdoc />
    public uint NextUInt32()
    {
        lock (gate)
        {
            return inner.NextUInt32();
        }
    }

    /// <inheritdoc />
    public bool NextBit()
    {
        lock (gate)
        {
            return inner.NextBit();
        }
    }
}
