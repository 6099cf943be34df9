using System.Collections.Immutable;

namespace DPSynth.Synthesizers;

/// <summary>What to synthesize with: a policy's <c>synthesizer:</c> section, or the command line's options.</summary>
/// <param name="Method"><c>aim</c>, <c>mst</c> or <c>mwem</c>.</param>
/// <param name="Workload">The workload (aim, mwem); ignored by mst.</param>
/// <param name="MaxModelSizeMb">The model-size cap in MiB (aim, mwem), or null for the method's default.</param>
/// <param name="Rounds">The planned rounds (aim, mwem), or null for the method's default.</param>
/// <param name="Iterations">Mirror-descent iterations per estimate, or null for the default.</param>
/// <param name="FinalIterations">Mirror-descent iterations of the final estimate (aim, mst), or null for the default.</param>
/// <param name="Seed">A seed for post-processing only (sampling rows, decoding), or null.</param>
/// <param name="MaxMemoryBytes">
/// The most memory the run's preflight estimate may reach (<c>max_memory</c>; <c>--max-memory</c> overrides it), or null
/// for the default, 75% of the memory available.
/// </param>
public sealed record SynthesizerSettings(
    string Method,
    WorkloadSpec Workload,
    double? MaxModelSizeMb,
    int? Rounds,
    int? Iterations,
    int? FinalIterations,
    int? Seed,
    long? MaxMemoryBytes = null);

/// <summary>A workload: all 2-way, all 3-way, or an explicit weighted list of column sets.</summary>
/// <param name="Kind"><c>2way</c>, <c>3way</c> or <c>list</c>.</param>
/// <param name="Cliques">For <c>list</c>: the column names of each marginal and its weight (validated against the schema).</param>
public sealed record WorkloadSpec(string Kind, ImmutableArray<WorkloadEntry> Cliques)
{
    /// <summary>All 2-way marginals (the default).</summary>
    public static WorkloadSpec AllTwoWay { get; } = new("2way", []);
}

/// <summary>One explicit workload marginal.</summary>
/// <param name="Columns">The column names (distinct, known to the schema).</param>
/// <param name="Weight">Its weight (> 0; default 1).</param>
public sealed record WorkloadEntry(ImmutableArray<string> Columns, double Weight);
