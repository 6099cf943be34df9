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
/// <remarks>Decoding is post-processing of DP output, with the caller's post-processing generator.</remarks>
public static class ParquetDecoder
{
    private const int RowsPerGroup = 1 << 20;

    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/> (a temp file renamed over the target).</summary>
    public static void WriteFile(string path, TableSchema schema, EncodedTable table, Random random)
    {
        ArgumentNullException.ThrowIfNull(path);
        CsvDecoder.CheckTable(schema, table, random);

        var columns = schema.Columns.Select(Writer.For).ToArray();
        AtomicFile.Write(path, stream =>
        {
            var writer = ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => c.Field)), stream, null, false, default)
                .GetAwaiter().GetResult();
            try
            {
                // At least one row group, so an empty table still writes its columns.
                var groups = Math.Max(1, (table.RowCount + RowsPerGroup - 1) / RowsPerGroup);
                for (var g = 0; g < groups; g++)
                {
                    var start = g * RowsPerGroup;
                    var rows = Math.Min(RowsPerGroup, table.RowCount - start);
                    using var group = writer.CreateRowGroup();
                    for (var c = 0; c < columns.Length; c++)
                    {
                        var texts = new string?[rows];
                        for (var r = 0; r < rows; r++)
                        {
                            var code = table[start + r, c];
                            texts[r] = code == schema.Columns[c].MissingCode ? null : CsvDecoder.DecodeCell(schema, c, code, random);
                        }

                        columns[c].Write(group, texts);
                    }
                }
            }
            finally
            {
                writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
    }

    /// <summary>One output column: its Parquet field and how decoded text becomes its values.</summary>
    private sealed class Writer
    {
        private Writer(DataField field, Action<ParquetRowGroupWriter, DataField, string?[]> write)
        {
            Field = field;
            WriteValues = write;
        }

        public DataField Field { get; }

        private Action<ParquetRowGroupWriter, DataField, string?[]> WriteValues { get; }

        public static Writer For(ColumnSpec column) => column switch
        {
            NumericColumnSpec { Kind: ColumnKind.Integer } =>
                Typed(column.Name, t => long.Parse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            NumericColumnSpec => Typed(column.Name, t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)),
            DateColumnSpec { Format: DateColumnSpec.DefaultFormat } =>
                Typed(column.Name, t => DateOnly.ParseExact(t, DateColumnSpec.DefaultFormat, CultureInfo.InvariantCulture)),
            CategoricalColumnSpec { IsBoolean: true, HasOtherCell: false } => Typed(column.Name, t => t == "true"),
            _ => new Writer(new DataField<string>(column.Name), (g, f, texts) => g.WriteAsync(f, texts, null).GetAwaiter().GetResult()),
        };

        public void Write(ParquetRowGroupWriter group, string?[] texts) => WriteValues(group, Field, texts);

        private static Writer Typed<T>(string name, Func<string, T> parse)
            where T : struct =>
            new(new DataField<T?>(name), (group, field, texts) =>
            {
                var values = texts.Select(t => t is null ? (T?)null : parse(t)).ToArray();
                group.WriteAsync(field, new ReadOnlyMemory<T?>(values), null, null, default).GetAwaiter().GetResult();
            });
    }
}
