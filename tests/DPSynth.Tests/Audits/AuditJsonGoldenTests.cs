using DPSynth.Audits;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Audits;

/// <summary><c>audit --json</c> keeps its bytes, for a passing and a failing gate.</summary>
public sealed class AuditJsonGoldenTests
{
    private static AuditReport Report(bool exact) => new(
        2400,
        600,
        2400,
        new DistanceToClosestRecord(0.1, 0.25, 0.125, 0.3, 0.5208333333333334, 0.8, 1e-7, 0.9),
        new ExactMatches(0.001, 0.0025),
        new AttackResult(MembershipInference.DistanceAttackName, 0.5123, 0.0125, 0.00125, 2400, 600),
        new AttackResult(MembershipInference.DensityAttackName, 0.1 + 0.2, 0, 1, 2400, 600),
        exact);

    [Fact]
    public void APassingGateKeepsItsBytes() =>
        Golden.AssertSame("audit-pass.json", AuditJson.Of(Report(true), new GateDecision(true, [])).ToJson());

    [Fact]
    public void AFailingGateKeepsItsBytes() => Golden.AssertSame(
        "audit-fail.json",
        AuditJson.Of(
            Report(false),
            new GateDecision(false, ["the distance attack's AUC 0.62 is above 0.6 <limit>", "exact matches: 1.5% > 1% \"Zürich\""])).ToJson());
}

/// <summary>
/// <c>audit-canaries --json</c> keeps its layout: the run is random, so the golden file holds the fixed figures and names
/// the two random ones (correct guesses, the bound) by placeholder, filled from the output's own number tokens.
/// </summary>
public sealed class CanaryAuditJsonGoldenTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void TheCanaryJsonKeepsItsLayout()
    {
        var population = AuditTables.Population(400, seed: 31);
        var domain = AuditTables.Domain;
        var schema = dir.WriteFile(
            "domain.json", "{" + string.Join(", ", domain.Names.Select((n, i) => $"\"{n}\": {domain.Size(i)}")) + "}");
        var rows = string.Join('\n', Enumerable.Range(0, population.RowCount)
            .Select(r => string.Join(',', Enumerable.Range(0, domain.Count).Select(c => population[r, c]))));
        var input = dir.WriteFile("input.csv", string.Join(',', domain.Names) + "\n" + rows + "\n");

        var result = CliRunner.Run(
            "audit-canaries", "--input", input, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--method", "mst",
            "--canaries", "40", "--guesses", "10", "--json");

        Assert.True(result.ExitCode is 0 or 3, result.Error);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        var output = result.Output
            .Replace($"\"correct\": {root.GetProperty("correct").GetRawText()},", "\"correct\": {correct},", StringComparison.Ordinal)
            .Replace(
                $"\"epsilon_lower_bound\": {root.GetProperty("epsilon_lower_bound").GetRawText()},",
                "\"epsilon_lower_bound\": {bound},",
                StringComparison.Ordinal);
        Golden.AssertSame("audit-canaries.json", output);
    }
}
