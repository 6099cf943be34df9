using System.Globalization;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// Structural zeros declared in the schema (issue 17: "MSP is missing when AGEP &lt; 15"), enforced by the fitted model
/// and the sampler of every synthesizer at no privacy cost: a million sampled rows break none of them, nor do
/// rebalanced, conditioned or reloaded samples. Noise is seeded (insecure) so every run is the same; the assertions
/// hold for any noise, as the zeros never depend on it.
/// </summary>
[Trait("Issue", "17")]
public sealed class StructuralZeroSynthesisTests
{
    private static readonly string SchemaText = $$"""
        missing: ["N"]
        columns:
          - { name: AGEP, type: integer, min: 0, max: 95 }
          - { name: PINCP, type: continuous, min: -10000, max: 240000, bins: 20, nullable: true }
          - { name: POVPIP, type: integer, min: 1, max: 500, bins: 20, nullable: true }
          - { name: NOC, type: integer, min: 0, max: 9, nullable: true }
          - { name: INDP, type: categorical, nullable: true, categories: [{{string.Join(", ", MessyTable.IndustryCodes.Select(c => c.ToString(CultureInfo.InvariantCulture)).Select(c => $"\"{c}\""))}}] }
          - { name: MSP, type: integer, min: 1, max: 6, nullable: true }
          - { name: SEX, type: categorical, categories: ["1", "2"] }
        constraints:
          - MSP is missing when AGEP < 15
          - MSP is not missing when AGEP >= 15
          - PINCP is missing when AGEP < 15
          - INDP is missing when AGEP < 16
        """;

    private static readonly TableSchema Schema = TestSchemas.Parse(SchemaText);

    private static readonly EncodedTable Census =
        CsvEncoder.Encode(new StringReader(MessyTable.Census(seed: 4, rows: 10_000)), "census.csv", Schema).Table;

    private static readonly StructuralZeros Zeros = StructuralZeros.FromSchema(Schema);

    private static readonly Lazy<SynthesisResult> MstResult = new(() =>
        new Mst(Schema.Domain, new MstOptions { SelectionIterations = 300, FinalIterations = 1000 }, Zeros).Fit(Census, Accountant(1)));

    [Fact]
    public void TheGeneratedTableObeysItsConstraints() =>
        Assert.All(Schema.Constraints, c => Assert.Equal(0, c.CountViolations(Census)));

    [Fact]
    public void AMillionRowsSampledFromMstBreakNoConstraint()
    {
        var result = MstResult.Value;

        AssertZeroInModel(result.Model, result.Compression?.Compress(Zeros) ?? Zeros);
        AssertNoViolations(result.Sample(new Random(5), 1_000_000));
    }

    [Fact]
    public void AMillionRowsSampledFromAimBreakNoConstraint()
    {
        var aim = new Aim(Workload.AllKWay(Schema.Domain, 2), new AimOptions { Iterations = 300, FinalIterations = 500 }, Zeros);

        var result = aim.Fit(Census, Accountant(2));

        Assert.All(Zeros.Cliques, clique => Assert.True(result.Model.Tree.IndexOfSmallestContaining(clique) >= 0));
        AssertZeroInModel(result.Model, Zeros);
        AssertNoViolations(result.Sample(new Random(6), 1_000_000));
    }

    [Fact]
    public void RowsSampledFromMwemBreakNoConstraint()
    {
        var mwem = new MwemPgm(Workload.AllKWay(Schema.Domain, 2), new MwemOptions { Rounds = 8, Iterations = 300 }, Zeros);

        var result = mwem.Fit(Census, Accountant(3));

        AssertNoViolations(result.Sample(new Random(7), 200_000));
    }

    [Theory]
    [InlineData("MSP=uniform", null)]
    [InlineData("INDP=uniform", null)]
    [InlineData(null, "AGEP=10")]
    [InlineData(null, "MSP=2")]
    [InlineData("MSP=uniform", "SEX=1")]
    public void RebalancedAndConditionedRowsBreakNoConstraint(string? rebalance, string? condition)
    {
        var request = SamplingRequest.Parse(Schema, rebalance, condition);

        var rows = MstResult.Value.Sample(new Random(8), 200_000, request);

        AssertNoViolations(rows);
        Assert.Equal(200_000, rows.RowCount);
    }

    [Fact]
    public void ASmallShareOfARuledOutValueIsRefusedWhateverTheSeedAndBeforeAnyChunkIsDrawn()
    {
        // At AGEP=10, MSP is missing: a share of 1 in 10,000 for MSP=1 used to get no row (and pass) or, by the rounding's
        // draw, one row (and be refused), depending on the seed; and a sample of several chunks failed only once written.
        var request = SamplingRequest.Parse(Schema, "MSP=N:0.9999,1:0.0001", "AGEP=10");

        for (var seed = 0; seed < 20; seed++)
        {
            var ex = Assert.Throws<InputException>(() => MstResult.Value.Sample(new Random(seed), 10, request));
            Assert.Contains("zero probability", ex.Message, StringComparison.Ordinal);
        }

        Assert.Throws<InputException>(() => MstResult.Value.SampleChunks(new Random(1), 3000, request, chunkRows: 1000));
        var ruledOut = SamplingRequest.Parse(Schema, null, "AGEP=10,MSP=1");
        Assert.Throws<InputException>(() => MstResult.Value.SampleChunks(new Random(1), 3000, ruledOut, chunkRows: 1000));
    }

