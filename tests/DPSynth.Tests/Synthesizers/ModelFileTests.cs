using System.Collections.Immutable;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Synthesizers;

/// <summary>Saved models, and sampling from them at no privacy cost (issue 10).</summary>
/// <remarks>
/// The synthesizer runs here draw real CSPRNG noise, so the fitted models differ from run to run; every assertion is
/// about the model file's round trip or the sampler's exact bookkeeping, which hold for any model.
/// </remarks>
public sealed class ModelFileTests
{
    private static readonly string DemoSchemaPath = DemoFits.SchemaPath;

    private static readonly TableSchema Demo = DemoFits.Schema;

    private static readonly EncodedTable DemoRows = DemoFits.Rows;

    private static (SynthesisResult Result, ZcdpAccountant Accountant) FitMst(double epsilon = 1) => DemoFits.FitMst(epsilon);

    private static void AssertSameRows(EncodedTable a, EncodedTable b) => DemoFits.AssertSameRows(a, b);

    [Fact]
    public void ASavedAndReloadedModelSamplesTheSameRowsForTheSameSeed()
    {
        using var dir = new TempDirectory();
        var (result, _) = FitMst();
        ModelFile.Save(dir.File("m.model"), SchemaSource.FromFile(DemoSchemaPath), result);
        var (schema, _, loaded) = ModelFile.Load(dir.File("m.model"));

        Assert.Equal(Demo.Domain, schema.Domain);
        Assert.Equal(result.RhoSpent, loaded.RhoSpent);
        Assert.Equal(result.Model.Total, loaded.Model.Total);
        Assert.Equal(result.NoisyMeasurements.Length, loaded.NoisyMeasurements.Length);
        Assert.Equal(result.NoisyMeasurements[0].Values.ToArray(), loaded.NoisyMeasurements[0].Values.ToArray());
        AssertSameRows(result.Sample(new Random(5), 700), loaded.Sample(new Random(5), 700));
        var request = SamplingRequest.Parse(Demo, "region=uniform", "sex=M");
        AssertSameRows(result.Sample(new Random(6), 400, request), loaded.Sample(new Random(6), 400, request));
    }

