using System.Globalization;
using System.Text;
using DPSynth.Schema;
using Parquet;
using Parquet.Schema;

namespace DPSynth.Benchmarks.Scale;

/// <summary>
/// The generated table of the scale figures: <c>rows</c> x 20 columns of mixed kinds and cardinalities (booleans,
/// categoricals of 3 to 1000 labels, per-value and binned integers), written as a CSV and as a Parquet file of typed
/// columns (text, 32-bit integers, booleans) holding the same values, with its schema. Deterministic (a fixed-seed
/// generator), so a file left by an earlier run is reused when its size says it is complete.
/// </summary>
/// <remarks>
/// The columns form a tree (column j's parent is column (j - 1) / 2): a column copies a monotone image of its parent's
/// code with probability 0.7 and draws a skewed code (the minimum of two uniform draws) otherwise, so MST has a real
/// tree of strong pairs to find and AIM real 2-way structure.
/// </remarks>
public sealed class ScaleTable
{
    private const int RowsPerGroup = 1 << 20;
    private const double CopyParent = 0.7;

    private static readonly Column[] Columns =
    [
        new("region", Kind.Categorical, 12),
        new("member", Kind.Boolean, 2),
        new("age", Kind.Integer, 73, Min: 18),
        new("plan", Kind.Categorical, 5),
        new("visits", Kind.Integer, 50, Min: 0),
        new("income", Kind.Binned, 40, Min: 0, Width: 5000),
        new("clinic", Kind.Categorical, 300),
        new("smoker", Kind.Boolean, 2),
        new("score", Kind.Binned, 20, Min: 0, Width: 50),
        new("diagnosis", Kind.Categorical, 1000),
        new("weekday", Kind.Categorical, 7),
        new("stay", Kind.Integer, 30, Min: 1),
        new("ward", Kind.Categorical, 64),
        new("urgent", Kind.Boolean, 2),
        new("doctor", Kind.Categorical, 500),
        new("cost", Kind.Binned, 100, Min: 0, Width: 100),
        new("month", Kind.Integer, 12, Min: 1),
        new("insurer", Kind.Categorical, 25),
        new("outcome", Kind.Categorical, 3),
        new("followup", Kind.Integer, 200, Min: 0),
    ];

    /// <summary>A table of <paramref name="rows"/> rows.</summary>
    public ScaleTable(long rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        Rows = rows;
    }

    private enum Kind
    {
        Categorical,
        Boolean,
        Integer,
        Binned,
    }

    /// <summary>The rows.</summary>
    public long Rows { get; }

    /// <summary>The number of columns.</summary>
    public static int ColumnCount => Columns.Length;

    /// <summary>The cells of each column (the schema's domain sizes).</summary>
    public static IReadOnlyList<int> Sizes => [.. Columns.Select(c => c.Size)];

    /// <summary>The schema, as YAML.</summary>
    public static string SchemaYaml()
    {
        var yaml = new StringBuilder("columns:\n");
        foreach (var c in Columns)
        {
            yaml.Append(c.Kind switch
            {
                Kind.Categorical => string.Create(
                    CultureInfo.InvariantCulture,
                    $"  - {{ name: {c.Name}, type: categorical, categories: [{string.Join(", ", Enumerable.Range(0, c.Size).Select(v => c.Label(v)))}] }}\n"),
                Kind.Boolean => $"  - {{ name: {c.Name}, type: boolean }}\n",
                Kind.Integer => string.Create(
                    CultureInfo.InvariantCulture, $"  - {{ name: {c.Name}, type: integer, min: {c.Min}, max: {c.Min + c.Size - 1} }}\n"),
                _ => string.Create(
                    CultureInfo.InvariantCulture,
                    $"  - {{ name: {c.Name}, type: integer, min: {c.Min}, max: {c.Min + (c.Size * c.Width) - 1}, bins: {c.Size} }}\n"),
            });
        }

        return yaml.ToString();
    }

    /// <summary>The columns as SQL column definitions (text, boolean, integer), for loading the CSV into a database.</summary>
    public static IEnumerable<string> SqlColumns() => Columns.Select(c => c.Name + (c.Kind switch
    {
        Kind.Categorical => " text",
        Kind.Boolean => " boolean",
        _ => " integer",
    }));

    /// <summary>The schema, parsed.</summary>
    public static TableSchema Schema() =>
        SchemaReader.Read(new StringReader(SchemaYaml()), "scale.schema.yaml").GetValueOrThrow();

