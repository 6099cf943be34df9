using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Schema;
using DPSynth.Tests.Policies;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Schema;

/// <summary>
/// Under <c>csv: {trim: true}</c> every field (and every header name) loses the white space around it before it is
/// compared, so a category, alias, missing token or column name declared with white space around it could never match:
/// its values would go silently to "other", stay unmatched or fail late. The schema reader refuses it at load.
/// </summary>
public sealed class TrimmedSchemaTests
{
    [Theory]
    [InlineData("columns:\n  - { name: city, type: categorical, categories: [\"Oslo \", Bergen], on_out_of_domain: other }\n", 2, 51, "categories", "column 'city': category 'Oslo '")]
    [InlineData("columns:\n  - { name: city, type: categorical, categories: [Oslo, \"\\tBergen\"] }\n", 2, 57, "categories", "column 'city': category '\\tBergen'")]
    [InlineData("columns:\n  - { name: city, type: categorical, categories: [Oslo, \" \"] }\n", 2, 57, "categories", "column 'city': category ' '")]
    [InlineData("columns:\n  - { name: city, type: categorical, categories: [Oslo], aliases: { \"OSLO \": Oslo } }\n", 2, 69, "aliases", "column 'city': alias 'OSLO '")]
    [InlineData("missing: [\"\", \" NA \"]\ncolumns:\n  - { name: a, type: boolean }\n", 1, 15, "missing", "missing token ' NA '")]
    [InlineData("columns:\n  - { name: \" age\", type: integer, min: 0, max: 9 }\n", 2, 13, "name", "column name ' age'")]
    public void ALabelWithWhiteSpaceAroundItIsRefusedWhenFieldsAreTrimmed(string body, int line, int column, string key, string message)
    {
        var result = TestSchemas.Read("csv: { trim: true }\n" + body);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("csv: {trim: true} removes the white space", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("schema.yaml", line + 1, column, key), diagnostic.Location);

        // Without trimming the spaces are part of the field, so the same declaration can match and loads.
        Assert.True(TestSchemas.Read("csv: { trim: false }\n" + body).Succeeded);
    }

    [Fact]
    public void EveryWhiteSpaceThatTrimRemovesCountsAndTheMessageSuggestsTheTrimmedLabel()
    {
        // A no-break space is white space to char.IsWhiteSpace, so the encoder's Trim removes it too.
        var result = TestSchemas.Read("csv: { trim: true }\ncolumns:\n  - { name: c, type: categorical, categories: [\"Oslo\\u00A0\", Bergen] }\n");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains("write 'Oslo'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APaddedColumnNameIsOnlyRefusedWhenAHeaderIsMatchedByName()
    {
        // Without a header, fields are taken in schema order and the name is never compared with the file.
        var schema = TestSchemas.Parse("csv: { trim: true, header: false }\ncolumns:\n  - { name: \" age\", type: integer, min: 0, max: 9 }\n");

        Assert.Equal(" age", schema.Columns[0].Name);
    }

    [Fact]
    public void ATrimmedFileStillMatchesEveryBuiltInBooleanSpelling()
    {
        // Booleans take no declared aliases; their built-in spellings must survive trimming to be matched at all.
        Assert.All(
            CategoricalColumnSpec.BooleanAliases.Keys.Concat(["true", "false"]),
            spelling => Assert.Equal(spelling, spelling.Trim()));
        Assert.True(TestSchemas.Read("csv: { trim: true }\ncolumns:\n  - { name: b, type: boolean, aliases: { \" y\": true } }\n")
            .Diagnostics.Any(d => d.Message.Contains("'aliases' does not apply to a boolean column", StringComparison.Ordinal)));
    }

    [Fact]
    public void ARunWithAPaddedCategoryStopsAtTheSchemaBeforeAnyCharge()
    {
        using var fixture = new RunFixture();
        var schemaPath = Path.Combine(fixture.Folder, "table.schema.yaml");
        File.WriteAllText(schemaPath, "csv: { trim: true }\n" + File.ReadAllText(schemaPath).Replace(
            "categories: [North, South, East, West]", "categories: [\"North \", South, East, West]\n    on_out_of_domain: other",
            StringComparison.Ordinal));

        var run = CliRunner.Run("run", fixture.WritePolicy("p.yaml"));

        Assert.True(run.ExitCode == (int)ExitCode.UsageOrInput, run.Output + run.Error);
        Assert.Contains("column 'region': category 'North ' has white space around it", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(new BudgetLedger(fixture.Ledger).Verify().Entries, e => e.Kind == LedgerEntryKind.Charge);
        Assert.False(Directory.Exists(fixture.Releases) && Directory.EnumerateFileSystemEntries(fixture.Releases).Any());
    }
}
