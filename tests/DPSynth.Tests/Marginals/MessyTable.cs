using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using Parquet;
using Parquet.Schema;

namespace DPSynth.Tests.Marginals;

/// <summary>
/// A random table of awkward text fields under a random variant of one schema: missing tokens, values outside the
/// domain, values on bin edges and bounds, numbers .NET parses in odd ways (signs, leading zeros, exponents, white
/// space, overflow, underflow, integers beyond 2^53), dates that are not real days, boolean spellings in any case,
/// fields that need CSV quoting. Written as a CSV, a Parquet file of text columns, or rows for a SQL table, all holding
/// the same strings.
/// </summary>
public sealed class MessyTable
{
    /// <summary>The schema's columns: name, YAML declaration (without the action and nullability), kind.</summary>
    private static readonly (string Name, string Declaration, ColumnKind Kind)[] Columns =
    [
        ("i1", "type: integer, min: -5, max: 20, edges: [-5, 0, 3, 10, 20]", ColumnKind.Integer),
        ("i2", "type: integer, min: 0, max: 4", ColumnKind.Integer),
        ("i3", "type: integer, min: 0, max: 100, bins: 7", ColumnKind.Integer),
        ("i4", "type: integer, min: -9007199254740992, max: 9007199254740992, bins: 3", ColumnKind.Integer),
        ("x1", "type: continuous, min: 0, max: 1, bins: 4", ColumnKind.Continuous),
        ("x2", "type: continuous, min: -1.5, max: 1000, edges: [-1.5, 0, 2.5, 1000]", ColumnKind.Continuous),
        ("c1", "type: categorical, categories: [a, b, \"c d\", é, \"x,y\", \"q\\\"z\", \"l1\\nl2\"], aliases: { bee: b }", ColumnKind.Categorical),
        ("b1", "type: boolean", ColumnKind.Boolean),
        ("d1", "type: date, min: 2020-01-15, max: 2021-03-10, granularity: month", ColumnKind.Date),
        ("d2", "type: date, min: 2020-02-27, max: 2020-03-02", ColumnKind.Date),
    ];

    private static readonly string[] Junk = ["", "NA", "?", "abc", " ", "null", "\t", "-", "+"];

    private static readonly Dictionary<ColumnKind, string[]> Pools = new()
    {
        [ColumnKind.Integer] =
        [
            "-5", "-6", "0", "-0", "+0", "3", "+3", "007", " 3", "3 ", "\t4", "4\u00A0", "10", "19", "20", "21", "100", "101", "1.0",
            "1e1", "\u0663", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "0000000000000000000000000001", "99999999999999999999", "2", "1", "4",
            "9007199254740992", "9007199254740993", "-9007199254740993", "9007199254740994", "18014398509481985",
            "4611686018427387905", "-4611686018427387904",
        ],
        [ColumnKind.Continuous] =
        [
            "0", "0.25", "0.5", "0.75", "1", "1.0000001", "-0.0", ".5", "1.", "5e-1", "2.5E-1", " 0.3 ", "\t0.3", "0.3\u00A0", "0x1",
            "inf", "Infinity", "-Infinity", "NaN", "1e400", "-1e400", "1e-400", "0.2499999999999999999", "0.25000000000000001",
            "1,5", "+0.9", "-1.5", "-1.6", "2.5", "999.99", "1000", "1000.0001", "1e3", "4.9e-324", "1e", ".", "-.e1",
            "-1e-400", "2.4e-324", "0e-999", "-0.0E+400", " 1", "1\r",
        ],
        [ColumnKind.Categorical] =
        [
            "a", "b", "c d", "é", "x,y", "q\"z", "l1\nl2", "bee", "Bee", "A", " a", "a ", " b\u00A0", "zz", "e\u0301", "\u00E9",
        ],
        [ColumnKind.Boolean] =
        [
            "true", "false", "TRUE", "False", "yes", "Y", "n", "0", "1", "t", "F", "yeſ", "maybe", " true", "tRuE", "No", "k", "\u212Aey",
        ],
        [ColumnKind.Date] =
        [
            "2020-01-15", "2020-01-14", "2020-01-01", "2020-02-27", "2020-02-29", "2020-03-02", "2020-03-03", "2021-03-10", "2021-03-11",
            "2021-03-31", "2021-02-29", "2020-13-01", "2020-00-10", "2020-1-05", "20200115", "0000-01-01", "abcd-ef-gh",
            " 2020-05-05", "2020-05-05 ", "2020-06-31", "9999-12-31", "0001-01-01", "2020/05/05",
        ],
    };

    private MessyTable(string yaml, string[][] rows)
    {
        Yaml = yaml;
        Rows = rows;
        Schema = TestSchemas.Parse(yaml);
    }

    /// <summary>The schema's YAML.</summary>
    public string Yaml { get; }

    /// <summary>The parsed schema.</summary>
    public TableSchema Schema { get; }

    /// <summary>The fields, one array per row, in schema column order.</summary>
    public string[][] Rows { get; }

    /// <summary>The column names, in schema order.</summary>
    public static string[] Names => [.. Columns.Select(c => c.Name)];

    /// <summary>A table of <paramref name="rowCount"/> rows drawn from <paramref name="seed"/>.</summary>
    public static MessyTable Generate(int rowCount, int seed)
    {
        var random = new Random(seed);
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"missing: {Pick(random, ["[\"\", NA, \"?\"]", "[NA]", "[\"\"]", "[]"])}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"bad_rows: {Pick(random, ["skip", "skip", "fail"])}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"csv: {{ trim: {(random.Next(2) == 0 ? "true" : "false")} }}");
        yaml.AppendLine("columns:");
        foreach (var (name, declaration, kind) in Columns)
        {
            var actions = kind is ColumnKind.Categorical or ColumnKind.Boolean ? new[] { "other", "drop", "fail" } : ["clamp", "drop", "fail"];
            var nullable = random.Next(2) == 0 ? "true" : "false";
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {{ name: {name}, {declaration}, nullable: {nullable}, on_out_of_domain: {Pick(random, actions)} }}");
        }

        // Mostly values from the pools, some junk: enough rows survive drop and skip for the counts to say something.
        var rows = new string[rowCount][];
        for (var r = 0; r < rowCount; r++)
        {
            rows[r] = [.. Columns.Select(c => random.Next(8) == 0 ? Pick(random, Junk) : Pick(random, Pools[c.Kind]))];
        }

        return new MessyTable(yaml.ToString(), rows);
    }

    /// <summary>Writes the rows as a CSV with a header, quoting every field (RFC 4180).</summary>
    public void WriteCsv(string path)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n", ShouldQuote = _ => true };
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        using var csv = new CsvWriter(writer, config);
        foreach (var name in Names)
        {
            csv.WriteField(name);
        }

        csv.NextRecord();
        foreach (var row in Rows)
        {
            foreach (var field in row)
            {
                csv.WriteField(field);
            }

            csv.NextRecord();
        }
    }

    /// <summary>Writes the rows as a Parquet file of text columns.</summary>
    public void WriteParquet(string path) => WriteTextParquet(path, Names, Rows);

    /// <summary>Writes <paramref name="rows"/> as a Parquet file of text columns named <paramref name="names"/>.</summary>
    public static void WriteTextParquet(string path, string[] names, IReadOnlyList<string[]> rows)
    {
        var fields = names.Select(n => new DataField<string>(n)).ToArray();
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            for (var c = 0; c < fields.Length; c++)
            {
                group.WriteAsync(fields[c], rows.Select(r => r[c]).ToArray(), null).GetAwaiter().GetResult();
            }
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
