namespace DPSynth.Audits;

/// <summary>
/// The distinct rows of a <see cref="PackedRows"/> with their multiplicities: exact-match lookups in constant time
/// (open addressing on a 64-bit row hash, codes compared on a hash hit).
/// </summary>
internal sealed class RowMultiset
{
    private readonly PackedRows rows;
    private readonly int[] slots;
    private readonly int[] counts;
    private readonly ulong[] hashes;
    private readonly int mask;

    public RowMultiset(PackedRows rows)
    {
        this.rows = rows;
        var capacity = 16;
        while (capacity < rows.RowCount * 2)
        {
            capacity = checked(capacity * 2);
        }

        slots = new int[capacity];
        Array.Fill(slots, -1);
        counts = new int[capacity];
        hashes = new ulong[capacity];
        mask = capacity - 1;
        for (var r = 0; r < rows.RowCount; r++)
        {
            var row = rows.Row(r);
            var hash = PackedRows.Hash(row);
            var slot = Find(row, hash);
            if (slots[slot] < 0)
            {
                slots[slot] = r;
                hashes[slot] = hash;
                DistinctCount++;
            }

            counts[slot]++;
        }
    }

    /// <summary>The number of distinct rows.</summary>
    public int DistinctCount { get; }

    /// <summary>How many rows equal <paramref name="row"/> (packed with the same distance).</summary>
    public int Count(ReadOnlySpan<int> row)
    {
        var slot = Find(row, PackedRows.Hash(row));
        return slots[slot] < 0 ? 0 : counts[slot];
    }

    private int Find(ReadOnlySpan<int> row, ulong hash)
    {
        var slot = (int)(hash & (ulong)mask);
        while (slots[slot] >= 0)
        {
            if (hashes[slot] == hash && rows.Row(slots[slot]).SequenceEqual(row))
            {
                return slot;
            }

            slot = (slot + 1) & mask;
        }

        return slot;
    }
}
