using System.Globalization;
using System.Text;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary>
/// A folder with a small generated private table, its public schema, and policies written on demand, for end-to-end
/// tests of <c>dpsynth run</c>. The table has exactly <see cref="Rows"/> rows and balanced columns (no cell holds more
/// than about 60% of the rows), so no DP output can legitimately print the true row count.
/// </summary>
public sealed class RunFixture : IDisposable
{
    /// <summary>The true row count (private).</summary>
    public const int Rows = 1237;

    private readonly TempDirectory temp = new();

    public RunFixture()
    {
        var random = new Random(20261123);
        var csv = new StringBuilder("age,sex,region,visits,outcome\n");
        string[] regions = ["North", "South", "East", "West"];
        for (var i = 0; i < Rows; i++)
        {
            var age = random.Next(0, 100);
            var sex = random.Next(2) == 0 ? "F" : "M";
            var region = regions[random.Next(regions.Length)];
            var visits = Math.Min(9, (age / 20) + random.Next(0, 4));
            var outcome = (visits > 4) ^ (random.NextDouble() < 0.2) ? "yes" : "no";
            csv.Append(CultureInfo.InvariantCulture, $"{age},{sex},{region},{visits},{outcome}\n");
        }

        File.WriteAllText(Input, csv.ToString());
        File.WriteAllText(Path.Combine(Folder, "table.schema.yaml"), """
            columns:
              - name: age
                type: integer
                min: 0
                max: 99
                edges: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
              - name: sex
                type: categorical
                categories: [F, M]
              - name: region
                type: categorical
                categories: [North, South, East, West]
              - name: visits
                type: integer
                min: 0
                max: 9
              - name: outcome
                type: categorical
                categories: ["no", "yes"]
            """);
        Ledgers.Init(Ledger);
    }

    /// <summary>The cap every policy states unless its <c>privacy</c> lines state their own.</summary>
    public const string DefaultCap = "  cap: {epsilon: 50, delta: 1e-9}";

    /// <summary>The fixture's folder.</summary>
    public string Folder => temp.Path;

    /// <summary>The private CSV.</summary>
    public string Input => Path.Combine(Folder, "table.csv");

    /// <summary>The ledger every policy here charges (created with the fixture, as <c>dpsynth budget init</c> does).</summary>
    public string Ledger => Path.Combine(Folder, "state", "ledger.jsonl");

    /// <summary>The folder that receives the bundles.</summary>
    public string Releases => Path.Combine(Folder, "releases");

    /// <summary>
    /// The public certificate of the test signing certificate a run without <c>release.signing</c> makes beside the
    /// ledger: what a reviewer pins (<c>dpsynth verify --certificate</c>).
    /// </summary>
    public string TestSigningCertificate =>
        Path.Combine(Path.GetDirectoryName(Ledger)!, "test-signing", DPSynth.Release.TestCertificate.CertificateFileName);

    /// <summary>
    /// Writes a policy and returns its path: MST with few iterations, for speed, and gate thresholds no audit can cross,
    /// so whether a run releases does not depend on the noise (the gate's failure path is tested with thresholds set in
    /// memory). <paramref name="privacy"/> and <paramref name="release"/> are extra YAML lines for those sections,
    /// indented by the caller with two spaces. Every policy states <see cref="DefaultCap"/> unless
    /// <paramref name="privacy"/> states a cap or <paramref name="uncapped"/> is set.
    /// </summary>
    public string WritePolicy(
        string name, double epsilon = 1, string dataset = "table", string? privacy = null, string? release = null,
        string? folder = null, bool uncapped = false)
    {
        var target = folder is null ? Folder : Directory.CreateDirectory(Path.Combine(Folder, folder)).FullName;
        var relative = Path.GetRelativePath(target, Folder).Replace('\\', '/');
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            version: 1
            dataset:
              id: {dataset}
              input: {relative}/table.csv
              schema: {relative}/table.schema.yaml
            privacy:
              epsilon: {epsilon}
              delta: 1e-9
              ledger: {relative}/state/ledger.jsonl
            {(uncapped || (privacy is not null && privacy.Contains("cap:", StringComparison.Ordinal)) ? privacy : DefaultCap + "\n" + privacy)}
            synthesizer:
              method: mst
              iterations: 50
              final_iterations: 200
              seed: 5
            audits:
              max_attack_auc: 1
              max_dcr_share_excess: 1
              max_exact_match_excess: 1
            evaluation:
              target: outcome
              groups: [sex]
            release:
              output: {relative}/releases
              rows: 900
            {release ?? string.Empty}
            """);
        var path = Path.Combine(target, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => temp.Dispose();
}
