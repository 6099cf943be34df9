using System.Collections.Immutable;
using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Release;

/// <summary>
/// Everything the public report (<see cref="PublicReport"/>) may show, and nothing else: public facts (the header, the
/// budget, the stated disclosures), the noisy measurements (DP outputs) and the synthetic table's own 1-way counts
/// (post-processing of them). It holds no table, no audit or evaluation figure and no true row count; the only way to
/// make one is <see cref="Create"/>, which keeps counts of the synthetic table and the fitted result's measurements.
/// </summary>
public sealed class PublicReportContent
{
    private PublicReportContent(
        ReportHeader header,
        ReportBudget budget,
        ImmutableArray<ReportColumnCounts> syntheticMarginals,
        ImmutableArray<ReportMeasurement> measurements,
        int syntheticRows,
        ImmutableArray<string> changedColumns,
        string? samplingChange,
        ImmutableArray<string> disclosures)
    {
        Header = header;
        Budget = budget;
        SyntheticMarginals = syntheticMarginals;
        Measurements = measurements;
        SyntheticRows = syntheticRows;
        ChangedColumns = changedColumns;
        SamplingChange = samplingChange;
        Disclosures = disclosures;
    }

    /// <summary>Dataset, policy, run, time, method, parameters and workload.</summary>
    public ReportHeader Header { get; }

    /// <summary>This run's spend and the dataset's spend and cap from the ledger.</summary>
    public ReportBudget Budget { get; }

    /// <summary>The synthetic table's 1-way counts, one per schema column, in schema order.</summary>
    public ImmutableArray<ReportColumnCounts> SyntheticMarginals { get; }

    /// <summary>The noisy measurements the model was fitted to, in the order they were taken.</summary>
    public ImmutableArray<ReportMeasurement> Measurements { get; }

    /// <summary>The number of synthetic rows released.</summary>
    public int SyntheticRows { get; }

    /// <summary>
    /// The columns whose distribution was changed on purpose (conditioned or rebalanced); empty for plain sampling.
    /// </summary>
    public ImmutableArray<string> ChangedColumns { get; }

    /// <summary>
    /// The sampling request's description (<c>conditioned on sex=F; rebalanced ...</c>), or null for plain sampling.
    /// </summary>
    public string? SamplingChange { get; }

    /// <summary>The stated non-DP disclosures of this release, one sentence each (may be empty).</summary>
    public ImmutableArray<string> Disclosures { get; }

    /// <summary>Collects the public report's content of one run.</summary>
    /// <param name="header">The run's header; its method must be <paramref name="result"/>'s.</param>
    /// <param name="budget">The run's budget figures.</param>
    /// <param name="schema">The public schema the run encoded the input under (names and cell labels come from it).</param>
    /// <param name="result">The fitted synthesizer: its noisy measurements are shown.</param>
    /// <param name="synthetic">
    /// The synthetic table being released (sampled from <paramref name="result"/>): its 1-way counts are shown, so it must
    /// never be the real table.
    /// </param>
    /// <param name="sampling">
    /// How <paramref name="synthetic"/> was sampled (<see cref="SamplingRequest.Parse"/>, or <see cref="SamplingRequest.None"/>).
    /// </param>
    /// <param name="disclosures">The stated non-DP disclosures, one sentence each.</param>
    /// <exception cref="ArgumentException">
    /// The schema, result and synthetic table have different domains, the methods differ, a measurement does not fit the
    /// schema, or a disclosure is blank.
    /// </exception>
    public static PublicReportContent Create(
        ReportHeader header,
        ReportBudget budget,
        TableSchema schema,
        SynthesisResult result,
        EncodedTable synthetic,
        SamplingRequest sampling,
        IEnumerable<string> disclosures)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(disclosures);
        if (!schema.Domain.Equals(result.Domain) || !schema.Domain.Equals(synthetic.Domain))
        {
            throw new ArgumentException("The schema, the fitted result and the synthetic table must share one domain.");
        }

        if (!string.Equals(header.Method, result.Method, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The header names method '{header.Method}' but the result was fitted by '{result.Method}'.", nameof(header));
        }

        var stated = disclosures.ToImmutableArray();
        if (stated.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A stated disclosure is blank.", nameof(disclosures));
        }

        var changed = new SortedSet<int>(sampling.Evidence.Values.Keys);
        if (sampling.RebalancedAttribute >= 0)
        {
            changed.Add(sampling.RebalancedAttribute);
        }

        if (changed.Count > 0 && changed.Max >= schema.Columns.Length)
        {
            throw new ArgumentException("The sampling request names a column the schema does not have.", nameof(sampling));
        }

        return new PublicReportContent(
            header,
            budget,
            ReportColumnCounts.Of(schema, synthetic),
            ReportMeasurement.Of(schema, result),
            synthetic.RowCount,
            [.. changed.Select(a => schema.Columns[a].Name)],
            sampling.ChangesDistribution ? sampling.Description : null,
            stated);
    }
}
