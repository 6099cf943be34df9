using DPSynth.Schema;
namespace DPSynth.Data;

/// <summary>
/// Growable columnar storage for codes while a CSV streams in: one <see cref="byte"/> array per column of at most 256
/// cells, one <see cref="ushort"/> array otherwise. Rows are appended whole, so a dropped row leaves no trace.
/// </summary>
internal sealed class CodeColumnsBuilder : IEncodedRowSink
{
    private readonly Domain domain;
    private readonly byte[]?[] bytes;
    private readonly ushort[]?[] shorts;
    private int capacity;

    /// <summary>Creates empty columns for <paramref name="domain"/>.</summary>
    public CodeColumnsBuilder(Domain domain, int initialCapacity = 4096)
    {
        this.domain = domain;
        capacity = initialCapacity;
        bytes = new byte[domain.Count][];
        shorts = new ushort[domain.Count][];
        for (var c = 0; c < domain.Count; c++)
        {
            if (domain.Size(c) <= 256)
            {
                bytes[c] = new byte[capacity];
            }
            else
            {
                shorts[c] = new ushort[capacity];
            }
        }
    }

    /// <summary>Rows appended so far.</summary>
    public int RowCount { get; private set; }

    /// <inheritdoc />
    public void Append(ReadOnlySpan<int> codes)
    {
        if (RowCount == capacity)
        {
            Grow();
        }

        for (var c = 0; c < codes.Length; c++)
        {
            // Codes come from ColumnSpec cells, which are below the column's size (at most 65,536).
            if (bytes[c] is { } b)
            {
                b[RowCount] = unchecked((byte)codes[c]);
            }
            else
            {
                shorts[c]![RowCount] = unchecked((ushort)codes[c]);
            }
        }

        RowCount++;
    }

    /// <summary>The finished table; the builder must not be used afterwards.</summary>
    public EncodedTable Build()
    {
        var columns = new EncodedColumn[domain.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = bytes[c] is { } b
                ? EncodedColumn.OwnBytes(domain.Size(c), b, RowCount)
                : EncodedColumn.OwnUShorts(domain.Size(c), shorts[c]!, RowCount);
        }

        return new EncodedTable(domain, columns);
    }

    private void Grow()
    {
        // Doubling keeps appends amortised O(1); Array.MaxLength caps it for huge files.
        var next = (int)Math.Min((long)capacity * 2, Array.MaxLength);
        if (next == capacity)
        {
            throw new InvalidOperationException("The table has more rows than an array can hold.");
        }

        for (var c = 0; c < bytes.Length; c++)
        {
            if (bytes[c] is { } b)
            {
                Array.Resize(ref b, next);
                bytes[c] = b;
            }
            else
            {
                var s = shorts[c]!;
                Array.Resize(ref s, next);
                shorts[c] = s;
            }
        }

        capacity = next;
    }
}
