namespace DPSynth.Budget;

/// <summary>The <c>budget report --json</c> document (<see cref="LedgerReport.ToJson"/>).</summary>
/// <param name="Entries">How many entries the ledger has.</param>
/// <param name="Head">Its head hash.</param>
/// <param name="Datasets">One section per dataset, by id (ordinal).</param>
internal sealed record LedgerReportJson(int Entries, string Head, IReadOnlyList<LedgerReportJson.Dataset> Datasets)
{
    /// <summary>One dataset: its cap in force and cap history, its spend, and its runs.</summary>
    /// <param name="Name">The dataset id (key <c>dataset</c>).</param>
    /// <param name="Cap">The cap in force, or null.</param>
    /// <param name="CapHistory">Every cap entry, in order.</param>
    /// <param name="Rho">The spend, rounded up.</param>
    /// <param name="RemainingRho">What the cap still allows, rounded down; null without a cap.</param>
    /// <param name="Epsilon">The epsilon the spend implies at <paramref name="Delta"/>.</param>
    /// <param name="Delta">The dataset's delta.</param>
    /// <param name="Runs">One row per run that charged.</param>
    internal sealed record Dataset(
        [property: System.Text.Json.Serialization.JsonPropertyName("dataset")] string Name,
        Cap? Cap,
        IReadOnlyList<CapChange> CapHistory,
        double Rho,
        double? RemainingRho,
        double Epsilon,
        double Delta,
        IReadOnlyList<Run> Runs);

    /// <summary>A cap in force.</summary>
    /// <param name="Epsilon">Its epsilon.</param>
    /// <param name="Delta">Its delta.</param>
    /// <param name="Rho">Its rho.</param>
    internal sealed record Cap(double Epsilon, double Delta, double Rho);

    /// <summary>One cap entry of the history.</summary>
    /// <param name="Sequence">The entry's position.</param>
    /// <param name="Time">When it was written.</param>
    /// <param name="Epsilon">Its epsilon.</param>
    /// <param name="Delta">Its delta.</param>
    /// <param name="Rho">Its rho.</param>
    internal sealed record CapChange(long Sequence, DateTimeOffset Time, double Epsilon, double Delta, double Rho);

    /// <summary>One run's charges.</summary>
    /// <param name="Name">The run id (key <c>run</c>).</param>
    /// <param name="Charges">How many charge entries it has.</param>
    /// <param name="Rho">Their sum, rounded up.</param>
    /// <param name="Epsilon">The epsilon it implies at the dataset's delta.</param>
    /// <param name="Mechanism">Its mechanisms, joined by <c>; </c>.</param>
    /// <param name="Time">Its first charge's time.</param>
    /// <param name="PolicySha256">The policy's SHA-256, or null.</param>
    /// <param name="Outcome">Its outcome, <see cref="LedgerReport.Orphaned"/>, or null.</param>
    /// <param name="Bundle">The bundle it released, or null.</param>
    internal sealed record Run(
        [property: System.Text.Json.Serialization.JsonPropertyName("run")] string Name,
        int Charges,
        double Rho,
        double Epsilon,
        string Mechanism,
        DateTimeOffset Time,
        string? PolicySha256,
        string? Outcome,
        string? Bundle);
}
