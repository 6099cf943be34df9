namespace DPSynth.Budget;

/// <summary>
/// What a verified ledger says about policy runs: which policy and input were already released (the idempotent re-run
/// check), how many charged attempts a policy made on an input (the manifest's attempt count), and which policy charges
/// never recorded an outcome (orphans: a run killed between its charge and its release).
/// </summary>
public sealed class RunHistory
{
    private readonly IReadOnlyList<LedgerEntry> entries;
    private readonly HashSet<string> closedRuns;

    private RunHistory(IReadOnlyList<LedgerEntry> entries)
    {
        this.entries = entries;
        closedRuns = entries.Where(e => e.Kind == LedgerEntryKind.Outcome).Select(e => e.RunId!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The history of <paramref name="entries"/> (a verified ledger, in order).</summary>
    public static RunHistory Of(IReadOnlyList<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new RunHistory(entries);
    }

    /// <summary>The latest release of this policy on this input (same policy SHA-256, same keyed fingerprint), or null.</summary>
    public LedgerEntry? Released(string datasetId, string policySha256, string inputFingerprint) =>
        Outcomes(datasetId, policySha256, inputFingerprint).LastOrDefault(e => e.Outcome == RunOutcome.Released);

    /// <summary>The latest outcome of this policy on this input (any kind), or null when it has none.</summary>
    public LedgerEntry? LastOutcome(string datasetId, string policySha256, string inputFingerprint) =>
        Outcomes(datasetId, policySha256, inputFingerprint).LastOrDefault();

    /// <summary>
    /// The latest release of this policy (same SHA-256) on any input of the dataset, or null: what a dry run, which never
    /// reads the input and so cannot compute its fingerprint, can say about a re-run.
    /// </summary>
    public LedgerEntry? ReleasedOnAnyInput(string datasetId, string policySha256) =>
        Outcomes(datasetId, policySha256, inputFingerprint: null).LastOrDefault(e => e.Outcome == RunOutcome.Released);

    /// <summary>
    /// The latest outcome of this policy on an input whose last outcome is <see cref="RunOutcome.Failed"/>, or null:
    /// what a dry run, which cannot compute the input's fingerprint, can say about the real run's refusal to repeat a
    /// failure (<see cref="LastOutcome"/> on the same input).
    /// </summary>
    public LedgerEntry? FailedLastOnSomeInput(string datasetId, string policySha256) =>
        Outcomes(datasetId, policySha256, inputFingerprint: null)
            .GroupBy(e => e.InputFingerprint, StringComparer.Ordinal)
            .Select(g => g.Last())
            .Where(e => e.Outcome == RunOutcome.Failed)
            .MaxBy(e => e.Sequence);

    /// <summary>
    /// The gate decisions made so far on this input of this dataset (outcomes released or gate failed), by any policy:
    /// each verdict is a disclosure, and editing the policy between attempts must not reset the count the manifest shows.
    /// </summary>
    public int GateAttempts(string datasetId, string inputFingerprint) =>
        entries.Count(e => e.Kind == LedgerEntryKind.Outcome && e.DatasetId == datasetId && e.InputFingerprint == inputFingerprint
                           && e.Outcome is RunOutcome.Released or RunOutcome.GateFailed);

    /// <summary>Charges of this policy on this dataset with no outcome yet: runs in progress, or interrupted (orphans).</summary>
    public IReadOnlyList<LedgerEntry> Open(string datasetId, string policySha256) =>
        [.. Orphans(datasetId).Where(e => e.PolicySha256 == policySha256)];

    /// <summary>
    /// Policy charges of <paramref name="datasetId"/> with no outcome entry: the run stopped (killed, crashed, lost power)
    /// after its charge. Their budget stays spent; nothing was released under them.
    /// </summary>
    public IReadOnlyList<LedgerEntry> Orphans(string datasetId) =>
        entries.Where(e => e.Kind == LedgerEntryKind.Charge && e.DatasetId == datasetId && e.PolicySha256 is not null
                           && !closedRuns.Contains(e.RunId!))
            .ToList();

    // The outcomes of a policy on a dataset, on one input or (inputFingerprint null) on any.
    private IEnumerable<LedgerEntry> Outcomes(string datasetId, string policySha256, string? inputFingerprint) =>
        entries.Where(e => e.Kind == LedgerEntryKind.Outcome && e.DatasetId == datasetId && e.PolicySha256 == policySha256
                           && (inputFingerprint is null || e.InputFingerprint == inputFingerprint));
}
