using System.Collections.Immutable;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Schema;
using DPSynth.Tests.Support;
using FsCheck.Xunit;

namespace DPSynth.Tests.Schema;

/// <summary>
/// The schema's <c>constraints</c> (issue 17, structural zeros): the syntax, the masks it compiles to over the declared
/// cells, and every error, each with its file, line and column.
/// </summary>
/// <remarks>
/// A constraint's values are read by the column's own parser, as the file's fields are (after trimming), and must be
/// values the column could hold: not parsable, inexact, outside the bounds or not a category is a schema error naming the
/// constraint and the value, whatever the operator. Found by the trust audit: the values were read with
/// <c>double.TryParse</c> under <c>NumberStyles.Float</c>, so <c>AGEP = 1e1</c> meant 10 (a bad row in the file),
/// <c>" 10"</c> lost its spaces, <c>1.5e-400</c> became 0, an integer beyond 2^53 rounded, and an ordering value was
/// neither checked against the bounds nor, on an integer column, for being an integer.
/// </remarks>
[Trait("Issue", "17")]
public sealed class ConstraintReaderTests
{
    // Columns of every kind; constraints are appended below `constraints:` (line 14 is the first constraint).
    private const int FirstConstraintLine = 14;

    private const string Columns = """
        columns:
          - { name: AGEP, type: integer, min: 0, max: 20 }
          - { name: AGEB, type: integer, min: 0, max: 99, bins: 10 }
          - { name: MSP, type: integer, min: 1, max: 6, nullable: true }
          - { name: SEX, type: categorical, categories: [F, M] }
          - { name: FLAG, type: boolean }
          - { name: DAY, type: date, min: 2020-01-01, max: 2020-12-31, granularity: month }
          - { name: INC, type: continuous, min: 0, max: 100, bins: 4, nullable: true }
          - { name: "hours per week", type: integer, min: 0, max: 9 }
          - { name: BIG, type: integer, min: 0, max: 9007199254740992, bins: 4 }
          - { name: CLAMPED, type: integer, min: 0, max: 20, on_out_of_domain: clamp }
          - { name: EU, type: date, min: 2020-01-01, max: 2020-12-31, granularity: month, format: dd/MM/yyyy }
        constraints:

        """;

    private static readonly TableSchema Schema = TestSchemas.Parse(Columns.Replace("constraints:\n", string.Empty, StringComparison.Ordinal));

    private static TableSchema WithConstraints(params string[] constraints) =>
        TestSchemas.Parse(Columns + string.Concat(constraints.Select(c => $"  - {c}\n")));

    [Fact]
    public void MissingWhenBelowForbidsEveryValueCellUnderTheThreshold()
    {
        var constraint = Assert.Single(WithConstraints("MSP is missing when AGEP < 15").Constraints);

        Assert.Equal([0, 2], constraint.Columns.ToArray());
        Assert.Equal(21 * 7, constraint.Allowed.Length);
        Assert.Equal(15 * 6, constraint.ForbiddenCount);
        Assert.False(constraint.Allowed[(10 * 7) + 0]);
        Assert.True(constraint.Allowed[(10 * 7) + 6]);
        Assert.True(constraint.Allowed[(15 * 7) + 0]);
    }

    [Fact]
    public void ASetConsequenceWithTwoConditionsSpansThreeColumns()
    {
        var constraint = Assert.Single(WithConstraints("MSP in {1, 2} when SEX = F and AGEP >= 18").Constraints);

        Assert.Equal([0, 2, 3], constraint.Columns.ToArray());

        // AGEP 18..20 (3 cells) with SEX F: MSP 3..6 and missing (5 cells) are forbidden.
        Assert.Equal(15, constraint.ForbiddenCount);
        Assert.Equal(3, constraint.ConditionCellCount / 7);
    }

    [Fact]
    public void ABinThatStraddlesTheThresholdIsNeverConstrained()
    {
        // AGEB bins hold 0-9, 10-19, ...: only 0-9 lies wholly below 15.
        var constraint = Assert.Single(WithConstraints("MSP is missing when AGEB < 15").Constraints);

        Assert.Equal(6, constraint.ForbiddenCount);
    }