    /// <summary>
    /// A coarse measurement (AIM's coarse candidates) keeps its coarsening through a save and load; measurements
    /// without one are written without the key, so such files keep their bytes (ModelFileGoldenTests).
    /// </summary>
    [Fact]
    public void ACoarseMeasurementRoundTripsWithItsCoarsening()
    {
        using var dir = new TempDirectory();
        var (fitted, _) = FitMst();
        var pair = Clique.Of(0, 5);
        var coarse = Coarsening.For(fitted.Model.Domain, pair, 2, 2)!;
        var values = Enumerable.Range(0, coarse.CellCount).Select(i => (i * 37.5) - 20).ToArray();
        var measurement = new NoisyMarginal(pair, values, 4.25, default, coarse);
        var result = new SynthesisResult(
            fitted.Method, fitted.Domain, fitted.Model, fitted.Selections, fitted.Measurements, fitted.RhoSpent, fitted.UsedInsecureNoise,
            fitted.Compression, [.. fitted.NoisyMeasurements, measurement]);
        ModelFile.Save(dir.File("m.model"), SchemaSource.FromFile(DemoSchemaPath), result);
        var text = File.ReadAllText(dir.File("m.model"));
        var (_, _, loaded) = ModelFile.Load(dir.File("m.model"));

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "\"groups\""));
        Assert.Contains("\"version\":2", text, StringComparison.Ordinal); // groups came in version 2
        var back = loaded.NoisyMeasurements[^1];
        Assert.Equal(coarse, back.Coarsening);
        Assert.Equal(values, back.Values.ToArray());
        Assert.Equal(4.25, back.Sigma);
        Assert.All(loaded.NoisyMeasurements.Take(fitted.NoisyMeasurements.Length), m => Assert.Null(m.Coarsening));

        // Without coarse measurements the file stays version 1 (older builds read it); a version 1 file that claims a
        // coarse measurement is damaged, not read as fine cells.
        ModelFile.Save(dir.File("fine.model"), SchemaSource.FromFile(DemoSchemaPath), fitted);
        Assert.Contains("\"version\":1", File.ReadAllText(dir.File("fine.model")), StringComparison.Ordinal);
        File.WriteAllText(dir.File("v1.model"), text.Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal));
        Assert.Contains("damaged", Assert.Throws<InputException>(() => ModelFile.Load(dir.File("v1.model"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SamplingSpendsNoBudgetAndRebalancedRowsHaveTheRequestedShares()
    {
        var (result, accountant) = FitMst();
        var spent = accountant.Spent;
        var request = SamplingRequest.Parse(Demo, "diagnosis=uniform", "insurance=None");
        const int rows = 7000;
        var sample = result.Sample(new Random(3), rows, request);
        Assert.Equal(spent, accountant.Spent);

        var diagnosis = Demo.Domain.IndexOf("diagnosis");
        var insurance = Demo.Domain.IndexOf("insurance");
        var counts = new int[7];
        for (var r = 0; r < rows; r++)
        {
            Assert.Equal(2, sample[r, insurance]);
            counts[sample[r, diagnosis]]++;
        }

        // Randomized rounding: each value's count is within one row of rows / 7.
        Assert.All(counts, c => Assert.True(Math.Abs(c - (rows / 7.0)) < 1, $"count {c}"));
    }

    [Fact]
    public void ConditionsOnValuesMstMergedAreKeptExactly()
    {
        // A column whose second value is rare enough that MST merges it with the third at epsilon = 0.5.
        var domain = new Domain(["a", "b"], [3, 4]);
        var random = new Random(1);
        var codes = Enumerable.Range(0, 4000).Select(_ => random.NextDouble() < 0.998 ? 0 : 1 + random.Next(2)).ToArray();
        var b = Enumerable.Range(0, 4000).Select(i => (codes[i] + random.Next(2)) % 4).ToArray();
        var table = new EncodedTable(domain, [EncodedColumn.FromCodes(3, codes), EncodedColumn.FromCodes(4, b)]);
        var accountant = new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(0.5, 1e-9));
        var result = new Mst(domain).Fit(table, accountant);
        Assert.NotNull(result.Compression);
        Assert.Contains(2, result.Compression!.DroppedValues(0));

        var evidence = new Evidence(domain, [new(0, 2)]);
        var sample = result.Sample(new Random(4), 300, SamplingRequest.ForModel(evidence, -1, [], "a=2"));
        Assert.All(Enumerable.Range(0, 300), r => Assert.Equal(2, sample[r, 0]));
    }

    [Fact]
    public void RebalancedSharesOfValuesMstMergedAreWithinTheRoundingBound()
    {
        // Values 1..6 of "a" have no row at all: two or more merged fails with probability <= 1.1e-9
        // (DemoFits.FitWithRareValuesMerged), the false-failure probability of the merge assertion. The count assertion is
        // deterministic: it holds for any fitted model.
        var domain = new Domain(["a", "b"], [7, 3]);
        var result = DemoFits.FitWithRareValuesMerged();
        Assert.NotNull(result.Compression);
        Assert.True(result.Compression!.DroppedValues(0).Length >= 2, $"merged {result.Compression.DroppedValues(0).Length}");

        const int rows = 7001;
        var shares = Enumerable.Repeat(1.0 / 7, 7).ToImmutableArray();
        var request = SamplingRequest.ForModel(Evidence.None(domain), 0, shares, "a=uniform");
        for (var seed = 0; seed < 5; seed++)
        {
            var sample = result.Sample(new Random(seed), rows, request);
            var counts = new int[7];
            for (var r = 0; r < rows; r++)
            {
                counts[sample[r, 0]]++;
            }

            // The rounding bound of rebalancing: each value's count is within one row of rows x share, merged or not.
            Assert.All(counts, c => Assert.True(Math.Abs(c - (rows / 7.0)) < 1, $"counts {string.Join(", ", counts)}"));
        }
    }

    [Fact]
    public void AModelFileOfAnotherVersionIsRefusedWithAClearError()
    {
        using var dir = new TempDirectory();
        var (result, _) = FitMst(epsilon: 0.5);
        ModelFile.Save(dir.File("m.model"), SchemaSource.FromFile(DemoSchemaPath), result);
        var text = File.ReadAllText(dir.File("m.model")).Replace("\"version\":1", "\"version\":3", StringComparison.Ordinal);
        File.WriteAllText(dir.File("v3.model"), text);
        var error = Assert.Throws<InputException>(() => ModelFile.Load(dir.File("v3.model")));
        Assert.Contains("format version 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("reads versions 1 to 2", error.Message, StringComparison.Ordinal);

        File.WriteAllText(dir.File("other.json"), "{\"format\":\"something-else\"}");
        Assert.Contains("not a dpsynth model file", Assert.Throws<InputException>(() => ModelFile.Load(dir.File("other.json"))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void TheModelFileCarriesNoRowOfTheInput()
    {
        using var dir = new TempDirectory();
        var (result, _) = FitMst();
        ModelFile.Save(dir.File("m.model"), SchemaSource.FromFile(DemoSchemaPath), result);
        var text = File.ReadAllText(dir.File("m.model"));
        // Neither the true row count nor a raw line of the private CSV appears in the file. The schema (public, and it
        // happens to contain 20000 as a cost edge) is set aside; every other number is checked token by token.
        var json = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        json.Remove("schema");
        var tokens = json.ToJsonString().Split([' ', ',', '[', ']', '"', ':', '{', '}'], StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(DemoRows.RowCount.ToString(System.Globalization.CultureInfo.InvariantCulture), tokens);
        var firstDataLine = File.ReadLines(Path.Combine(SharedData.RepositoryRoot, "policies", "demo", "visits.csv")).Skip(1).First();
        Assert.DoesNotContain(firstDataLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSampleVerbDrawsRebalancedRowsFromASavedModelAndRejectsBadConditions()
    {
        using var dir = new TempDirectory();
        var demo = Path.Combine(SharedData.RepositoryRoot, "policies", "demo");
        var synth = CliRunner.Run(
            "synth", "--input", Path.Combine(demo, "visits.csv"), "--schema", DemoSchemaPath, "--epsilon", "1", "--delta", "1e-9",
            "--method", "mst", "--out", dir.File("s.csv"), "--save-model", dir.File("s.model"), "--seed", "1");
        Assert.Equal(0, synth.ExitCode);
        Assert.True(File.Exists(dir.File("s.model")));

        var sample = CliRunner.Run(
            "sample", "--model", dir.File("s.model"), "--rows", "600", "--out", dir.File("r.csv"), "--rebalance", "sex=F:0.25,M:0.75",
            "--seed", "2");
        Assert.Equal(0, sample.ExitCode);
        Assert.Contains("changed on purpose", sample.Error, StringComparison.Ordinal);
        var table = CsvEncoder.EncodeFile(dir.File("r.csv"), Demo.WithCsv(CsvOptions.Default)).Table;
        Assert.Equal(600, table.RowCount);
        Assert.Equal(150, Enumerable.Range(0, 600).Count(r => table[r, Demo.Domain.IndexOf("sex")] == 0));

        var bad = CliRunner.Run("sample", "--model", dir.File("s.model"), "--out", dir.File("x.csv"), "--condition", "age=500");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("not in the declared domain", bad.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.csv")));
        var unknown = CliRunner.Run("sample", "--model", dir.File("s.model"), "--out", dir.File("x.csv"), "--rebalance", "nope=uniform");
        Assert.Equal(1, unknown.ExitCode);
    }

    [Fact]
    public void TheSampleVerbRefusesAModelOfInsecureNoiseAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var model = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Golden.PathOf("model-mst.model")))!.AsObject();
        model["insecureNoise"] = true;
        var path = dir.WriteFile("insecure.model", model.ToJsonString());

        var sample = CliRunner.Run("sample", "--model", path, "--rows", "50", "--out", dir.File("r.csv"));

        Assert.Equal(1, sample.ExitCode);
        Assert.Contains(Messages.SampleInsecureModel(path), sample.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.csv")));
    }
}
