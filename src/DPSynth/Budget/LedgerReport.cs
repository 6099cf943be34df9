using System.Globalization;
using System.Text;
using System.Text.Json;
using DPSynth.Privacy;

namespace DPSynth.Budget;

/// <summary>
/// A compliance summary of a verified ledger (<c>dpsynth budget report</c>): per dataset its cap, spend and implied
/// epsilon, and its cap history when the cap was changed (every cap is an entry of its own; a raise is marked); per run
/// its rho, implied epsilon at the dataset's delta, mechanisms, time, policy, outcome and bundle (a policy charge without
/// an outcome is flagged as orphaned). Markdown or JSON.
/// </summary>
public sealed class LedgerReport
{
    /// <summary>The outcome shown for a policy charge that recorded none.</summary>
    public const string Orphaned = "ORPHANED";

    private readonly IReadOnlyList<DatasetSection> datasets;

    private LedgerReport(IReadOnlyList<DatasetSection> datasets, string head, int entryCount)
    {
        this.datasets = datasets;
        HeadHash = head;
        EntryCount = entryCount;
    }

    /// <summary>The head hash of the ledger the report was made from.</summary>
    public string HeadHash { get; }

    /// <summary>How many entries the ledger has.</summary>
    public int EntryCount { get; }

    /// <summary>Builds the report from a valid verification, optionally for one dataset only.</summary>
    public static LedgerReport From(LedgerVerification verification, string? datasetId = null)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var entries = verification.Entries;
        var ids = entries.Select(e => e.DatasetId).Where(id => datasetId is null || id == datasetId)
            .Distinct().Order(StringComparer.Ordinal);
        var sections = new List<DatasetSection>();
        foreach (var id in ids)
        {
            var spend = DatasetSpend.Of(entries, id);
            var runs = entries.Where(e => e.DatasetId == id && e.Kind == LedgerEntryKind.Charge)
                .GroupBy(e => e.RunId ?? string.Empty, StringComparer.Ordinal)
                .Select(g =>
                {
                    var rho = g.Aggregate(Rho.Zero, (sum, e) => sum + Rho.FromDouble(e.Rho));
                    var policy = g.Select(e => e.PolicySha256).FirstOrDefault(p => p is not null);
                    var outcome = entries.LastOrDefault(e => e.Kind == LedgerEntryKind.Outcome && e.RunId == g.Key);
                    return new RunSection(
                        g.Key, rho, ZcdpConversion.EpsilonFromRho(rho, spend.Delta),
                        string.Join("; ", g.Select(e => e.Mechanism).Distinct(StringComparer.Ordinal)),
                        g.Min(e => e.Time), g.Count(), policy,
                        outcome?.Outcome ?? (policy is null ? null : Orphaned), outcome?.Bundle);
                })
                .ToList();
            var caps = entries.Where(e => e.DatasetId == id && e.Kind == LedgerEntryKind.Cap).ToList();
            sections.Add(new DatasetSection(spend, ZcdpConversion.EpsilonFromRho(spend.Spent, spend.Delta), runs, caps));
        }

