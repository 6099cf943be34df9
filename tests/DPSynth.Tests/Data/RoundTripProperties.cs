using System.Globalization;
using System.Text;
using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Schema;
using FsCheck;
using FsCheck.Xunit;

namespace DPSynth.Tests.Data;

/// <summary>Encode/decode laws over random domains, values and tables (design.md section 2).</summary>
public sealed class RoundTripProperties
{
    // Awkward but legal label characters: CSV delimiters, quotes, line breaks, spaces, YAML indicators, non-ASCII.
    private const string Alphabet = "ab,\"\n\r '#:-[]{}?é中";

    /// <summary>A schema with every kind of column, missing and other cells, and labels that need quoting.</summary>
    private const string Mixed = """
        missing: ["", "NA"]
        on_out_of_domain: other
        other_token: "(other)"
        columns:
          - { name: age, type: integer, min: -5, max: 120, bins: 7, nullable: true }
          - { name: gain, type: integer, min: 0, max: 99999, edges: [0, 1, 1000, 100000] }
          - { name: score, type: continuous, min: -1.5, max: 2.25, bins: 5, nullable: true }
          - { name: city, type: categorical, categories: [Paris, "New York, NY", "say \"hi\"", "two\nlines", " pad "] }
          - { name: flag, type: boolean, nullable: true }
          - { name: day, type: date, min: 2019-12-30, max: 2021-02-03, granularity: month, bins: 4 }
          - { name: week, type: date, min: 2020-02-27, max: 2020-03-02 }
        """;

    private static readonly TableSchema MixedSchema = TestSchemas.Parse(Mixed);

    [Property(MaxTest = 200)]
    public void DecodedIntegersFallInTheirBinAndReencodeToTheirCode(int min, NonNegativeInt width, PositiveInt bins, int seed)
    {
        long lo = min;
        var hi = lo + (width.Get % 100_000);
        var k = 1 + ((bins.Get - 1) % (int)Math.Min(hi - lo + 1, 300));
        var schema = TestSchemas.Parse($"columns:\n  - {{ name: n, type: integer, min: {lo}, max: {hi}, bins: {k} }}\n");
        AssertEveryBinDecodesInsideAndReencodes(schema, new Random(seed), text => long.Parse(text, CultureInfo.InvariantCulture));
    }

    [Property(MaxTest = 200)]
    public void DecodedRealsFallInTheirBinAndReencodeToTheirCode(NormalFloat start, NonEmptyArray<PositiveInt> gaps, PositiveInt scale, int seed)
    {
        var edges = new double[gaps.Get.Length + 1];
        edges[0] = Math.Clamp(start.Get, -1e6, 1e6);
        for (var i = 0; i < gaps.Get.Length; i++)
        {
            edges[i + 1] = edges[i] + (gaps.Get[i].Get * (scale.Get / 7.0));
        }

        var list = string.Join(", ", edges.Select(e => e.ToString("R", CultureInfo.InvariantCulture)));
        var schema = TestSchemas.Parse($"columns:\n  - {{ name: x, type: continuous, edges: [{list}] }}\n");
        AssertEveryBinDecodesInsideAndReencodes(schema, new Random(seed), text => double.Parse(text, CultureInfo.InvariantCulture));
    }

    [Property(MaxTest = 100)]
    public void CategoriesOfAnyTextDecodeToTheirLabelAndReencodeThroughCsv(NonEmptyArray<NonEmptyString> labels, int seed)
    {
        var distinct = labels.Get
            .Select(l => new string([.. l.Get.Select(ch => Alphabet[ch % Alphabet.Length])]))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var yaml = $"columns:\n  - name: c\n    type: categorical\n    categories: [{string.Join(", ", distinct.Select(SchemaInference.Quote))}]\n";
        var schema = TestSchemas.Parse(yaml);
        var random = new Random(seed);
        var codes = Enumerable.Range(0, 3 * distinct.Length).Select(_ => random.Next(distinct.Length)).ToArray();
        var table = new EncodedTable(schema.Domain, [EncodedColumn.FromCodes(distinct.Length, codes)]);

        Assert.Equal(distinct, Enumerable.Range(0, distinct.Length).Select(i => CsvDecoder.DecodeCell(schema, 0, i, random)));
        Assert.Equal(codes, Reencode(schema, table, random));
    }

