using System.Security.Cryptography;
using DPSynth.Audits;
using DPSynth.Policies;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Policies;

/// <summary>Valid policies: every field read right, defaults filled in, paths absolute.</summary>
public sealed class PolicyReaderTests : IDisposable
{
    private const string Full = """
        # Every key of format version 1.
        version: 1
        dataset:
          id: demo-visits
          input: ../data/visits.csv
          schema: ../data/schema.yaml
        privacy:
          epsilon: 1
          delta: 1e-9
          cap: {epsilon: 4, delta: 1e-9}
          ledger: ../out/ledger.jsonl
          insecure_deterministic_noise: 18446744073709551615
        synthesizer:
          method: aim
          workload:
            - {columns: [age, income], weight: 2.5}
            - {columns: [sex, race, income]}
          max_model_size_mb: 40
          rounds: 200
          iterations: 300
          final_iterations: 900
          seed: -7
        audits:
          train_share: 0.75
          max_attack_auc: 0.55
          max_dcr_share_excess: 0.02
          max_exact_match_excess: 0
        evaluation:
          target: income
          groups: [sex, race]
        release:
          output: ../out/releases
          rows: 20000
          formats: [model, csv]
          rebalance: sex=uniform
          condition: race=White
          publish_internal_figures: true
          signing:
            certificate: ../certs/release.pem
            key: ../certs/release.key
            password_env: DPSYNTH_SIGNING_PASSWORD
        """;

