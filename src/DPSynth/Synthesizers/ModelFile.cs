using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.IO;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// Saves a fitted model to disk and loads it back, so more (or rebalanced, or conditional) rows can be drawn later at
/// no further privacy cost. The file holds only DP outputs and public configuration: the schema, the noisy
/// measurements, the model's potentials and its noisy total, MST's compression map and the rho spent; never a row or a
/// count of the private table.
/// </summary>
/// <remarks>
/// JSON, versioned by <see cref="FormatVersion"/>; a file of another version is refused with a clear error rather than
/// misread. Doubles are written in round-trip form, so a reloaded model samples exactly the same rows for the same
/// post-processing seed.
/// </remarks>
public static class ModelFile
{
    /// <summary>The format identifier at the top of every model file.</summary>
    public const string Format = "dpsynth-model";

    /// <summary>The version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes <paramref name="result"/> and its schema to <paramref name="path"/> (atomically).</summary>
    public static void Save(string path, SchemaSource schema, SynthesisResult result)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(result);
        var model = result.Model;
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = FormatVersion,
            ["method"] = result.Method,
            ["schema"] = new JsonObject { ["format"] = schema.Format, ["name"] = Path.GetFileName(schema.Name), ["text"] = schema.Text },
            ["rhoSpent"] = new JsonObject
            {
                ["numerator"] = result.RhoSpent.Value.Numerator.ToString(CultureInfo.InvariantCulture),
                ["denominator"] = result.RhoSpent.Value.Denominator.ToString(CultureInfo.InvariantCulture),
            },
            ["total"] = model.Total,
            ["heuristic"] = model.Tree.Heuristic.ToString(),
            ["modelSizes"] = new JsonArray([.. model.Domain.Sizes.Select(s => JsonValue.Create(s))]),
            ["treeCliques"] = new JsonArray([.. model.Tree.MeasuredCliques.Select(CliqueJson)]),
            ["potentials"] = new JsonArray([.. model.Potentials.Select(f => (JsonNode)new JsonObject
            {
                ["clique"] = CliqueJson(f.Clique),
                ["values"] = Doubles(f.Values),
            })]),
            ["measurements"] = new JsonArray([.. result.NoisyMeasurements.Select(m => (JsonNode)new JsonObject
            {
                ["clique"] = CliqueJson(m.Clique),
                ["sigma"] = m.Sigma,
                ["values"] = Doubles(m.Values.AsSpan()),
                ["cellStd"] = m.CellStd.IsEmpty ? null : Doubles(m.CellStd.AsSpan()),
            })]),
            ["compression"] = result.Compression is { } c
                ? new JsonArray([.. Enumerable.Range(0, c.Original.Count).Select(a => (JsonNode)IntArray(c.KeptValues(a)))])
                : null,
        };
        AtomicFile.WriteText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    /// <summary>Reads a model file written by <see cref="Save"/>.</summary>
    /// <exception cref="InputException">
    /// The file is missing, is not a regular file, is not a model file, is of another version, or is damaged.
    /// </exception>
    public static (TableSchema Schema, SchemaSource Source, SynthesisResult Result) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = RegularFile.ReadAllText(path, Messages.WhatModel, Encoding.UTF8);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new InputException(Messages.ModelFileDamaged(path, ex.Message));
        }

        try
        {
            // Every read of the file's structure is inside the try: a JSON array, a number where a string belongs or an
            // index past a domain is a damaged file, never a crash.
            if (root is not JsonObject || root["format"] is not JsonValue format || !format.TryGetValue<string>(out var name) || name != Format)
            {
                throw new InputException(Messages.NotAModelFile(path));
            }

            var version = root["version"] is JsonValue v && v.TryGetValue<int>(out var number) ? number : -1;
            if (version != FormatVersion)
            {
                throw new InputException(Messages.ModelFileVersion(path, version, FormatVersion));
            }

            return Read(root);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or NullReferenceException
                                       or KeyNotFoundException or OverflowException or IndexOutOfRangeException)
        {
            throw new InputException(Messages.ModelFileDamaged(path, ex.Message));
        }
    }

    private static (TableSchema, SchemaSource, SynthesisResult) Read(JsonNode root)
    {
        var schemaNode = root["schema"]!;
        var source = new SchemaSource(
            schemaNode["format"]!.GetValue<string>(), schemaNode["text"]!.GetValue<string>(), schemaNode["name"]!.GetValue<string>());
        var schema = source.Parse();
        var original = schema.Domain;
        var sizes = root["modelSizes"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        var modelDomain = new Domain(original.Names, sizes);
        DomainCompression? compression = null;
        if (root["compression"] is JsonArray kept)
        {
            compression = DomainCompression.FromKeptValues(
                original, [.. kept.Select(k => (IReadOnlyList<int>)k!.AsArray().Select(v => v!.GetValue<int>()).ToArray())]);
            if (!compression.Compressed.Equals(modelDomain))
            {
                throw new FormatException("the compression map does not match the model's domain");
            }
        }
        else if (!modelDomain.Equals(original))
        {
            throw new FormatException("the model's domain does not match its schema");
        }

        var heuristic = Enum.Parse<EliminationHeuristic>(root["heuristic"]!.GetValue<string>());
        var tree = new JunctionTree(modelDomain, root["treeCliques"]!.AsArray().Select(ReadClique), heuristic);
        var potentials = new CliqueVector(modelDomain, root["potentials"]!.AsArray().Select(p =>
            new Factor(modelDomain, ReadClique(p!["clique"]), ReadDoubles(p["values"]))));
        var model = GraphicalModel.FromPotentials(tree, potentials, root["total"]!.GetValue<double>());
        var measurements = root["measurements"]!.AsArray().Select(m => new NoisyMarginal(
            ReadClique(m!["clique"]), ReadDoubles(m["values"]), m["sigma"]!.GetValue<double>(),
            m["cellStd"] is null ? default : ReadDoubles(m["cellStd"])));
        var rhoNode = root["rhoSpent"]!;
        var rho = new Rho(new Rational(
            BigInteger.Parse(rhoNode["numerator"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            BigInteger.Parse(rhoNode["denominator"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
        var result = new SynthesisResult(
            root["method"]!.GetValue<string>(), original, model, [], [], rho, compression, measurements);
        return (schema, source, result);
    }

    private static JsonNode CliqueJson(Clique clique) => IntArray(clique.Attributes.ToArray());

    private static JsonArray IntArray(IEnumerable<int> values) => new([.. values.Select(v => JsonValue.Create(v))]);

    private static Clique ReadClique(JsonNode? node) => new(node!.AsArray().Select(n => n!.GetValue<int>()));

    // Doubles as round-trip strings in one space-separated string: compact, exact, and readable by any JSON tool.
    private static string Doubles(ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            parts[i] = values[i].ToString("R", CultureInfo.InvariantCulture);
        }

        return string.Join(' ', parts);
    }

    private static double[] ReadDoubles(JsonNode? node)
    {
        var text = node!.GetValue<string>();
        return text.Length == 0
            ? []
            : [.. text.Split(' ').Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture))];
    }
}
