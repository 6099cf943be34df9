using System.Text.Json.Nodes;
using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// A model file edited or damaged into something that parses as JSON but defines no model is refused with the
/// "damaged" error, never sampled and never a crash: each edit below once loaded (or crashed with an internal error).
/// </summary>
public sealed class ModelFileDamageTests
{
    public static TheoryData<string> Edits() =>
    [
        "rho-denominator-zero", "heuristic-number", "heuristic-undefined-number", "potential-nan", "potential-plus-infinity",
        "potentials-overflow", "potentials-all-minus-infinity", "schema-format", "measurement-too-short",
    ];

    [Theory]
    [MemberData(nameof(Edits))]
    public void AnEditThatDefinesNoModelIsADamagedFile(string edit)
    {
        using var dir = new TempDirectory();
        var model = JsonNode.Parse(File.ReadAllText(Golden.PathOf("model-aim.model")))!.AsObject();
        Edit(model, edit);
        var path = dir.WriteFile("edited.model", model.ToJsonString());

        var error = Assert.Throws<InputException>(() => ModelFile.Load(path));

        Assert.StartsWith(Messages.ModelFileDamaged(path, string.Empty), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADamagedSchemaInsideTheModelIsTheModelFilesDamage()
    {
        // The schema's own error names visits.schema.yaml, a file the user may not have: the model file is what to fix.
        using var dir = new TempDirectory();
        var model = JsonNode.Parse(File.ReadAllText(Golden.PathOf("model-aim.model")))!.AsObject();
        model["schema"]!["text"] = "columns: [";
        var path = dir.WriteFile("edited.model", model.ToJsonString());

        var error = Assert.Throws<InputException>(() => ModelFile.Load(path));

        Assert.StartsWith(Messages.ModelFileDamaged(path, string.Empty), error.Message, StringComparison.Ordinal);
        Assert.Contains("schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATreeCliqueTooLargeForTheMemoryLimitIsRefusedBeforeItIsAllocated()
    {
        // One clique of all eleven demo columns is 251,596,800 cells (2 GB a copy, 8 GB to load): a few bytes of JSON.
        using var dir = new TempDirectory();
        var text = File.ReadAllText(Golden.PathOf("model-aim.model"));
        const long limit = 64L << 20;
        Assert.NotNull(ModelFile.Load(Golden.PathOf("model-aim.model"), text, limit).Result); // the model itself is small
        var model = JsonNode.Parse(text)!.AsObject();
        model["treeCliques"]!.AsArray().Add(new JsonArray([.. Enumerable.Range(0, 11).Select(a => JsonValue.Create(a))]));
        var path = dir.WriteFile("edited.model", model.ToJsonString());

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ResourceRefusedException>(() => ModelFile.Load(path, File.ReadAllText(path), limit));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < limit, "refused only after allocating the tree");
        Assert.Equal(Messages.ModelTooLargeToLoad(path, ByteSize.Format(4L * 251_596_800 * 8), ByteSize.Format(limit)), error.Message);
    }

    [Fact]
    public void AStructuralZeroMinusInfinityInOnePotentialStillLoads()
    {
        // -inf is how a structural zero is kept (StructuralZeros), so it is a valid log-potential, unlike NaN or +inf.
        using var dir = new TempDirectory();
        var model = JsonNode.Parse(File.ReadAllText(Golden.PathOf("model-aim.model")))!.AsObject();
        SetPotentials(model, (i, v) => i == 0 ? "-Infinity" : v);
        var path = dir.WriteFile("edited.model", model.ToJsonString());

        var (_, _, result) = ModelFile.Load(path);

        var clique = new Clique(model["potentials"]![0]!["clique"]!.AsArray().Select(a => a!.GetValue<int>()));
        var marginal = result.Model.Project(clique);
        Assert.Equal(0, marginal[0]);
        Assert.Equal(result.Model.Total, marginal.Sum(), 1e-6 * result.Model.Total);
    }

    private static void Edit(JsonObject model, string edit)
    {
        switch (edit)
        {
            case "rho-denominator-zero":
                model["rhoSpent"]!["denominator"] = "0";
                break;
            case "heuristic-number":
                model["heuristic"] = "1";
                break;
            case "heuristic-undefined-number":
                model["heuristic"] = "99";
                break;
            case "potential-nan":
                SetPotentials(model, (i, v) => i == 0 ? "NaN" : v);
                break;
            case "potential-plus-infinity":
                SetPotentials(model, (i, v) => i == 0 ? "Infinity" : v);
                break;
            case "potentials-overflow":
                // Each value is finite, but the cliques' sums overflow to +inf.
                SetPotentials(model, (_, _) => "1e308");
                break;
            case "potentials-all-minus-infinity":
                SetPotentials(model, (_, _) => "-Infinity");
                break;
            case "schema-format":
                model["schema"]!["format"] = "xml";
                break;
            case "measurement-too-short":
                // One without per-cell standard deviations (whose count would give the length away), one value short.
                var measurement = model["measurements"]!.AsArray().First(m => m!["cellStd"] is null)!;
                var values = measurement["values"]!.GetValue<string>().Split(' ');
                measurement["values"] = string.Join(' ', values[..^1]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(edit), edit, "no such edit");
        }
    }

    // Rewrites every potential's values, cell by cell (the index counts cells within one potential).
    private static void SetPotentials(JsonObject model, Func<int, string, string> value)
    {
        foreach (var potential in model["potentials"]!.AsArray())
        {
            var cells = potential!["values"]!.GetValue<string>().Split(' ');
            potential["values"] = string.Join(' ', cells.Select((v, i) => value(i, v)));
        }
    }
}
