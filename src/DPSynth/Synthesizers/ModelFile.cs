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

    /// <summary>
    /// Writes <paramref name="result"/> and its schema to <paramref name="path"/> (atomically); <paramref name="existing"/>
    /// says whether a file already there is replaced (<see cref="AtomicFile.Write"/>).
    /// </summary>
    public static void Save(string path, SchemaSource schema, SynthesisResult result, ExistingFile existing = ExistingFile.Replace)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(result);
        AtomicFile.Write(path, stream => Write(stream, schema, result), existing: existing);
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
        return Load(path, RegularFile.ReadAllText(path, Messages.WhatModel, Encoding.UTF8), long.MaxValue);
    }

    /// <summary>
    /// Reads a model file's <paramref name="text"/>, already read from <paramref name="path"/> (named in errors): a caller
    /// that checked the bytes it read (against a bundle's manifest) parses exactly those, never a second read. A model
    /// whose junction tree needs more than <paramref name="maxBytes"/> to load (<see cref="LoadBytes"/>) is refused
    /// before any of it is allocated: a few bytes of tree cliques can ask for gigabytes.
    /// </summary>
    /// <exception cref="InputException">The text is not a model file, is of another version, or is damaged.</exception>
    /// <exception cref="ResourceRefusedException">The model needs more than <paramref name="maxBytes"/>.</exception>
    internal static (TableSchema Schema, SchemaSource Source, SynthesisResult Result) Load(string path, string text, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
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

                return Read(file, path, maxBytes);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException
                                           or KeyNotFoundException or OverflowException or IndexOutOfRangeException)
            {
                throw new InputException(Messages.ModelFileDamaged(path, ex.Message));
            }
        }
    }

    /// <summary>
    /// The memory loading a model of <paramref name="tree"/> takes: belief propagation's three arrays over the tree's
    /// cells (log-potentials, marginals, workspace) and the file's potentials, at most a fourth.
    /// </summary>
    internal static long LoadBytes(JunctionTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Saturating.Multiply(4, tree.ByteCount);
    }

    private static (TableSchema, SchemaSource, SynthesisResult) Read(ModelFileContract file, string path, long maxBytes)
    {
        if (file.Schema.Format is not ("yaml" or "domain-json"))
        {
            throw new FormatException($"the schema's format '{file.Schema.Format}' is neither yaml nor domain-json");
        }

        var source = new SchemaSource(file.Schema.Format, file.Schema.Text, file.Schema.Name);
        TableSchema schema;
        try
        {
            schema = source.Parse();
        }
        catch (InputException ex)
        {
            // The schema travels inside the model: its errors are the model file's damage, not a file the user can open.
            throw new FormatException($"its schema does not read: {ex.Message}", ex);
        }

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

        // Only a heuristic's own name: Enum.Parse would also take a number ("99"), naming no heuristic at all.
        if (!Enum.TryParse<EliminationHeuristic>(file.Heuristic, out var heuristic) || !Enum.IsDefined(heuristic)
            || heuristic.ToString() != file.Heuristic)
        {
            throw new FormatException($"'{file.Heuristic}' is not an elimination heuristic");
        }

        var tree = new JunctionTree(modelDomain, file.TreeCliques.Select(k => new Clique(k)), heuristic);
        var loadBytes = LoadBytes(tree);
        if (loadBytes > maxBytes)
        {
            throw new ResourceRefusedException(Messages.ModelTooLargeToLoad(path, ByteSize.Format(loadBytes), ByteSize.Format(maxBytes)));
        }

        var potentials = new CliqueVector(modelDomain, file.Potentials.Select(p =>
            new Factor(modelDomain, new Clique(p.Clique), ReadLogPotentials(p.Values))));
        var model = GraphicalModel.FromPotentials(tree, potentials, file.Total);
        CheckDistribution(model);
        var measurements = file.Measurements.Select(m =>
        {
            var clique = new Clique(m.Clique);
            var coarse = m.Groups is { } groups ? new Coarsening(clique.Attributes.ToArray().Select(modelDomain.Size), groups) : null;
            var values = ReadDoubles(m.Values);
            var cells = coarse?.CellCount ?? clique.CellCount(modelDomain);
            if (values.Length != cells)
            {
                throw new FormatException($"the measurement of {clique} has {values.Length} values, not its {cells} cells");
            }

            return new NoisyMarginal(clique, values, m.Sigma, m.CellStd is null ? default : ReadDoubles(m.CellStd), coarse);
        });
        var denominator = BigInteger.Parse(file.RhoSpent.Denominator, CultureInfo.InvariantCulture);
        if (denominator.Sign <= 0)
        {
            throw new FormatException("the rho spent has a denominator that is not positive");
        }

        var rho = new Rho(new Rational(BigInteger.Parse(file.RhoSpent.Numerator, CultureInfo.InvariantCulture), denominator));
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

    // A log-potential is finite, or -inf for a structural zero (StructuralZeros); NaN and +inf define no distribution.
    private static double[] ReadLogPotentials(string text)
    {
        var values = ReadDoubles(text);
        foreach (var v in values)
        {
            if (double.IsNaN(v) || double.IsPositiveInfinity(v))
            {
                throw new FormatException($"a log-potential is {v.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        return values;
    }

    // Potentials that pass one by one can still overflow together (1e308 + 1e308), or rule out every row: the model must
    // give each maximal clique finite, non-negative counts that sum to its total, or its samples would be garbage.
    private static void CheckDistribution(GraphicalModel model)
    {
        for (var c = 0; c < model.Tree.MaximalCliques.Length; c++)
        {
            var sum = 0.0;
            foreach (var count in model.MarginalOf(c))
            {
                if (!(count >= 0) || !double.IsFinite(count))
                {
                    throw new FormatException("the potentials do not define a distribution (a marginal count is not a finite, non-negative number)");
                }

                sum += count;
            }

            if (!(Math.Abs(sum - model.Total) <= 1e-6 * model.Total))
            {
                throw new FormatException("the potentials do not define a distribution (a marginal does not sum to the model's total)");
            }
        }
    }

    private static double[] ReadDoubles(string text) =>
        text.Length == 0
            ? []
            : [.. text.Split(' ').Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture))];
}
