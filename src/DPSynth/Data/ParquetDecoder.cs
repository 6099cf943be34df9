using System.Globalization;
using DPSynth.IO;
using DPSynth.Schema;
using Parquet;
using Parquet.Schema;

namespace DPSynth.Data;

/// <summary>
/// Writes decoded rows as a Parquet file (Parquet.Net), atomically. Each column gets the type its values have:
/// integers as INT64, continuous values as DOUBLE, dates in <c>yyyy-MM-dd</c> as DATE (other formats as text),
/// booleans as BOOLEAN, categories (and a boolean with an "other" cell) as text; the missing cell is a null. Values are
/// <see cref="CsvDecoder"/>'s, so reading the file back with the same schema gives the same codes as the CSV would.
/// </summary>
/// <remarks>
/// Decoding is post-processing of DP output, with the caller's post-processing generator. Typed values are decoded from
/// the codes directly (an integer is drawn as a number, never formatted and parsed back), with the same draws in the same
/// order as the text: row group by row group, column by column, row by row.
/// </remarks>
public static class ParquetDecoder
{
    private const int RowsPerGroup = 1 << 20;

    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/> (a temp file renamed over the target).</summary>
    public static void WriteFile(string path, TableSchema schema, EncodedTable table, Random random) =>
        WriteFile(path, schema, CsvDecoder.OneChunk(schema, table, random), random);

    /// <summary>
    /// Writes the rows of <paramref name="chunks"/>, in order, to <paramref name="path"/> (a temp file renamed over the
    /// target, so a failure, including one while a chunk is drawn, leaves no file). Each chunk is decoded and written as
    /// its own row groups (of at most 2^20 rows) as it is enumerated, so only one chunk is held at a time.
    /// <paramref name="existing"/> says whether a file already at <paramref name="path"/> is replaced (<see cref="AtomicFile.Write"/>).
    /// </summary>
    /// <returns>The rows written.</returns>
    public static long WriteFile(
        string path, TableSchema schema, IEnumerable<EncodedTable> chunks, Random random, ExistingFile existing = ExistingFile.Replace)
    {
        CsvDecoder.CheckChunks(path, schema, chunks, random);
        var columns = Enumerable.Range(0, schema.Columns.Length).Select(c => Writer.For(schema, c)).ToArray();
        long written = 0;
        AtomicFile.Write(path, stream =>
        {
            var writer = ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => c.Field)), stream, null, false, default)
                .GetAwaiter().GetResult();
            try
            {
                var groups = 0;
                foreach (var table in chunks)
                {
                    CsvDecoder.CheckTable(schema, table, random);
                    for (var start = 0; start < table.RowCount; start += RowsPerGroup)
                    {
                        WriteGroup(writer, columns, table, start, Math.Min(RowsPerGroup, table.RowCount - start), random);
                        groups++;
                    }

                    written += table.RowCount;
                }

                if (groups == 0)
                {
                    // At least one row group, so an empty table still writes its columns.
                    WriteGroup(writer, columns, new EncodedTable(schema.Domain, schema.Domain.Sizes.Select(s => EncodedColumn.FromCodes(s, []))), 0, 0, random);
                }
            }
            finally
            {
                writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }, existing: existing);
        return written;
    }

    private static void WriteGroup(ParquetWriter writer, Writer[] columns, EncodedTable table, int start, int rows, Random random)
    {
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c].Write(group, table.Columns[c], start, rows, random);
        }
    }

    /// <summary>One output column: its Parquet field and how a code becomes its value.</summary>
    private abstract class Writer
    {
        protected Writer(DataField field) => Field = field;

        public DataField Field { get; }

        public static Writer For(TableSchema schema, int index) => schema.Columns[index] switch
        {
            NumericColumnSpec { Kind: ColumnKind.Integer } n => new Typed<long>(n, n.DrawInteger),
            NumericColumnSpec n => new Typed<double>(
                n, (code, random) => double.Parse(n.DecodeValue(code, random), NumberStyles.Float, CultureInfo.InvariantCulture)),
            DateColumnSpec { Format: DateColumnSpec.DefaultFormat } d => new Typed<DateOnly>(d, d.DrawDay),
            CategoricalColumnSpec { IsBoolean: true, HasOtherCell: false } b => new Typed<bool>(b, (code, _) => b.Categories[code] == "true"),
            _ => new Texts(schema, index),
        };

        /// <summary>Decodes rows <paramref name="start"/> .. +<paramref name="rows"/> of <paramref name="codes"/> into <paramref name="group"/>.</summary>
        public abstract void Write(ParquetRowGroupWriter group, EncodedColumn codes, int start, int rows, Random random);

        /// <summary>A typed column: a value drawn from each code; the missing cell is a null.</summary>
        private sealed class Typed<T>(ColumnSpec column, Func<int, Random, T> decode) : Writer(new DataField<T?>(column.Name))
            where T : struct
        {
            private T?[] buffer = [];

            public override void Write(ParquetRowGroupWriter group, EncodedColumn codes, int start, int rows, Random random)
            {
                if (buffer.Length < rows)
                {
                    buffer = new T?[rows];
                }

                var missing = column.MissingCode;
                for (var r = 0; r < rows; r++)
                {
                    var code = codes[start + r];
                    buffer[r] = code == missing ? null : decode(code, random);
                }

                group.WriteAsync(Field, new ReadOnlyMemory<T?>(buffer, 0, rows), null, null, default).GetAwaiter().GetResult();
            }
        }

        /// <summary>
        /// A text column (categories, a boolean with an other cell, a date in another format): the decoded text, the
        /// missing cell a null. A category's text is its label, looked up once per code.
        /// </summary>
        private sealed class Texts(TableSchema schema, int index) : Writer(new DataField<string>(schema.Columns[index].Name))
        {
            private readonly string?[]? labels = schema.Columns[index] is CategoricalColumnSpec c
                ? [.. Enumerable.Range(0, c.CellCount).Select(code => code == c.MissingCode ? null : CsvDecoder.Label(schema, c, code))]
                : null;

            private string?[] buffer = [];

            public override void Write(ParquetRowGroupWriter group, EncodedColumn codes, int start, int rows, Random random)
            {
                // Parquet.Net takes text as a whole collection: the buffer is the group's size (chunks differ by at most one row).
                if (buffer.Length != rows)
                {
                    buffer = new string?[rows];
                }

                var missing = schema.Columns[index].MissingCode;
                for (var r = 0; r < rows; r++)
                {
                    var code = codes[start + r];
                    buffer[r] = labels is not null ? labels[code]
                        : code == missing ? null : CsvDecoder.DecodeCell(schema, index, code, random);
                }

                group.WriteAsync(Field, buffer, null).GetAwaiter().GetResult();
            }
        }
    }
}
