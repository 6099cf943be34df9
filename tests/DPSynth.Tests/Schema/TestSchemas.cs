using DPSynth.Diagnostics;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Schema;

/// <summary>Schemas for tests: YAML text parsed in memory, and the Adult schema declared from its public code book.</summary>
public static class TestSchemas
{
    /// <summary>The path of the Adult schema copied beside the test assembly.</summary>
    public static string AdultPath => Path.Combine(AppContext.BaseDirectory, "Schema", "Schemas", "adult.yaml");

    /// <summary>Reads YAML text as a schema file named <c>schema.yaml</c>.</summary>
    public static LoadResult<TableSchema> Read(string yaml) => SchemaReader.Read(new StringReader(yaml), "schema.yaml");

    /// <summary>Reads YAML text that must be valid.</summary>
    public static TableSchema Parse(string yaml) => Read(yaml).GetValueOrThrow();

    /// <summary>The Adult schema with its <c>csv</c> line replaced by <paramref name="csv"/>.</summary>
    public static string AdultYaml(string csv = "{ header: true, delimiter: \",\", trim: false }") =>
        File.ReadAllText(AdultPath).Replace("csv: { header: true, delimiter: \",\", trim: false }", $"csv: {csv}", StringComparison.Ordinal);

    /// <summary>The Adult schema for the published headerless files (<c>", "</c> separators, optional junk lines).</summary>
    public static TableSchema AdultUci(int skipLines) =>
        Parse(AdultYaml($"{{ header: false, delimiter: \",\", trim: true, skip_lines: {skipLines} }}"));

    /// <summary>Writes the Adult schema for the headerless files into <paramref name="dir"/>.</summary>
    public static string WriteAdultUci(TempDirectory dir, int skipLines) =>
        dir.WriteFile($"adult-uci-{skipLines}.yaml", AdultYaml($"{{ header: false, delimiter: \",\", trim: true, skip_lines: {skipLines} }}"));
}