    [Theory]
    [InlineData(null, "AGEP=10,MSP=1")]
    [InlineData("AGEP=uniform", "MSP=2")]
    public void AConditionThatAConstraintRulesOutIsRefused(string? rebalance, string? condition)
    {
        var request = SamplingRequest.Parse(Schema, rebalance, condition);

        var ex = Assert.Throws<InputException>(() => MstResult.Value.Sample(new Random(9), 1000, request));

        Assert.Contains("zero probability", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASavedAndReloadedModelKeepsItsZeros()
    {
        using var dir = new TempDirectory();
        var schemaPath = dir.WriteFile("census.yaml", SchemaText);
        ModelFile.Save(dir.File("m.model"), SchemaSource.FromFile(schemaPath), MstResult.Value);

        var (schema, _, result) = ModelFile.Load(dir.File("m.model"));

        Assert.Equal(Schema.Constraints.Select(c => c.Text), schema.Constraints.Select(c => c.Text));
        AssertNoViolations(result.Sample(new Random(10), 200_000));
    }

    [Fact]
    public void SynthOnTheCommandLineKeepsTheSchemasConstraints()
    {
        using var dir = new TempDirectory();
        var csv = dir.WriteFile("census.csv", MessyTable.Census(seed: 11, rows: 3000));
        var schema = dir.WriteFile("census.yaml", SchemaText);
        var output = dir.File("synthetic.csv");

        var result = CliRunner.Run(
            "synth", "--input", csv, "--schema", schema, "--epsilon", "1", "--delta", "1e-9", "--method", "mst",
            "--rows", "100000", "--seed", "3", "--out", output);

        Assert.Equal(0, result.ExitCode);
        AssertNoViolations(CsvEncoder.EncodeFile(output, Schema).Table);
    }

    [Fact]
    public void APolicyRunReleasesRowsThatKeepTheSchemasConstraints()
    {
        // The fixture's visits grow with age: under 20, at most 3 (a rule of its generator, stated here as public).
        using var fixture = new Policies.RunFixture();
        var schemaPath = Path.Combine(fixture.Folder, "table.schema.yaml");
        File.AppendAllText(schemaPath, "\nconstraints:\n  - visits <= 3 when age < 20\n");
        var schema = TableSchema.Load(schemaPath);
        Assert.Equal(0, schema.Constraints[0].CountViolations(CsvEncoder.EncodeFile(fixture.Input, schema).Table));

        var run = CliRunner.Run("run", fixture.WritePolicy("p.yaml"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var bundle = Assert.Single(Directory.GetDirectories(fixture.Releases), d => !d.EndsWith(".internal", StringComparison.Ordinal));
        var released = CsvEncoder.EncodeFile(Path.Combine(bundle, "synthetic.csv"), schema).Table;
        Assert.Equal((900, 0L), (released.RowCount, schema.Constraints[0].CountViolations(released)));
        Assert.Contains("visits <= 3 when age < 20", File.ReadAllText(Path.Combine(bundle, "manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void AimRefusesConstraintsWhoseCliquesDoNotFitTheModelSizeCap()
    {
        // The 1-way marginals need 3.4 KB; the zeros' cliques (AGEP x INDP alone has 26,112 cells) about 0.2 MB.
        var aim = new Aim(Workload.AllKWay(Schema.Domain, 2), new AimOptions { MaxModelSizeMb = 0.05 }, Zeros);

        var ex = Assert.Throws<SynthesisSettingsException>(() => aim.Plan(SynthesisBudget.FromEpsilonDelta(1, 1e-9)));

        Assert.Contains("the schema's constraints need a model of", ex.Message, StringComparison.Ordinal);
        Assert.Contains("above max_model_size 0.05 MB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MstMergesRareValuesOnlyWithValuesTheConstraintsTreatAlike()
    {
        var compression = MstResult.Value.Compression;

        // With 10,000 rows at epsilon 1 most of the 270 industry codes are rare and merge; ages merge only within one
        // side of the thresholds 15 and 16, and the missing cell of INDP never merges with a code.
        Assert.NotNull(compression);
        var indp = Schema.Domain.IndexOf("INDP");
        Assert.DoesNotContain(Schema.Columns[indp].MissingCode, compression.DroppedValues(indp));
        var ages = compression.DroppedValues(Schema.Domain.IndexOf("AGEP"));
        Assert.True(ages.All(a => a < 15) || ages.All(a => a == 15) || ages.All(a => a > 15));
    }

    private static ZcdpAccountant Accountant(ulong seed) =>
        ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(1, 1e-9), seed);

    private static void AssertNoViolations(EncodedTable rows) =>
        Assert.All(Schema.Constraints, c => Assert.Equal(0, c.CountViolations(rows)));

    /// <summary>The model's marginal over each mask's clique is exactly 0 on every forbidden cell.</summary>
    private static void AssertZeroInModel(GraphicalModel model, StructuralZeros zeros)
    {
        foreach (var (clique, allowed) in zeros.Masks)
        {
            var marginal = model.Project(clique);
            Assert.All(Enumerable.Range(0, marginal.Length).Where(i => !allowed[i]), i => Assert.Equal(0.0, marginal[i]));
        }
    }
}