        return new LedgerReport(sections, verification.HeadHash, entries.Count);
    }

    /// <summary>The report as Markdown.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Privacy budget report").AppendLine();
        md.AppendLine(Invariant($"Ledger: {EntryCount} entries, head `{HeadHash}`.")).AppendLine();
        foreach (var d in datasets)
        {
            md.AppendLine(Invariant($"## Dataset `{d.Spend.DatasetId}`")).AppendLine();
            md.AppendLine(d.Spend.Cap is { } cap
                ? Invariant($"Cap: epsilon {F(cap.Epsilon)}, delta {F(cap.Delta)} (rho {F(cap.Rho)}).")
                : "Cap: none (uncapped: nothing limits the spend).");
            if (d.Caps.Count > 1)
            {
                md.AppendLine().AppendLine("Cap history (the latest is in force):").AppendLine();
                md.AppendLine("| entry | time (UTC) | epsilon | delta | rho | change |");
                md.AppendLine("|---|---|---|---|---|---|");
                for (var i = 0; i < d.Caps.Count; i++)
                {
                    var c = d.Caps[i];
                    var change = i == 0 ? "first" : c.Rho > d.Caps[i - 1].Rho ? "RAISED" : c.Rho < d.Caps[i - 1].Rho ? "lowered" : "same";
                    md.AppendLine(Invariant(
                        $"| {c.Sequence} | {c.Time:yyyy-MM-dd HH:mm:ss} | {F(c.Epsilon)} | {F(c.Delta)} | {F(c.Rho)} | {change} |"));
                }

                md.AppendLine();
            }

            md.AppendLine(Invariant(
                $"Spent: rho {F(d.Spend.Spent.ToDoubleUp())}, implying epsilon {F(d.Epsilon)} at delta {F(d.Spend.Delta)}."));
            if (d.Spend.Cap is { } inForce)
            {
                md.AppendLine().AppendLine(Invariant($"Remaining: rho {F(Remaining(d.Spend, inForce))} of the cap's {F(inForce.Rho)}."));
            }
            md.AppendLine();
            md.AppendLine("| run | charges | rho | epsilon at delta | mechanism | time (UTC) | policy | outcome | bundle |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var r in d.Runs)
            {
                md.AppendLine(Invariant(
                    $"| {r.RunId} | {r.Charges} | {F(r.Rho.ToDoubleUp())} | {F(r.Epsilon)} | {r.Mechanisms} ") +
                    Invariant($"| {r.Time:yyyy-MM-dd HH:mm:ss} | {Short(r.Policy)} | {r.Outcome ?? "-"} | {r.Bundle ?? "-"} |"));
            }

            if (d.Runs.Any(r => r.Outcome == Orphaned))
            {
                md.AppendLine().AppendLine(
                    "ORPHANED: a policy run charged the budget but recorded no outcome (it was interrupted after its charge, " +
                    "or is still running). Its budget stays spent; nothing was released under it.");
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new LedgerReportJson(EntryCount, HeadHash, [.. datasets.Select(d => new LedgerReportJson.Dataset(
            d.Spend.DatasetId,
            d.Spend.Cap is { } cap ? new LedgerReportJson.Cap(cap.Epsilon, cap.Delta, cap.Rho) : null,
            [.. d.Caps.Select(c => new LedgerReportJson.CapChange(c.Sequence, c.Time, c.Epsilon, c.Delta, c.Rho))],
            d.Spend.Spent.ToDoubleUp(),
            d.Spend.Cap is { } inForce ? Remaining(d.Spend, inForce) : null,
            d.Epsilon,
            d.Spend.Delta,
            [.. d.Runs.Select(r => new LedgerReportJson.Run(
                r.RunId, r.Charges, r.Rho.ToDoubleUp(), r.Epsilon, r.Mechanisms, r.Time, r.Policy, r.Outcome, r.Bundle))]))]),
        BudgetJsonContext.Indented.LedgerReportJson);

    // What the cap still allows, rounded down (never more than a charge would be granted).
    private static double Remaining(DatasetSpend spend, LedgerEntry cap)
    {
        var left = Rho.FromDouble(cap.Rho).Value - spend.Spent.Value;
        return left.Sign <= 0 ? 0 : Rounding.ToDoubleDown(left);
    }

    private static string Short(string? sha) => sha is null ? "-" : sha[..12];

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record DatasetSection(
        DatasetSpend Spend, double Epsilon, IReadOnlyList<RunSection> Runs, IReadOnlyList<LedgerEntry> Caps);

    private sealed record RunSection(
        string RunId, Rho Rho, double Epsilon, string Mechanisms, DateTimeOffset Time, int Charges, string? Policy,
        string? Outcome, string? Bundle);
}
