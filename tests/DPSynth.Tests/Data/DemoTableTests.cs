using DPSynth.Data;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Data;

/// <summary>The bundled demo table and its public schema stay consistent (the README's quick start depends on them).</summary>
public sealed class DemoTableTests
{
    private static string Demo(string file) => Path.Combine(SharedData.RepositoryRoot, "policies", "demo", file);

    [Fact]
    public void TheDemoTableEncodesCompletelyUnderItsSchema()
    {
        var schema = TableSchema.Load(Demo("visits.schema.yaml"));
        var result = CsvEncoder.EncodeFile(Demo("visits.csv"), schema);
        Assert.Equal(20_000, result.Table.RowCount);
        Assert.Equal(11, result.Table.Domain.Count);
        Assert.Equal(0, result.RowsSkipped);
        Assert.Equal(0, result.RowsDropped);
    }

    [Fact]
    public void SchemaCheckOnTheDemoSucceedsAsTheReadmeShows()
    {
        var result = CliRunner.Run("schema", "check", "--input", Demo("visits.csv"), "--schema", Demo("visits.schema.yaml"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rows read:     20000", result.Output, StringComparison.Ordinal);
    }
}
