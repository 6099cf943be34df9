using System.Globalization;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Schema;
using Parquet;
using Parquet.Schema;

namespace DPSynth.Data;

/// <summary>
/// Reads a Parquet file (Parquet.Net) into an <see cref="EncodedTable"/> under a <see cref="TableSchema"/>: schema
/// columns are found by name among the file's top-level columns (others are ignored), each value is read as
/// <see cref="SourceColumnType"/> says and encoded by the same <see cref="RowEncoder"/> as a CSV field, so a Parquet
/// copy of a CSV gives the same codes. Bad rows (an unparsable value, or one outside the domain that is not mapped)
/// stop the run or are skipped, as <see cref="TableSchema.BadRows"/> says.
/// </summary>
public static class ParquetEncoder
{
    /// <summary>True when <paramref name="path"/> names a Parquet file (by its extension).</summary>
    public static bool IsParquet(string path) =>
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".parq", StringComparison.OrdinalIgnoreCase);

    /// <summary>Encodes the Parquet file at <paramref name="path"/>.</summary>
    /// <exception cref="InputException">
    /// The file is missing or not Parquet, a schema column is absent or of a type that cannot feed it, a bad row under
    /// <c>bad_rows: fail</c>, or no row is left.
    /// </exception>
    public static CsvEncodeResult EncodeFile(string path, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        var builder = new CodeColumnsBuilder(schema.Domain);
        return Readable(path, () => new Run(path, schema).Encode(builder).WithTable(builder.Build()));
    }

    /// <summary>Runs <paramref name="read"/>, turning Parquet.Net's errors into one about <paramref name="path"/>.</summary>
    private static T Readable<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or InvalidOperationException
                                       && ex is not DPSynthException)
        {
            throw new InputException(Messages.ParquetUnreadable(path, ex.Message), inner: ex);
        }
    }

    /// <summary>
    /// Checks the Parquet file's columns against the schema (each schema column present, of a type that can feed it) from
    /// its footer, without reading a row: the part of the input a dry run and the pre-charge checks may read.
    /// </summary>
    /// <exception cref="InputException">The file is missing or not Parquet, or a schema column is absent or of a type that cannot feed it.</exception>
    internal static void CheckColumns(string path, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        Readable(path, () => new Run(path, schema).Open((_, _) => 0L));
    }

    /// <summary>The source type of a Parquet column, as every source reads it.</summary>
    internal static SourceColumnType TypeOf(DataField field)
    {
        if (field.IsArray)
        {
            return SourceColumnType.Unsupported;
        }

        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type switch
        {
            _ when IsText(type) => SourceColumnType.Text,
            _ when type == typeof(bool) => SourceColumnType.Boolean,
            _ when type == typeof(DateOnly) => SourceColumnType.Date,
            _ when type == typeof(double) || type == typeof(float) => SourceColumnType.Floating,
            _ when type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte) ||
                   type == typeof(ulong) || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte) =>
                SourceColumnType.Integer,
            _ => SourceColumnType.Unsupported,
        };
    }

    /// <summary>Parquet.Net reports UTF-8 columns as <see cref="string"/> or, from a file's metadata, as chars in memory.</summary>
    private static bool IsText(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    /// <summary>One pass over the file.</summary>
    private sealed class Run(string path, TableSchema schema)
    {
        private readonly RowEncoder encoder = new(schema);
        private long records;
        private long kept;
        private long skipped;
        private long dropped;

        public EncodeCounts Encode(IEncodedRowSink sink) => Open((reader, fields) => Encode(reader, fields, sink));

        /// <summary>Opens the file, checks its columns, runs <paramref name="body"/> on the reader and the schema's fields, and closes it.</summary>
        public T Open<T>(Func<ParquetReader, DataField[], T> body)
        {
            // Only a regular file: a FIFO or a device is refused before it is read (RegularFile).
            using var stream = RegularFile.OpenRead(path, Messages.WhatParquet, 1 << 16);
            var reader = ParquetReader.CreateAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true })
                .GetAwaiter().GetResult();
            try
            {
                return body(reader, Fields(reader.Schema));
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        private EncodeCounts Encode(ParquetReader reader, DataField[] fields, IEncodedRowSink sink)
        {
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var rows = checked((int)group.RowCount);
                var columns = fields.Select(f => ColumnValues.Read(group, f, rows)).ToArray();
                for (var r = 0; r < rows; r++)
                {
                    records++;
                    if (EncodeRow(columns, r))
                    {
                        sink.Append(encoder.Codes);
                        kept++;
                    }
                }
            }

            if (kept == 0)
            {
                throw new InputException(Messages.CsvNoRowsLeft(records), new SourceLocation(path));
            }

            return new EncodeCounts(records, kept, skipped, dropped, encoder.Clamped, encoder.ToOther);
        }

        private DataField[] Fields(ParquetSchema file)
        {
            var byName = new Dictionary<string, Field>(StringComparer.Ordinal);
            foreach (var field in file.Fields)
            {
                byName.TryAdd(field.Name, field);
            }

            var absent = schema.Columns.Select(c => c.Name).Where(n => !byName.ContainsKey(n)).ToList();
            if (absent.Count > 0)
            {
                throw new InputException(Messages.SourceColumnsMissing(path, absent));
            }

            var result = new DataField[schema.Columns.Length];
            for (var c = 0; c < result.Length; c++)
            {
                var field = byName[schema.Columns[c].Name];
                var type = field is DataField data ? TypeOf(data) : SourceColumnType.Unsupported;
                var typeName = field is DataField d ? (Nullable.GetUnderlyingType(d.ClrType) ?? d.ClrType).Name : field.SchemaType.ToString();
                if (SourceColumnTypes.Refusal(schema.Columns[c], type, typeName) is { } refusal)
                {
                    throw new InputException(refusal, new SourceLocation(path));
                }

                result[c] = (DataField)field;
            }

            return result;
        }

        private bool EncodeRow(ColumnValues[] columns, int row)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                var column = columns[c];
                var outcome = column.Numbers is { } numbers
                    ? numbers[row] is { } number ? encoder.Number(c, number) : encoder.Missing(c)
                    : column.Texts![row] is { } text ? encoder.Text(c, text) : encoder.Missing(c);
                switch (outcome)
                {
                    case FieldOutcome.Ok:
                        break;
                    case FieldOutcome.Dropped:
                        dropped++;
                        return false;
                    default:
                        return BadRow(outcome, c, column.Display(row));
                }
            }

            return true;
        }

        private bool BadRow(FieldOutcome outcome, int column, string value)
        {
            if (schema.BadRows == BadRowAction.Skip)
            {
                skipped++;
                return false;
            }

            var spec = schema.Columns[column];
            var message = outcome == FieldOutcome.OutOfDomain
                ? Messages.CsvOutOfDomain(value, spec.Name)
                : encoder.Unparsable(column, value);
            throw new InputException(message, new SourceLocation(path, Key: Messages.ParquetRow(records, spec.Name)));
        }
    }

    /// <summary>One column of one row group: canonical texts, or doubles for a floating-point column; null is missing.</summary>
    private sealed class ColumnValues
    {
        public string?[]? Texts { get; private init; }

        public double?[]? Numbers { get; private init; }

        public static ColumnValues Read(ParquetRowGroupReader group, DataField field, int rows)
        {
            var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
            if (IsText(type))
            {
                var texts = new string?[rows];
                group.ReadAsync(field, texts.AsMemory(), null, default).GetAwaiter().GetResult();
                return new ColumnValues { Texts = texts };
            }

            return type switch
            {
                _ when type == typeof(double) => new ColumnValues { Numbers = Values<double>(group, field, rows) },
                _ when type == typeof(float) => new ColumnValues { Numbers = [.. Values<float>(group, field, rows).Select(v => (double?)v)] },
                _ when type == typeof(bool) => FromTexts(Values<bool>(group, field, rows), v => v ? "true" : "false"),
                _ when type == typeof(DateOnly) => FromTexts(Values<DateOnly>(group, field, rows), v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                _ when type == typeof(long) => Integers<long>(group, field, rows),
                _ when type == typeof(int) => Integers<int>(group, field, rows),
                _ when type == typeof(short) => Integers<short>(group, field, rows),
                _ when type == typeof(sbyte) => Integers<sbyte>(group, field, rows),
                _ when type == typeof(ulong) => Integers<ulong>(group, field, rows),
                _ when type == typeof(uint) => Integers<uint>(group, field, rows),
                _ when type == typeof(ushort) => Integers<ushort>(group, field, rows),
                _ when type == typeof(byte) => Integers<byte>(group, field, rows),
                _ => throw new InvalidOperationException($"Parquet column '{field.Name}' has type {type.Name}, checked before reading."),
            };
        }

        /// <summary>The value of row <paramref name="row"/> as an error message shows it.</summary>
        public string Display(int row) =>
            Numbers is { } n ? n[row]?.ToString("R", CultureInfo.InvariantCulture) ?? "null" : Texts![row] ?? "null";

        private static ColumnValues Integers<T>(ParquetRowGroupReader group, DataField field, int rows)
            where T : struct, IFormattable =>
            FromTexts(Values<T>(group, field, rows), v => v.ToString(null, CultureInfo.InvariantCulture));

        private static ColumnValues FromTexts<T>(T?[] values, Func<T, string> text)
            where T : struct =>
            new() { Texts = [.. values.Select(v => v is { } x ? text(x) : null)] };

        private static T?[] Values<T>(ParquetRowGroupReader group, DataField field, int rows)
            where T : struct
        {
            var values = new T?[rows];
            group.ReadAsync(field, values.AsMemory(), null, default).GetAwaiter().GetResult();
            return values;
        }
    }
}
