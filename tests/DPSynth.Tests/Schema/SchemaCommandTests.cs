using System.Text;
using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Schema;

/// <summary>The <c>dpsynth schema infer</c> and <c>schema check</c> verbs, run in process on real files.</summary>
public sealed class SchemaCommandTests
{
    private const string PeopleSchema = """
        columns:
          - { name: age, type: integer, min: 0, max: 120 }
          - { name: city, type: categorical, categories: [Paris, Lyon] }
        """;

    [Fact]
    public void InferWritesADraftThatOpensWithTheWarningAndPassesCheck()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("people.csv", "age,city,score,member\n31,Paris,1.5,true\n45,Lyon,?,false\n27,Paris,2.25,true\n");
        var yaml = dir.File("draft.yaml");

        var infer = CliRunner.Run("schema", "infer", "--input", csv, "--out", yaml);

        Assert.Equal(0, infer.ExitCode);
        Assert.Contains("read from the private data", infer.Error, StringComparison.Ordinal);
        var text = File.ReadAllText(yaml);
        Assert.StartsWith("# " + SchemaInference.Warning[0], text, StringComparison.Ordinal);
        var schema = TableSchema.Load(yaml);
        Assert.Equal(
            [ColumnKind.Integer, ColumnKind.Categorical, ColumnKind.Continuous, ColumnKind.Boolean],
            schema.Columns.Select(c => c.Kind));
        Assert.True(schema.Columns[2].Nullable);

        var check = CliRunner.Run("schema", "check", "--input", csv, "--schema", yaml);
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("rows read:     3", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPrintsRowsReadSkippedAndCellsPerColumn()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("people.csv", "age,city\n31,Paris\n45,Rome\n200,Lyon\n\n\n");
        var schema = dir.WriteFile("people.yaml", "bad_rows: skip\non_out_of_domain: clamp\n" + PeopleSchema);

        var result = CliRunner.Run("schema", "check", "--input", csv, "--schema", schema);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rows read:     3", result.Output, StringComparison.Ordinal);
        Assert.Contains("rows skipped:  1", result.Output, StringComparison.Ordinal);
        Assert.Contains("values clamped: 1", result.Output, StringComparison.Ordinal);
        Assert.Contains("blank lines ignored: 2 (before the header or at the end of the file)", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"age\s+integer\s+121", result.Output);
        Assert.Matches(@"city\s+categorical\s+2", result.Output);
    }

    [RequiresSharedDataFact]
    public void CheckReadsTheCodedAdultFileUnderItsDomainJson()
    {
        var result = CliRunner.Run(
            "schema", "check", "--input", SharedData.Path("adult", "adult.csv"), "--schema", SharedData.Path("adult", "adult-domain.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rows read:     48842", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"native-country\s+integer\s+42", result.Output);
    }

    [RequiresSharedDataFact]
    public void CheckReadsThePublishedTestFileWithItsJunkLine()
    {
        using var dir = new TempDirectory();
        var schema = TestSchemas.WriteAdultUci(dir, skipLines: 1);

        var result = CliRunner.Run("schema", "check", "--input", SharedData.Path("adult-raw", "adult.test"), "--schema", schema);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rows read:     16281", result.Output, StringComparison.Ordinal);
        Assert.Contains("rows skipped:  0", result.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> MalformedFiles => new()
    {
        { "unbalanced quote", "age,city\n31,\"Paris\n45,Lyon\n"u8.ToArray(), "malformed quoting" },
        { "short row", "age,city\n31,Paris\n45\n"u8.ToArray(), "people.csv:3: the row has 1 fields; expected 2" },
        { "text in an integer column", "age,city\n31,Paris\nold,Lyon\n"u8.ToArray(), "people.csv:3:1 (age): value 'old' is not an integer" },
        { "unknown category under fail", "age,city\n31,Rome\n"u8.ToArray(), "people.csv:2:2 (city): value 'Rome' is outside the declared domain" },
        { "empty file", [], "people.csv:1: the file has no records" },
        { "header only", "age,city\n"u8.ToArray(), "people.csv:1: the file has a header but no data rows" },
        { "invalid UTF-8", [.. "age,city\n31,Par"u8, 0xFF, .. "is\n"u8], "people.csv:2:7: the file is not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedInputsFailCheckWithExitCodeOneAndNoStackTrace(string problem, byte[] content, string message)
    {
        using var dir = new TempDirectory();
        var csv = dir.File("people.csv");
        File.WriteAllBytes(csv, content);
        var schema = dir.WriteFile("people.yaml", PeopleSchema);

        var result = CliRunner.Run("schema", "check", "--input", csv, "--schema", schema);

        Assert.True(result.ExitCode == 1, problem);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedInputsFailInferWithExitCodeOneAndLeaveNoOutputFile(string problem, byte[] content, string message)
    {
        using var dir = new TempDirectory();
        var csv = dir.File("people.csv");
        File.WriteAllBytes(csv, content);
        var yaml = dir.File("draft.yaml");

        var result = CliRunner.Run("schema", "infer", "--input", csv, "--out", yaml);

        // Infer reads every field as text, so only structural problems fail it; values are the draft's business.
        var structural = problem is not ("text in an integer column" or "unknown category under fail");
        Assert.True(result.ExitCode == (structural ? 1 : 0), problem);
        Assert.Equal(!structural, File.Exists(yaml));
        Assert.Equal(structural ? 1 : 2, Directory.GetFiles(dir.Path).Length);
        if (structural)
        {
            Assert.Contains(message, result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ASchemaWithADuplicateColumnFailsWithItsLineAndExitCodeOne()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("people.csv", "age,city\n31,Paris\n");
        var schema = dir.WriteFile("people.yaml", "columns:\n  - { name: age, type: boolean }\n  - { name: age, type: boolean }\n");

        var result = CliRunner.Run("schema", "check", "--input", csv, "--schema", schema);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{schema}:3:13 (name): duplicate column name 'age' (first declared on line 2)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyDelimiterIsAUsageError()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("people.csv", "age,city\n31,Paris\n");

        var result = CliRunner.Run("schema", "infer", "--input", csv, "--out", dir.File("draft.yaml"), "--delimiter", "");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'delimiter'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("draft.yaml")));
    }

    [Fact]
    public void AMissingInputFileIsAUsageError()
    {
        using var dir = new TempDirectory();
        var yaml = dir.File("draft.yaml");

        var result = CliRunner.Run("schema", "infer", "--input", dir.File("nope.csv"), "--out", yaml);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("file not found", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(yaml));
    }

    [Fact]
    public void AnExistingOutputSurvivesAFailedInfer()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("people.csv", "age,city\n");
        var yaml = dir.WriteFile("draft.yaml", "reviewed: true\n");

        var result = CliRunner.Run("schema", "infer", "--input", csv, "--out", yaml);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("reviewed: true\n", File.ReadAllText(yaml, Encoding.UTF8));
    }
}
