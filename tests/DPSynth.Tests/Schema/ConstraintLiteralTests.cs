using System.Collections.Immutable;
using DPSynth.Diagnostics;
using DPSynth.Schema;
using FsCheck.Xunit;

namespace DPSynth.Tests.Schema;

/// <summary>
/// A constraint's values are read by the column's own parser, as the file's fields are (after trimming), and must be
/// values the column could hold: not parsable, inexact, outside the bounds or not a category is a schema error naming the
/// constraint and the value, whatever the operator. Found by the trust audit: the values were read with
/// <c>double.TryParse</c> under <c>NumberStyles.Float</c>, so <c>AGEP = 1e1</c> meant 10 (a bad row in the file),
/// <c>" 10"</c> lost its spaces, <c>1.5e-400</c> became 0, an integer beyond 2^53 rounded, and an ordering value was
/// neither checked against the bounds nor, on an integer column, for being an integer.
/// </summary>
[Trait("Issue", "17")]
public sealed class ConstraintLiteralTests
{
    // Constraints are appended below `constraints:` (line 10 is the first constraint; its text starts in column 5).
    private const string Columns = """
        columns:
          - { name: AGEP, type: integer, min: 0, max: 20 }
          - { name: MSP, type: integer, min: 1, max: 6, nullable: true }
          - { name: BIG, type: integer, min: 0, max: 9007199254740992, bins: 4 }
          - { name: CLAMPED, type: integer, min: 0, max: 20, on_out_of_domain: clamp }
          - { name: INC, type: continuous, min: 0, max: 100, bins: 4 }
          - { name: DAY, type: date, min: 2020-01-01, max: 2020-12-31, granularity: month }
          - { name: EU, type: date, min: 2020-01-01, max: 2020-12-31, granularity: month, format: dd/MM/yyyy }
        constraints:

        """;

    private static readonly TableSchema Schema = TestSchemas.Parse(Columns.Replace("constraints:\n", string.Empty, StringComparison.Ordinal));

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
        Assert.Equal(new SourceLocation("schema.yaml", 10, 5 + constraint.LastIndexOf(written, StringComparison.Ordinal), "constraints"), diagnostic.Location);
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
        var index = continuous ? 4 : 0;
        var column = Schema.Columns[index];
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
