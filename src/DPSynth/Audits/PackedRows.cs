using DPSynth.Data;

namespace DPSynth.Audits;

/// <summary>
/// An encoded table stored row-major, each code already shifted by its column's offset in a per-query lookup table, so
/// a row distance is a run of <c>lookup[packed[i]]</c> additions with no per-column branching.
/// </summary>
internal sealed class PackedRows
{
    private PackedRows(int rowCount, int columnCount, int[] codes)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        Codes = codes;
    }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Row-major lookup indices: row <c>r</c>, column <c>c</c> is <c>Codes[r * ColumnCount + c]</c>.</summary>
    public int[] Codes { get; }

    /// <summary>Packs <paramref name="table"/> for <paramref name="distance"/>.</summary>
    public static PackedRows Pack(EncodedTable table, GowerDistance distance)
    {
        distance.CheckDomain(table.Domain);
        var columns = distance.ColumnCount;
        var codes = new int[checked(table.RowCount * columns)];
        var buffer = new int[table.RowCount];
        for (var c = 0; c < columns; c++)
        {
            table.Columns[c].CopyTo(buffer);
            var offset = distance.Offset(c);
            for (var r = 0; r < buffer.Length; r++)
            {
                codes[(r * columns) + c] = buffer[r] + offset;
            }
        }

        return new PackedRows(table.RowCount, columns, codes);
    }

    /// <summary>Row <paramref name="row"/>'s lookup indices.</summary>
    public ReadOnlySpan<int> Row(int row) => Codes.AsSpan(row * ColumnCount, ColumnCount);

    /// <summary>Row <paramref name="row"/>'s raw codes (offsets removed), written to <paramref name="destination"/>.</summary>
    public void RawRow(int row, GowerDistance distance, Span<int> destination)
    {
        var packed = Row(row);
        for (var c = 0; c < packed.Length; c++)
        {
            destination[c] = packed[c] - distance.Offset(c);
        }
    }

    /// <summary>A 64-bit hash of row <paramref name="row"/>'s codes.</summary>
    public static ulong Hash(ReadOnlySpan<int> row)
    {
        // FNV-1a over the codes, then a final avalanche (splitmix64), so nearby code vectors spread over the table.
        var h = 14695981039346656037UL;
        foreach (var code in row)
        {
            h = unchecked((h ^ (uint)code) * 1099511628211UL);
        }

        h = unchecked((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL);
        h = unchecked((h ^ (h >> 27)) * 0x94D049BB133111EBUL);
        return h ^ (h >> 31);
    }
}
