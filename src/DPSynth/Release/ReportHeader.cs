using System.Collections.Immutable;
using DPSynth.Synthesizers;

namespace DPSynth.Release;

/// <summary>
/// What both release reports open with: which dataset, policy and run, when, and how it was synthesized. Every field is
/// a public fact chosen by the operator or fixed before the data were read (the <see cref="SynthesisPlan"/>).
/// </summary>
/// <param name="DatasetId">The dataset id in the ledger.</param>
/// <param name="PolicyFile">The policy file's name (no folder: the operator's paths are not part of a release).</param>
/// <param name="RunId">The run id (as in the ledger and the manifest).</param>
/// <param name="Created">When the run was made (shown in UTC).</param>
/// <param name="Method">The synthesizer: <c>aim</c>, <c>mst</c> or <c>mwem</c>.</param>
/// <param name="Parameters">The method's parameters by name, sorted by ordinal key order, values formatted invariantly.</param>
/// <param name="Workload">A description of the workload (<c>all 2-way</c>, ...).</param>
public sealed record ReportHeader(
    string DatasetId,
    string PolicyFile,
    string RunId,
    DateTimeOffset Created,
    string Method,
    ImmutableSortedDictionary<string, string> Parameters,
    string Workload)
{
    /// <summary>The dataset id.</summary>
    public string DatasetId { get; } = DatasetId ?? throw new ArgumentNullException(nameof(DatasetId));

    /// <summary>The policy file's name.</summary>
    public string PolicyFile { get; } = PolicyFile ?? throw new ArgumentNullException(nameof(PolicyFile));

    /// <summary>The run id.</summary>
    public string RunId { get; } = RunId ?? throw new ArgumentNullException(nameof(RunId));

    /// <summary>The synthesizer.</summary>
    public string Method { get; } = Method ?? throw new ArgumentNullException(nameof(Method));

    /// <summary>The method's parameters, sorted by key (ordinal).</summary>
    public ImmutableSortedDictionary<string, string> Parameters { get; } =
        (Parameters ?? throw new ArgumentNullException(nameof(Parameters))).WithComparers(StringComparer.Ordinal);

    /// <summary>The workload's description.</summary>
    public string Workload { get; } = Workload ?? throw new ArgumentNullException(nameof(Workload));

    /// <summary>
    /// The header of a run of <paramref name="plan"/>: its method, parameters and workload; <paramref name="policyPath"/>
    /// is reduced to its file name.
    /// </summary>
    public static ReportHeader For(string datasetId, string policyPath, string runId, DateTimeOffset created, SynthesisPlan plan)
    {
        ArgumentNullException.ThrowIfNull(policyPath);
        ArgumentNullException.ThrowIfNull(plan);
        return new ReportHeader(
            datasetId, Path.GetFileName(policyPath), runId, created, plan.Method, plan.Parameters, plan.Workload);
    }
}