    private readonly PolicyFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void AFullPolicyLoadsWithEveryFieldRightAndEveryPathAbsolute()
    {
        var certificate = files.Write(Path.Combine("certs", "release.pem"), "not read by the reader");
        var key = files.Write(Path.Combine("certs", "release.key"), "not read by the reader");

        var result = files.Load(Full);

        Assert.Empty(result.Diagnostics);
        var policy = result.GetValueOrThrow();
        Assert.Equal(files.PolicyPath, policy.Path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files.PolicyPath))), policy.Sha256);
        Assert.Matches("^[0-9a-f]{64}$", policy.Sha256);

        Assert.Equal("demo-visits", policy.Dataset.Id);
        Assert.Equal(files.Input, policy.Dataset.Input);
        Assert.Equal(new SchemaSource("yaml", PolicyFiles.SchemaYaml, files.Schema), policy.Dataset.SchemaSource);
        Assert.Equal(["age", "sex", "race", "income"], policy.Dataset.Schema.Domain.Names.ToArray());

        // (1, 1e-9) by the tight conversion: the known value of ../shared/docs/anchors.md.
        Assert.Equal(Rho.FromApproxDp(new ApproxDp(1, 1e-9)), policy.Privacy.Rho);
        Assert.Equal(0.0149731, policy.Privacy.Rho.ToDoubleUp(), 1e-7);
        Assert.Equal(1, policy.Privacy.Epsilon);
        Assert.Equal(1e-9, policy.Privacy.Delta);
        Assert.Equal(new ApproxDp(4, 1e-9), policy.Privacy.Cap);
        Assert.Equal(files.PathOf("out", "ledger.jsonl"), policy.Privacy.Ledger);
        Assert.Equal(ulong.MaxValue, policy.Privacy.InsecureDeterministicNoise);

        var synthesizer = policy.Synthesizer;
        Assert.Equal("aim", synthesizer.Method);
        Assert.Equal("list", synthesizer.Workload.Kind);
        Assert.Equal(2, synthesizer.Workload.Cliques.Length);
        Assert.Equal(["age", "income"], synthesizer.Workload.Cliques[0].Columns.ToArray());
        Assert.Equal(2.5, synthesizer.Workload.Cliques[0].Weight);
        Assert.Equal(["sex", "race", "income"], synthesizer.Workload.Cliques[1].Columns.ToArray());
        Assert.Equal(1.0, synthesizer.Workload.Cliques[1].Weight);
        Assert.Equal(40, synthesizer.MaxModelSizeMb);
        Assert.Equal(200, synthesizer.Rounds);
        Assert.Equal(300, synthesizer.Iterations);
        Assert.Equal(900, synthesizer.FinalIterations);
        Assert.Equal(-7, synthesizer.Seed);

        Assert.Equal(new AuditSettings(0.75, new GateThresholds(0.55, 0.02, 0)), policy.Audits);
        Assert.Equal("income", policy.Evaluation.Target);
        Assert.Equal(["sex", "race"], policy.Evaluation.Groups.ToArray());

        var release = policy.Release;
        Assert.Equal(files.PathOf("out", "releases"), release.Output);
        Assert.Equal(20000, release.Rows);
        Assert.Equal(["csv", "model"], release.Formats.ToArray());
        Assert.Equal("sex=uniform", release.Rebalance);
        Assert.Equal("race=White", release.Condition);
        Assert.True(release.PublishInternalFigures);
        Assert.Equal(new SigningSettings(certificate, key, "DPSYNTH_SIGNING_PASSWORD"), release.Signing);
    }

    [Fact]
    public void AMinimalPolicyTakesTheDocumentedDefaults()
    {
        var policy = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 2, delta: 1e-6}
            release: {output: out}
            """).GetValueOrThrow();

        Assert.Equal("visits.csv", policy.Dataset.Id); // as synth --dataset-id defaults
        Assert.Null(policy.Privacy.Cap);
        Assert.Null(policy.Privacy.Ledger);
        Assert.Null(policy.Privacy.InsecureDeterministicNoise);
        Assert.Equal(new SynthesizerSettings("aim", WorkloadSpec.AllTwoWay, null, null, null, null, null), policy.Synthesizer);
        Assert.Equal(0.8, policy.Audits.TrainShare);
        Assert.Equal(GateThresholds.Default, policy.Audits.Thresholds);
        Assert.Null(policy.Evaluation.Target);
        Assert.Empty(policy.Evaluation.Groups);
        Assert.Equal(files.PathOf("policies", "out"), policy.Release.Output);
        Assert.Null(policy.Release.Rows);
        Assert.Equal(["csv"], policy.Release.Formats.ToArray());
        Assert.Null(policy.Release.Rebalance);
        Assert.Null(policy.Release.Condition);
        Assert.False(policy.Release.PublishInternalFigures);
        Assert.Null(policy.Release.Signing);
    }

    [Fact]
    public void ABudgetStatedAsRhoIsKeptExactlyAndReportedAtTheDefaultDelta()
    {
        var policy = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {rho: 0.0149731}
            release: {output: out}
            """).GetValueOrThrow();

        Assert.Equal(Rho.FromDouble(0.0149731), policy.Privacy.Rho);
        Assert.Equal(1e-9, policy.Privacy.Delta);
        Assert.Equal(ZcdpConversion.EpsilonFromRho(Rho.FromDouble(0.0149731), 1e-9), policy.Privacy.Epsilon);
        Assert.Equal(1, policy.Privacy.Epsilon, 1e-4); // the anchor pair read backwards
    }

    [Fact]
    public void ABudgetStatedAsRhoUsesTheStatedDeltaForReporting()
    {
        var policy = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {rho: 0.5, delta: 1e-5}
            release: {output: out}
            """).GetValueOrThrow();

        Assert.Equal(Rho.FromDouble(0.5), policy.Privacy.Rho);
        Assert.Equal(1e-5, policy.Privacy.Delta);
        Assert.Equal(ZcdpConversion.EpsilonFromRho(Rho.FromDouble(0.5), 1e-5), policy.Privacy.Epsilon);
    }

    [Fact]
    public void AnInlineSchemaTravelsAsYamlThatReadsBackToTheSameSchema()
    {
        var policy = files.Load("""
            version: 1
            dataset:
              input: ../data/visits.csv
              schema:
                missing: ["", "?"]
                csv: { header: true, delimiter: ";", trim: true }
                columns:
                  - name: age
                    type: integer
                    min: 0
                    max: 99
                    edges: [0, 18, 65, 100]
                  - { name: answer, type: categorical, categories: ["no", "yes", "1"] }
            privacy: {epsilon: 1, delta: 1e-9}
            release: {output: out}
            """).GetValueOrThrow();

        var source = policy.Dataset.SchemaSource;
        Assert.Equal("yaml", source.Format);
        Assert.Equal(files.PolicyPath + "#dataset.schema", source.Name);
        Assert.DoesNotContain("...", source.Text, StringComparison.Ordinal);

        // Quoted "no" and "1" stay strings: the text reads back to the schema the policy declared.
        var reread = source.Parse();
        Assert.Equal(policy.Dataset.Schema.Domain.Names.ToArray(), reread.Domain.Names.ToArray());
        Assert.Equal(policy.Dataset.Schema.Domain.Sizes.ToArray(), reread.Domain.Sizes.ToArray());
        Assert.Equal(policy.Dataset.Schema.Csv, reread.Csv);
        Assert.Equal(policy.Dataset.Schema.MissingTokens.ToArray(), reread.MissingTokens.ToArray());
        Assert.Equal(["no", "yes", "1"], ((CategoricalColumnSpec)reread.Columns[1]).Categories.ToArray());
    }

    [Fact]
    public void ADomainJsonSchemaIsReadAsOne()
    {
        files.Write(Path.Combine("data", "domain.json"), """{"age": 10, "sex": 2}""");

        var policy = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/domain.json}
            privacy: {epsilon: 1, delta: 1e-9}
            release: {output: out}
            """).GetValueOrThrow();

        Assert.Equal("domain-json", policy.Dataset.SchemaSource.Format);
        Assert.Equal(files.PathOf("data", "domain.json"), policy.Dataset.SchemaSource.Name);
        Assert.Equal([10, 2], policy.Dataset.Schema.Domain.Sizes.ToArray());
    }

    [Fact]
    public void MstTakesItsOwnKeysAndAPfxNeedsNoKey()
    {
        var pfx = files.Write("release.p12", "not read by the reader");

        var policy = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 0.3, delta: 1e-9}
            synthesizer: {method: mst, iterations: 10, final_iterations: 20}
            release:
              output: out
              signing: {certificate: ../release.p12}
            """).GetValueOrThrow();

        Assert.Equal(new SynthesizerSettings("mst", WorkloadSpec.AllTwoWay, null, null, 10, 20, null), policy.Synthesizer);
        Assert.Equal(new SigningSettings(pfx, null, null), policy.Release.Signing);
    }

    [Fact]
    public void TheHashCoversTheFileBytesSoAnyEditChangesIt()
    {
        const string Text = "version: 1\ndataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}\n" +
            "privacy: {epsilon: 1, delta: 1e-9}\nrelease: {output: out}\n";
        var first = files.Load(Text).GetValueOrThrow().Sha256;
        var commented = files.Load(Text + "# a comment changes nothing but the hash\n").GetValueOrThrow().Sha256;

        Assert.NotEqual(first, commented);
        Assert.Equal(first, PolicyReader.Read(Text, files.PolicyPath).GetValueOrThrow().Sha256);
    }
}
