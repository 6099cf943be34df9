using System.Globalization;
using Parquet;
using Parquet.Schema;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// Spills encoded rows to a Parquet file of code columns (<c>c0 ..</c>, 32-bit integers), one row group per
/// <see cref="RowsPerGroup"/> rows, so a table larger than memory can be encoded with the in-memory encoder's rules and
/// counted by DuckDB. Memory is one row group of codes.
/// </summary>
internal sealed class ParquetCodeSpill : IEncodedRowSink, IDisposable
{
    /// <summary>Rows per row group: 2^18 rows of 20 columns is 20 MB of buffered codes.</summary>
    public const int RowsPerGroup = 1 << 18;

    private readonly FileStream stream;
    private readonly ParquetWriter writer;
    private readonly DataField[] fields;
    private readonly int[][] buffer;
    private int buffered;

    /// <summary>Creates the file at <paramref name="path"/> for <paramref name="domain"/>'s attributes.</summary>
    public ParquetCodeSpill(string path, Domain domain)
    {
        fields = [.. Enumerable.Range(0, domain.Count).Select(c => new DataField<int>("c" + c.ToString(CultureInfo.InvariantCulture)))];
        buffer = [.. fields.Select(_ => new int[RowsPerGroup])];
        stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public void Append(ReadOnlySpan<int> codes)
    {
        for (var c = 0; c < codes.Length; c++)
        {
            buffer[c][buffered] = codes[c];
        }

        if (++buffered == RowsPerGroup)
        {
            Flush();
        }
    }

    /// <summary>Writes the last row group and closes the file.</summary>
    public void Dispose()
    {
        Flush();
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        stream.Dispose();
    }

    private void Flush()
    {
        if (buffered == 0)
        {
            return;
        }

        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
        {
            group.WriteAsync(fields[c], new ReadOnlyMemory<int>(buffer[c], 0, buffered)).GetAwaiter().GetResult();
        }

        buffered = 0;
    }
}
