using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Tests.Schema;

public sealed class SchemaReaderTests
{
    private const string Valid = """
        missing: ["", "?"]
        nullable: false
        on_out_of_domain: other
        bad_rows: skip
        other_token: OTHER
        csv: { header: false, delimiter: ";", quote: "'", trim: true, skip_lines: 2 }
        columns:
          - name: age
            type: integer
            min: 17
            max: 90
          - name: weight
            type: continuous
            min: 0
            max: 200.5
            bins: 4
            nullable: true
          - name: gain
            type: integer
            min: 0
            max: 99999
            edges: [0, 1, 1000, 100000]
          - name: colour
            type: categorical
            categories: [red, green, blue]
          - name: smoker
            type: boolean
            on_out_of_domain: fail
          - name: visit
            type: date
            min: 2020-01-15
            max: 2021-03-02
            granularity: month
        """;

    [Fact]
    public void AValidSchemaGivesEveryColumnItsCellsAndTheFileWideOptions()
    {
        var schema = TestSchemas.Parse(Valid);

        Assert.Equal(["age", "weight", "gain", "colour", "smoker", "visit"], schema.Domain.Names.ToArray());

        // age: 74 values; weight: 4 bins + missing; gain: 3 bins; colour: 3 + other; smoker: 2 (fail: no other); visit: 15 months.
        Assert.Equal([74, 5, 3, 4, 2, 15], schema.Domain.Sizes.ToArray());
        Assert.Equal(new CsvOptions(false, ";", '\'', true, 2), schema.Csv);
        Assert.Equal(BadRowAction.Skip, schema.BadRows);
        Assert.Equal("OTHER", schema.OtherToken);
        Assert.Equal("", schema.MissingToken);

        // The file-wide "other" means clamp for numbers and dates, an other cell for labels.
        Assert.Equal(OutOfDomainAction.Clamp, schema.Columns[0].OnOutOfDomain);
        Assert.Equal(OutOfDomainAction.Clamp, schema.Columns[5].OnOutOfDomain);
        Assert.True(schema.Columns[3].HasOtherCell);
        Assert.Equal(3, schema.Columns[3].OtherCode);
        Assert.False(schema.Columns[4].HasOtherCell);
        Assert.Equal(4, schema.Columns[1].MissingCode);
        Assert.Equal(-1, schema.Columns[0].MissingCode);
    }

    [Fact]
    public void MissingAndOtherCellsComeFromTheSchemaAlone()
    {
        var schema = TestSchemas.Parse("""
            nullable: true
            on_out_of_domain: other
            columns:
              - { name: a, type: categorical, categories: [x] }
              - { name: b, type: categorical, categories: [x], nullable: false, on_out_of_domain: drop }
            """);

        // No data were read: the cells exist because the schema declares them.
        Assert.Equal([3, 1], schema.Domain.Sizes.ToArray());
    }

    [Fact]
    public void TheAdultSchemaFromTheCodeBookLoads()
    {
        var schema = TableSchema.Load(TestSchemas.AdultPath);

        Assert.Equal(15, schema.Columns.Length);
        Assert.Equal(9, schema.Domain.Size(schema.Domain.IndexOf("workclass")));
        Assert.Equal(5, schema.Domain.Size(schema.Domain.IndexOf("capital-gain")));
        Assert.Equal(42, schema.Domain.Size(schema.Domain.IndexOf("native-country")));
    }

