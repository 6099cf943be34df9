using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Schema;

/// <summary>
/// The schema's <c>constraints</c> (issue 17, structural zeros): the syntax, the masks it compiles to over the declared
/// cells, and every error, each with its file, line and column.
/// </summary>
[Trait("Issue", "17")]
public sealed class ConstraintReaderTests
{
    // Columns of every kind; constraints are appended below `constraints:` (line 11 is the first constraint).
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
        constraints:

        """;

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
        Assert.Equal(new SourceLocation("schema.yaml", 11, column, "constraints"), diagnostic.Location);
    }

    [Fact]
    public void ConstraintsMustBeAListAndEveryProblemIsReported()
    {
        Assert.Contains(
            TestSchemas.Read(Columns.Replace("constraints:\n", "constraints: MSP is missing when AGEP < 15\n", StringComparison.Ordinal)).Diagnostics,
            d => d.Message.Contains("'constraints' must be a list", StringComparison.Ordinal));

        var result = TestSchemas.Read(Columns + "  - MSP is missing when AGE < 15\n  - SEX is missing when AGEP < 3\n");
        Assert.Equal([11, 12], result.Diagnostics.Select(d => (int)d.Location.Line));
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
}