    [Property(MaxTest = 100)]
    public void AMixedTableSurvivesDecodeWriteAndReencode(NonEmptyArray<int> picks, int seed)
    {
        var sizes = MixedSchema.Domain.Sizes;
        var rows = picks.Get.Length;
        var columns = new EncodedColumn[sizes.Length];
        var expected = new int[sizes.Length][];
        for (var c = 0; c < sizes.Length; c++)
        {
            // Spread each pick over the columns so every cell, missing and other included, gets drawn.
            expected[c] = [.. picks.Get.Select((p, r) => (int)(((((long)p + (c * 7919L) + r) % sizes[c]) + sizes[c]) % sizes[c]))];
            columns[c] = EncodedColumn.FromCodes(sizes[c], expected[c]);
        }

        var table = new EncodedTable(MixedSchema.Domain, columns);
        var again = CsvEncoder.Encode(new StringReader(Decode(MixedSchema, table, new Random(seed))), "decoded.csv", MixedSchema.WithCsv(CsvOptions.Default));

        Assert.Equal(rows, again.Table.RowCount);
        for (var c = 0; c < sizes.Length; c++)
        {
            Assert.Equal(expected[c], Enumerable.Range(0, rows).Select(r => again.Table[r, c]));
        }
    }

    [Property(MaxTest = 200)]
    public void EncodingAnyTextNeverGivesACodeOutsideTheCellCount(NonEmptyArray<string> values)
    {
        var schema = TestSchemas.Parse(Mixed.Replace("columns:", "bad_rows: skip\ncolumns:", StringComparison.Ordinal));
        var csv = new StringBuilder();
        csv.AppendJoin(',', schema.Columns.Select(c => c.Name)).Append('\n');
        for (var r = 0; r < values.Get.Length; r++)
        {
            for (var c = 0; c < schema.Columns.Length; c++)
            {
                var text = values.Get[(r + c) % values.Get.Length] ?? string.Empty;
                csv.Append(c == 0 ? string.Empty : ",").Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }

            csv.Append('\n');
        }

        // A row of valid values makes sure the file never ends up empty after skipping.
        csv.Append("1,0,0,Paris,true,2020-01-01,2020-03-01\n");

        var result = CsvEncoder.Encode(new StringReader(csv.ToString()), "any.csv", schema);

        for (var c = 0; c < schema.Columns.Length; c++)
        {
            for (var r = 0; r < result.Table.RowCount; r++)
            {
                Assert.InRange(result.Table[r, c], 0, schema.Columns[c].CellCount - 1);
            }
        }

        Assert.Equal(values.Get.Length + 1, result.RecordsRead);
    }

    /// <summary>Each bin decodes to a value inside it (upper bound excluded for real bins but the last) that encodes back to it.</summary>
    private static void AssertEveryBinDecodesInsideAndReencodes(TableSchema schema, Random random, Func<string, double> parse)
    {
        var spec = (NumericColumnSpec)schema.Columns[0];
        for (var code = 0; code < spec.CellCount; code++)
        {
            var text = CsvDecoder.DecodeCell(schema, 0, code, random);
            var value = parse(text);
            Assert.InRange(value, spec.Binning.Lower(code), spec.Binning.Upper(code));
            Assert.True(spec.Binning.IsInteger || code == spec.CellCount - 1 || value < spec.Binning.Upper(code));
            Assert.Equal(FieldStatus.Ok, spec.EncodeValue(text, out var again));
            Assert.Equal(code, again);
        }
    }

    private static string Decode(TableSchema schema, EncodedTable table, Random random)
    {
        using var writer = new StringWriter();
        CsvDecoder.Write(writer, schema, table, random);
        return writer.ToString();
    }

    private static int[] Reencode(TableSchema schema, EncodedTable table, Random random)
    {
        var result = CsvEncoder.Encode(new StringReader(Decode(schema, table, random)), "decoded.csv", schema.WithCsv(CsvOptions.Default));
        return [.. Enumerable.Range(0, result.Table.RowCount).Select(r => result.Table[r, 0])];
    }
}
