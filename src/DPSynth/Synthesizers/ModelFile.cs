using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
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
/// JSON, versioned: this build reads versions <see cref="OldestFormatVersion"/> to <see cref="FormatVersion"/> and refuses
/// any other with a clear error rather than misreading it. Version 2 added a measurement's coarsening (AIM's coarse
/// candidates, key <c>groups</c>); a model without coarse measurements is still written as version 1, so builds that
/// read only version 1 load it, and one with them as version 2, which those builds refuse by its version instead of
/// calling an unknown key damage. A model fitted with insecure seeded noise carries <c>insecureNoise: true</c> (absent
/// otherwise), so <see cref="SynthesisResult.UsedInsecureNoise"/> survives a save and a load and such a model is never
/// released; builds without the key refuse the file. Doubles are written in round-trip form, so a reloaded model samples exactly the same
/// rows for the same post-processing seed.
/// </remarks>
public static class ModelFile
{
    /// <summary>The format identifier at the top of every model file.</summary>
    public const string Format = "dpsynth-model";

    /// <summary>The newest version this build writes and reads.</summary>
    public const int FormatVersion = 2;

    /// <summary>The oldest version this build reads.</summary>
    public const int OldestFormatVersion = 1;

    /// <summary>Writes <paramref name="result"/> and its schema to <paramref name="path"/> (atomically).</summary>
    public static void Save(string path, SchemaSource schema, SynthesisResult result)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(result);
        AtomicFile.Write(path, stream => Write(stream, schema, result));
    }

    /// <summary>
    /// Writes the model file's bytes (UTF-8 JSON, as <see cref="Save"/> does) to <paramref name="stream"/>, which stays
    /// open: a release bundle writes its <c>model.dpsm</c> straight into its own staging folder, never via a shared
    /// temporary path.
    /// </summary>
    internal static void Write(Stream stream, SchemaSource schema, SynthesisResult result)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(result);
        var model = result.Model;
        var contract = new ModelFileContract(
            Format,
            result.NoisyMeasurements.Any(m => m.Coarsening is not null) ? FormatVersion : OldestFormatVersion,
            result.Method,
            new ModelFileContract.SchemaSection(schema.Format, Path.GetFileName(schema.Name), schema.Text),
            new ModelFileContract.Fraction(
                result.RhoSpent.Value.Numerator.ToString(CultureInfo.InvariantCulture),
                result.RhoSpent.Value.Denominator.ToString(CultureInfo.InvariantCulture)),
            model.Total,
            model.Tree.Heuristic.ToString(),
            [.. model.Domain.Sizes],
            [.. model.Tree.MeasuredCliques.Select(Attributes)],
            [.. model.Potentials.Select(f => new ModelFileContract.Potential(Attributes(f.Clique), Doubles(f.Values)))],
            [.. result.NoisyMeasurements.Select(m => new ModelFileContract.Measurement(
                Attributes(m.Clique), m.Sigma, Doubles(m.Values.AsSpan()), m.CellStd.IsEmpty ? null : Doubles(m.CellStd.AsSpan()),
                m.Coarsening is { } coarse ? [.. coarse.Groups] : null))],
            result.Compression is { } c ? [.. Enumerable.Range(0, c.Original.Count).Select(a => c.KeptValues(a).ToArray())] : null,
            result.UsedInsecureNoise ? true : null);
        JsonSerializer.Serialize(stream, contract, ModelJsonContext.Default.ModelFileContract);
    }

    /// <summary>Reads a model file written by <see cref="Save"/>.</summary>
    /// <exception cref="InputException">
    /// The file is missing, is not a regular file, is not a model file, is of another version, or is damaged.
    /// </exception>
    public static (TableSchema Schema, SchemaSource Source, SynthesisResult Result) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = RegularFile.ReadAllText(path, Messages.WhatModel, Encoding.UTF8);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw new InputException(Messages.ModelFileDamaged(path, ex.Message));
        }

        using (document)
        {
            try
            {
                // The format and version are checked on the document first, so another file or another version gets its own
                // error; then the whole file is read through the strict contract. Every read of the file's structure is
                // inside the try: a JSON array, a number where a string belongs or an index past a domain is a damaged
                // file, never a crash.
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format)
                    || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
                {
                    throw new InputException(Messages.NotAModelFile(path));
                }

                var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var number)
                    ? number
                    : -1;
                if (version is < OldestFormatVersion or > FormatVersion)
                {
                    throw new InputException(Messages.ModelFileVersion(path, version, OldestFormatVersion, FormatVersion));
                }

                var file = root.Deserialize(ModelJsonContext.Default.ModelFileContract) ?? throw new FormatException("the model is null");
                if (version < 2 && file.Measurements.Any(m => m.Groups is not null))
                {
                    throw new FormatException("a version 1 model file has a coarse measurement (key groups came in version 2)");
                }

                return Read(file);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException
                                           or KeyNotFoundException or OverflowException or IndexOutOfRangeException)
            {
                throw new InputException(Messages.ModelFileDamaged(path, ex.Message));
            }
        }
    }

    private static (TableSchema, SchemaSource, SynthesisResult) Read(ModelFileContract file)
    {
        var source = new SchemaSource(file.Schema.Format, file.Schema.Text, file.Schema.Name);
        var schema = source.Parse();
        var original = schema.Domain;
        var modelDomain = new Domain(original.Names, file.ModelSizes);
        DomainCompression? compression = null;
        if (file.Compression is { } kept)
        {
            compression = DomainCompression.FromKeptValues(original, [.. kept.Select(k => (IReadOnlyList<int>)k)]);
            if (!compression.Compressed.Equals(modelDomain))
            {
                throw new FormatException("the compression map does not match the model's domain");
            }
        }
        else if (!modelDomain.Equals(original))
        {
            throw new FormatException("the model's domain does not match its schema");
        }

        var heuristic = Enum.Parse<EliminationHeuristic>(file.Heuristic);
        var tree = new JunctionTree(modelDomain, file.TreeCliques.Select(k => new Clique(k)), heuristic);
        var potentials = new CliqueVector(modelDomain, file.Potentials.Select(p =>
            new Factor(modelDomain, new Clique(p.Clique), ReadDoubles(p.Values))));
        var model = GraphicalModel.FromPotentials(tree, potentials, file.Total);
        var measurements = file.Measurements.Select(m =>
        {
            var clique = new Clique(m.Clique);
            var coarse = m.Groups is { } groups ? new Coarsening(clique.Attributes.ToArray().Select(modelDomain.Size), groups) : null;
            return new NoisyMarginal(clique, ReadDoubles(m.Values), m.Sigma, m.CellStd is null ? default : ReadDoubles(m.CellStd), coarse);
        });
        var rho = new Rho(new Rational(
            BigInteger.Parse(file.RhoSpent.Numerator, CultureInfo.InvariantCulture),
            BigInteger.Parse(file.RhoSpent.Denominator, CultureInfo.InvariantCulture)));
        var result = new SynthesisResult(file.Method, original, model, [], [], rho, file.InsecureNoise == true, compression, measurements);
        return (schema, source, result);
    }

    private static int[] Attributes(Clique clique) => clique.Attributes.ToArray();

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

    private static double[] ReadDoubles(string text) =>
        text.Length == 0
            ? []
            : [.. text.Split(' ').Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture))];
}