    /// <summary>
    /// Writes <c>scale-ROWS.csv</c>, <c>scale-ROWS.parquet</c> and <c>scale.schema.yaml</c> into <paramref name="folder"/>
    /// unless complete files are there already (a marker file is written last), and returns their paths.
    /// </summary>
    public (string Csv, string Parquet, string Schema) WriteInto(string folder)
    {
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"scale-{Rows}"));
        var (csv, parquet, schema, done) = (stem + ".csv", stem + ".parquet", Path.Combine(folder, "scale.schema.yaml"), stem + ".done");
        File.WriteAllText(schema, SchemaYaml());
        if (!File.Exists(done))
        {
            Write(csv, parquet);
            File.WriteAllText(done, "complete\n");
        }

        return (csv, parquet, schema);
    }

    private void Write(string csvPath, string parquetPath)
    {
        var fields = Columns.Select(c => c.Field()).ToArray();
        using var csv = new StreamWriter(csvPath, false, new UTF8Encoding(false), 1 << 20);
        using var parquetStream = File.Create(parquetPath);
        var parquet = ParquetWriter.CreateAsync(new ParquetSchema(fields), parquetStream).GetAwaiter().GetResult();
        csv.Write(string.Join(',', Columns.Select(c => c.Name)));
        csv.Write('\n');

        var random = new Random(20261203);
        var codes = new int[Columns.Length];
        var group = Columns.Select(c => new int[RowsPerGroup]).ToArray();
        var line = new StringBuilder(256);
        for (long start = 0; start < Rows; start += RowsPerGroup)
        {
            var length = (int)Math.Min(RowsPerGroup, Rows - start);
            for (var r = 0; r < length; r++)
            {
                Draw(random, codes);
                line.Clear();
                for (var j = 0; j < Columns.Length; j++)
                {
                    group[j][r] = codes[j];
                    if (j > 0)
                    {
                        line.Append(',');
                    }

                    Columns[j].AppendCsv(line, codes[j]);
                }

                line.Append('\n');
                csv.Write(line);
            }

            using var writer = parquet.CreateRowGroup();
            for (var j = 0; j < Columns.Length; j++)
            {
                Columns[j].WriteParquet(writer, fields[j], group[j], length);
            }
        }

        parquet.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One row's codes: the root uniform, every other column a monotone image of its parent or a skewed draw.</summary>
    private static void Draw(Random random, int[] codes)
    {
        codes[0] = random.Next(Columns[0].Size);
        for (var j = 1; j < Columns.Length; j++)
        {
            var size = Columns[j].Size;
            var parent = (j - 1) / 2;
            codes[j] = random.NextDouble() < CopyParent
                ? (int)((codes[parent] * (long)size) / Columns[parent].Size) + (random.Next(3) == 0 ? random.Next(Math.Max(1, size / 10)) : 0)
                : Math.Min(random.Next(size), random.Next(size));
            codes[j] = Math.Min(codes[j], size - 1);
        }
    }

    private sealed record Column(string Name, Kind Kind, int Size, int Min = 0, int Width = 1)
    {
        public string Label(int code) => string.Create(CultureInfo.InvariantCulture, $"{Name[0]}{code}");

        public DataField Field() => Kind switch
        {
            Kind.Categorical => new DataField<string>(Name),
            Kind.Boolean => new DataField<bool>(Name),
            _ => new DataField<int>(Name),
        };

        /// <summary>The value of <paramref name="code"/>: for a binned integer, a point in the bin (the same one in both files).</summary>
        public int Value(int code) => Min + (code * Width) + (Width > 1 ? (code * 7919) % Width : 0);

        public void AppendCsv(StringBuilder line, int code)
        {
            switch (Kind)
            {
                case Kind.Categorical:
                    line.Append(Name[0]).Append(code);
                    break;
                case Kind.Boolean:
                    line.Append(code == 1 ? "true" : "false");
                    break;
                default:
                    line.Append(Value(code));
                    break;
            }
        }

        public void WriteParquet(ParquetRowGroupWriter writer, DataField field, int[] codes, int length)
        {
            var task = Kind switch
            {
                Kind.Categorical => writer.WriteAsync(field, Labels(codes, length), null),
                Kind.Boolean => writer.WriteAsync(field, new ReadOnlyMemory<bool>([.. codes.Take(length).Select(c => c == 1)])),
                _ => writer.WriteAsync(field, new ReadOnlyMemory<int>([.. codes.Take(length).Select(Value)])),
            };
            task.GetAwaiter().GetResult();
        }

        private string[] Labels(int[] codes, int length)
        {
            var labels = Enumerable.Range(0, Size).Select(Label).ToArray();
            var result = new string[length];
            for (var i = 0; i < length; i++)
            {
                result[i] = labels[codes[i]];
            }

            return result;
        }
    }
}
