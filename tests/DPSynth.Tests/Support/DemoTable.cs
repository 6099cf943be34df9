namespace DPSynth.Tests.Support;

/// <summary>The bundled demo table (<c>policies/demo</c>): a valid CSV and schema for tests that need real files.</summary>
public static class DemoTable
{
    /// <summary>The demo CSV, <c>policies/demo/visits.csv</c>.</summary>
    public static string Csv { get; } = Path.Combine(SharedData.RepositoryRoot, "policies", "demo", "visits.csv");

    /// <summary>The demo schema, <c>policies/demo/visits.schema.yaml</c>.</summary>
    public static string Schema { get; } = Path.Combine(SharedData.RepositoryRoot, "policies", "demo", "visits.schema.yaml");
}