    [Theory]
    [InlineData("columns:\n  - name: a\n    type: integer\n    min: 1\n    max: 2\n    colour: red\n", 6, 5, "unknown key 'colour'")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    min: one\n    max: 2\n", 4, 10, "'min' must be an integer")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    min: \"1\"\n    max: 2\n", 4, 10, "'min' must be an integer")]
    [InlineData("columns:\n  - name: a\n    type: categorical\n    categories: []\n", 4, 17, "empty 'categories' list")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    min: 9\n    max: 2\n", 5, 10, "'min' (9) is greater than 'max' (2)")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    edges: [0, 5, 5, 9]\n", 4, 19, "strictly increasing")]
    [InlineData("columns:\n  - name: a\n    type: categorical\n    categories: [x, y, x]\n", 4, 24, "category 'x' is listed twice")]
    [InlineData("columns:\n  - name: a\n    type: boolean\n  - name: a\n    type: boolean\n", 4, 11, "duplicate column name 'a' (first declared on line 2)")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    categories: [x]\n", 4, 5, "'categories' does not apply to a integer column")]
    [InlineData("columns:\n  - name: a\n    type: number\n", 3, 11, "'type' must be one of")]
    [InlineData("colums:\n  - name: a\n", 1, 1, "unknown key 'colums'")]
    [InlineData("columns:\n  - name: a\n    type: continuous\n    min: 0\n    max: 1\n", 2, 5, "needs 'bins' or 'edges'")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    min: 0\n    max: 9\n    bins: 2\n    edges: [0, 9]\n", 6, 11, "either 'bins' or 'edges'")]
    [InlineData("columns:\n  - name: a\n    type: categorical\n    categories: [x]\n    on_out_of_domain: clamp\n", 5, 23, "cannot be clamped")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    min: 0\n    max: 9\n    on_out_of_domain: other\n", 6, 23, "has no 'other' cell")]
    [InlineData("missing: [\"?\"]\ncolumns:\n  - name: a\n    type: categorical\n    categories: [x, \"?\"]\n", 5, 21, "also a missing token")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    min: 0\n    max: 100000\n", 2, 5, "give 'bins' or 'edges'")]
    [InlineData("columns:\n  - name: a\n    type: integer\n    min: 0\n    max: 9\n    bins: 11\n", 6, 11, "11 bins for only 10 values")]
    [InlineData("csv: { header: yes }\ncolumns:\n  - { name: a, type: boolean }\n", 1, 16, "'header' must be true or false")]
    [InlineData("columns:\n  - name: a\n    type: categorical\n    categories: [x]\n    aliases: { y: z }\n", 5, 19, "not a category")]
    [InlineData("columns:\n  - name: d\n    type: date\n    min: 2020-01-01\n    max: 2020-12-31\n    format: yyyy\n", 6, 13, "cannot read back")]
    [InlineData("columns:\n  - name: d\n    type: date\n    min: 2020-01-01\n    max: 1/2/2020\n", 5, 10, "'max' must be a date written yyyy-MM-dd")]
    [InlineData("columns:\n  - name: x\n    type: continuous\n    min: -1e308\n    max: 1e308\n    bins: 2\n", 5, 10, "too large to compute")]
    [InlineData("columns: [\n", 2, 1, "YAML syntax error")]
    [InlineData("columns:\n  - name: a\n    name: b\n", 3, 5, "YAML syntax error")]
    public void EachSchemaErrorNamesItsLineAndColumn(string yaml, int line, int column, string message)
    {
        var result = TestSchemas.Read(yaml);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(new SourceLocation("schema.yaml", line, column, diagnostic.Location.Key), diagnostic.Location);
    }

    [Fact]
    public void EveryProblemIsReportedInOneException()
    {
        var result = TestSchemas.Read("""
            columns:
              - name: a
                type: integer
                min: 5
                max: 1
              - name: b
                type: categorical
                categories: []
              - name: a
                type: boolean
            """);

        var ex = Assert.Throws<InputException>(() => result.GetValueOrThrow());
        Assert.Equal(3, result.Diagnostics.Length);
        Assert.Contains("3 problems", ex.Message, StringComparison.Ordinal);
        Assert.Contains("schema.yaml:5:10 (max)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("schema.yaml:8:17 (categories)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("schema.yaml:9:11 (name)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Diagnostics.ExitCode.UsageOrInput, ex.ExitCode);
    }

    [Fact]
    public void EdgesMayReachPastTheBoundsButEveryBinNeedsAValue()
    {
        var schema = TestSchemas.Parse("columns:\n  - { name: g, type: integer, min: 0, max: 99999, edges: [0, 1, 1000, 100000] }\n");
        var binning = ((NumericColumnSpec)schema.Columns[0]).Binning;
        Assert.Equal((0, 0), (binning.Lower(0), binning.Upper(0)));
        Assert.Equal((1000, 99999), (binning.Lower(2), binning.Upper(2)));

        var empty = TestSchemas.Read("columns:\n  - { name: g, type: integer, min: 10, max: 20, edges: [0, 5, 30] }\n");
        Assert.Contains(empty.Diagnostics, d => d.Message.Contains("no value inside", StringComparison.Ordinal));
    }

    [Fact]
    public void EqualWidthIntegerBinsSplitTheValuesEvenly()
    {
        var schema = TestSchemas.Parse("columns:\n  - { name: n, type: integer, min: 1, max: 10, bins: 3 }\n");
        var binning = ((NumericColumnSpec)schema.Columns[0]).Binning;

        Assert.Equal([(1.0, 4.0), (5.0, 7.0), (8.0, 10.0)], Enumerable.Range(0, 3).Select(i => (binning.Lower(i), binning.Upper(i))));
    }

    [Fact]
    public void ADomainJsonBecomesIntegerColumnsWithOneCellPerCode()
    {
        var schema = DomainJsonReader.Read("{\"a\": 3, \"b\": 1}"u8, "d.json").GetValueOrThrow();

        Assert.Equal(["a", "b"], schema.Domain.Names.ToArray());
        Assert.Equal([3, 1], schema.Domain.Sizes.ToArray());
        Assert.All(schema.Columns, c => Assert.Equal(ColumnKind.Integer, c.Kind));
        Assert.True(schema.Csv.Header);
    }

    [Theory]
    [InlineData("{\"a\": 3,\n \"b\": 0}", 2, 7, "the size of 'b'")]
    [InlineData("{\"a\": 3,\n \"a\": 2}", 2, 2, "duplicate column name 'a'")]
    [InlineData("{\"a\": \"3\"}", 1, 7, "the size of 'a'")]
    [InlineData("[1, 2]", 1, 1, "must be an object")]
    [InlineData("{\"a\": 3", 1, 8, "JSON syntax error")]
    [InlineData("{\"a\": 3, \"b\": 2} {\"c\": 2}", 1, 18, "JSON syntax error")]
    [InlineData("{\"a\": 3, \"b\": 2} trailing", 1, 18, "JSON syntax error")]
    [InlineData("{\"a\": 3}\n// the end\n]", 3, 1, "JSON syntax error")]
    [InlineData("{\"a\": 3} 7", 1, 10, "JSON syntax error")]
    public void ABadDomainJsonNamesItsLineAndColumn(string json, int line, int column, string message)
    {
        var result = DomainJsonReader.Read(System.Text.Encoding.UTF8.GetBytes(json), "d.json");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void WhiteSpaceAndCommentsAfterADomainJsonObjectAreNotContent()
    {
        var schema = DomainJsonReader.Read("{\"a\": 3, \"b\": 2}\n  // coded Adult\n/* end */\n\n"u8, "d.json").GetValueOrThrow();

        Assert.Equal(["a", "b"], schema.Domain.Names.ToArray());
    }

    [Fact]
    public void ASchemaEmbeddedInAnotherYamlFileReportsLinesOfThatFile()
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader("name: demo\nepsilon: 1.0\nschema:\n  columns:\n    - { name: a, type: integer, min: 3, max: 1 }\n"));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents[0].RootNode;
        var schemaNode = (YamlDotNet.RepresentationModel.YamlMappingNode)root.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("schema")];

        var result = SchemaReader.ReadNode(schemaNode, "policy.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(new SourceLocation("policy.yaml", 5, 46, "max"), diagnostic.Location);
    }

    [Fact]
    public void LoadPicksTheReaderByExtensionAndNamesAMissingFile()
    {
        using var dir = new Support.TempDirectory();
        var json = dir.WriteFile("domain.json", "{\"a\": 4}");
        var yaml = dir.WriteFile("schema.yml", "columns:\n  - { name: a, type: boolean }\n");

        Assert.Equal(4, TableSchema.Load(json).Domain.Size(0));
        Assert.Equal(ColumnKind.Boolean, TableSchema.Load(yaml).Columns[0].Kind);
        var ex = Assert.Throws<InputException>(() => TableSchema.Load(dir.File("nope.yaml")));
        Assert.Contains("file not found", ex.Message, StringComparison.Ordinal);
    }
}