    [Theory]
    [InlineData("'\"SEX\" not in {\"M\"} when FLAG = true'", 1)]
    [InlineData("MSP is missing when DAY < 2020-03-01", 12)]
    [InlineData("INC is not missing when MSP != 6", 6)]
    [InlineData("INC <= 50 when AGEP = 3", 2)]
    [InlineData("SEX = F when FLAG = yes", 1)]
    [InlineData("MSP is not missing when \"hours per week\" > 4", 5)]
    [InlineData("MSP > 2 when AGEB = 5 and AGEP <= 1", 0)]
    public void EachFormCompilesToTheCellsItForbids(string constraint, int forbidden)
    {
        if (forbidden == 0)
        {
            // AGEB = 5 lies inside the bin 0-9, which holds other values too: the condition never holds for a whole cell.
            Assert.Contains(TestSchemas.Read(Columns + $"  - {constraint}\n").Diagnostics, d => d.Message.Contains("holds for no cell", StringComparison.Ordinal));
            return;
        }

        Assert.Equal(forbidden, Assert.Single(WithConstraints(constraint).Constraints).ForbiddenCount);
    }

    [Theory]
    [InlineData("MSP is missing if AGEP < 15", 20, "expected 'when' after the first condition, found 'if'")]
    [InlineData("MSP is gone when AGEP < 15", 12, "expected 'missing' or 'not missing' after 'is', found 'gone'")]
    [InlineData("MSP in {1, 2 when AGEP < 3", 18, "expected ',' or '}' in the set, found 'when'")]
    [InlineData("MSP in 1 when AGEP < 3", 12, "expected '{' after 'in', found '1'")]
    [InlineData("MSP = 1 when AGEP <", 24, "expected a value after '<', found the end of the text")]
    [InlineData("MSP = 1 when \"AGEP < 3", 18, "a quoted name or value is not closed")]
    [InlineData("MSP is missing when AGEP < 15 or SEX = F", 35, "expected 'and' or the end of the constraint, found 'or'")]
    [InlineData("MSP ! 3 when AGEP < 3", 9, "unexpected '!'")]
    [InlineData("MSP ~ 3 when AGEP < 3", 9, "expected =, !=, <, <=, >, >=, in, not in, is missing or is not missing after column 'MSP'")]
    [InlineData("MSP is missing when AGE < 15", 25, "unknown column 'AGE'")]
    [InlineData("MSP is missing when SEX < F", 25, "holds labels; compare it with =, !=, in or not in")]
    [InlineData("MSP is missing when SEX = X", 31, "'X' is not a category of column 'SEX'; its categories are: F, M")]
    [InlineData("MSP is missing when AGEP < old", 32, "'old' is not an integer as integer column 'AGEP' reads its values")]
    [InlineData("MSP is missing when AGEP = 2.5", 32, "'2.5' is not an integer")]
    [InlineData("MSP is missing when AGEP in {3, 30}", 37, "'30' lies outside the declared bounds of column 'AGEP'")]
    [InlineData("MSP is missing when DAY < 2020/03/01", 31, "'2020/03/01' is not a date written yyyy-MM-dd")]
    [InlineData("SEX is missing when AGEP < 3", 5, "column 'SEX' is not nullable")]
    [InlineData("MSP is missing when MSP = 3", 25, "column 'MSP' is both the consequence and a condition")]
    [InlineData("MSP is missing when AGEB < 5", 5, "the condition after 'when' holds for no cell")]
    [InlineData("AGEB != 50 when AGEP = 3", 5, "it forbids no combination of cells")]
    [InlineData("FLAG not in {true, false} when AGEP >= 0", 5, "it forbids every combination of cells")]
    [InlineData("{ a: 1 }", 5, "'constraints' must be a non-empty string")]
    public void EachConstraintErrorNamesItsLineAndColumn(string constraint, int column, string message)
    {
        var result = TestSchemas.Read(Columns + $"  - {constraint}\n");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("schema.yaml", FirstConstraintLine, column, "constraints"), diagnostic.Location);
    }

    [Fact]
    public void ConstraintsMustBeAListAndEveryProblemIsReported()
    {
        Assert.Contains(
            TestSchemas.Read(Columns.Replace("constraints:\n", "constraints: MSP is missing when AGEP < 15\n", StringComparison.Ordinal)).Diagnostics,
            d => d.Message.Contains("'constraints' must be a list", StringComparison.Ordinal));

        var result = TestSchemas.Read(Columns + "  - MSP is missing when AGE < 15\n  - SEX is missing when AGEP < 3\n");
        Assert.Equal([FirstConstraintLine, FirstConstraintLine + 1], result.Diagnostics.Select(d => (int)d.Location.Line));
    }

    [Fact]
    public void AColumnErrorIsNotFollowedByAConstraintErrorAboutTheSameColumn()
    {
        var result = TestSchemas.Read("""
            columns:
              - { name: AGEP, type: integer, min: 30, max: 20 }
              - { name: MSP, type: integer, min: 1, max: 6, nullable: true }
            constraints:
              - MSP is missing when AGEP < 15
            """);

        Assert.Contains("is greater than 'max'", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstraintsThatTogetherRuleOutEveryRowAreRefusedAtTheBoundary()
    {
        var schema = WithConstraints("FLAG = true when AGEP >= 0", "FLAG = false when AGEP >= 0");

        var ex = Assert.Throws<InputException>(() => StructuralZeros.FromSchema(schema));

        Assert.Contains("the schema's constraints together rule out every row", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaCheckCountsTheRowsThatBreakEachConstraintAndRefusesContradictions()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("t.csv", "AGEP,MSP\n3,N\n40,1\n12,2\n");
        var yaml = dir.WriteFile("t.yaml", """
            missing: ["N"]
            columns:
              - { name: AGEP, type: integer, min: 0, max: 99 }
              - { name: MSP, type: integer, min: 1, max: 6, nullable: true }
            constraints:
              - MSP is missing when AGEP < 15
              - MSP is not missing when AGEP >= 15
            """);
        var contradiction = dir.WriteFile("bad.yaml", File.ReadAllText(yaml) + "\n  - MSP = 1 when AGEP >= 0\n  - MSP = 2 when AGEP >= 0\n");

        var check = CliRunner.Run("schema", "check", "--input", csv, "--schema", yaml);
        var refused = CliRunner.Run("schema", "check", "--input", csv, "--schema", contradiction);

        Assert.Equal(0, check.ExitCode);
        Assert.Matches(@"\n\s+1  MSP is missing when AGEP < 15\n\s+0  MSP is not missing when AGEP >= 15\n", check.Output);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: the schema's constraints together rule out every row", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AGEP = 1e1", "1e1", "is not an integer as integer column 'AGEP' reads its values")]
    [InlineData("AGEP = 10.0", "10.0", "is not an integer as integer column 'AGEP' reads its values")]
    [InlineData("AGEP < 4.5", "4.5", "is not an integer as integer column 'AGEP' reads its values")]
    [InlineData("AGEP = \"10 \"", "\"10 \"", "is not an integer as integer column 'AGEP' reads its values")]
    [InlineData("AGEP in {3, \" 10\"}", "\" 10\"", "is not an integer as integer column 'AGEP' reads its values")]
    [InlineData("AGEP < 1e400", "1e400", "is not an integer as integer column 'AGEP' reads its values")]
    [InlineData("AGEP = 0x0A", "0x0A", "is not an integer as integer column 'AGEP' reads its values")]
    [InlineData("AGEP < 200", "200", "lies outside the declared bounds of column 'AGEP' (0 to 20)")]
    [InlineData("AGEP >= -1", "-1", "lies outside the declared bounds of column 'AGEP' (0 to 20)")]
    [InlineData("CLAMPED < 30", "30", "lies outside the declared bounds of column 'CLAMPED' (0 to 20)")]
    [InlineData("BIG >= 9007199254740993", "9007199254740993", "is an integer a double cannot hold exactly")]
    [InlineData("INC <= 1.5e-400", "1.5e-400", "is a nonzero number too small for a double")]
    [InlineData("INC <= 1e400", "1e400", "is not a finite number as continuous column 'INC' reads its values")]
    [InlineData("INC <= Infinity", "Infinity", "is not a finite number as continuous column 'INC' reads its values")]
    [InlineData("INC != NaN", "NaN", "is not a finite number as continuous column 'INC' reads its values")]
    [InlineData("INC <= \" 50\"", "\" 50\"", "is not a finite number as continuous column 'INC' reads its values")]
    [InlineData("INC <= \"5,0\"", "\"5,0\"", "is not a finite number as continuous column 'INC' reads its values")]
    [InlineData("INC <= 1e3", "1e3", "lies outside the declared bounds of column 'INC' (0 to 100)")]
    [InlineData("DAY < 2021-06-01", "2021-06-01", "lies outside the declared bounds of column 'DAY' (2020-01-01 to 2020-12-31)")]
    [InlineData("EU < 2020-03-01", "2020-03-01", "is not a date written dd/MM/yyyy, the format of column 'EU'")]
    public void AValueTheColumnCouldNeverHoldIsASchemaErrorNamingTheConstraintAndTheValue(
        string condition, string written, string message)
    {
        var constraint = $"MSP is missing when {condition}";

        var result = TestSchemas.Read(Columns + $"  - {constraint}\n");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        var shown = written.Trim('"');
        Assert.Contains($"constraint '{constraint}': '{shown}' {message}", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("schema.yaml", FirstConstraintLine, 5 + constraint.LastIndexOf(written, StringComparison.Ordinal), "constraints"), diagnostic.Location);
    }

    [Theory]
    [InlineData("EU < 01/03/2020", 12)]   // January and February, in the column's own format
    [InlineData("DAY < 2020-03-01", 12)]  // the default format
    [InlineData("AGEP = +3", 6)]          // a sign, as the file may write it
    [InlineData("AGEP <= 020", 126)]      // leading zeros, as the file may write them: every age
    [InlineData("INC <= 50.", 12)]        // a trailing point: the bins below 50
    [InlineData("INC < 2.5E1", 6)]        // an exponent on a continuous column: the first bin
    [InlineData("AGEP <= 20", 126)]       // the bounds themselves are values
    public void AValueWrittenAsTheFileWouldWriteItCompiles(string condition, int forbidden)
    {
        var schema = TestSchemas.Parse(Columns + $"  - MSP is missing when {condition}\n");

        Assert.Equal(forbidden, Assert.Single(schema.Constraints).ForbiddenCount);
    }

    /// <summary>
    /// Any text over an alphabet of digits, signs, points, exponents, spaces and separators: a condition accepts it
    /// exactly when the column reads it as one of its values, and <c>=</c> then holds on the cell the file's field goes to.
    /// </summary>
    [Property(MaxTest = 2000)]
    public void AConditionAcceptsExactlyTheValuesTheColumnEncodes(byte[] picks, bool continuous, bool ordering)
    {
        const string Alphabet = "0123456789012345.-+eE x,_";
        var text = new string([.. (picks ?? []).Take(8).Select(p => Alphabet[p % Alphabet.Length])]);
        var column = Schema.Columns.Single(c => c.Name == (continuous ? "INC" : "AGEP"));
        var op = ordering ? ConditionOperator.Less : ConditionOperator.Equal;
        var condition = new ConditionSyntax(column.Name, 0, op, ImmutableArray.Create((text, 0)));

        var truths = CellConditions.Evaluate(condition, column, "c", out var error, out _);
        var status = column.EncodeValue(text, out var code);

        Assert.True((truths is not null) == (status == FieldStatus.Ok), $"'{text}': {status}, {error}");
        if (truths is not null && !ordering)
        {
            Assert.NotEqual(CellTruth.Never, truths[code]);
        }
    }
}
