using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Release;

public static partial class ManifestJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>
    /// Reads a manifest from its exact bytes. Every problem (syntax, a missing, unknown or repeated key, a wrong type, a
    /// broken rule) is a diagnostic whose key is the JSON path (<c>privacy.rho</c>, <c>files[2].sha256</c>).
    /// </summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="source">The file name to report problems against.</param>
    public static LoadResult<ReleaseManifest> Read(ReadOnlyMemory<byte> utf8, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var at = new SourceLocation(source, (ex.LineNumber ?? -1) + 1, (ex.BytePositionInLine ?? -1) + 1);
            return LoadResult<ReleaseManifest>.Failure([new Diagnostic(at, Messages.ManifestNotJson)]);
        }

        using (document)
        {
            var reader = new Reader(source);
            var manifest = reader.Manifest(document.RootElement);
            if (reader.Problems.Count == 0)
            {
                reader.Problems.AddRange(Validate(manifest).Select(p => reader.At(p.Key, p.Message)));
            }

            return reader.Problems.Count == 0
                ? LoadResult<ReleaseManifest>.Success(manifest)
                : LoadResult<ReleaseManifest>.Failure(reader.Problems);
        }
    }

    /// <summary>Builds the records from a parsed document, collecting every shape problem (the values are unusable if any).</summary>
    private sealed class Reader(string source)
    {
        public List<Diagnostic> Problems { get; } = [];

        public Diagnostic At(string key, string message) => new(new SourceLocation(source, Key: key), message);

        public ReleaseManifest Manifest(JsonElement root)
        {
            var o = Open(root, "(root)");
            var format = o.String("format");
            if (o.IsValid && format.Length > 0 && format != ReleaseManifest.CurrentFormat)
            {
                Problems.Add(At("format", Messages.ManifestUnknownFormat(format, ReleaseManifest.CurrentFormat)));
            }

            var tool = o.Object("tool");
            var created = o.String("created");
            var parsed = DateTimeOffset.TryParseExact(
                created, UtcTimeJsonConverter.Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time);
            if (created.Length > 0 && !parsed)
            {
                Problems.Add(At("created", Messages.ManifestBadTime));
            }

            var policy = o.Object("policy");
            var dataset = o.Object("dataset");
            var fingerprint = dataset.Object("input_fingerprint");
            var schema = o.Object("schema");
            var synthesizer = o.Object("synthesizer");
            var parameters = synthesizer.Object("parameters");
            var privacy = o.Object("privacy");
            var ledger = o.Object("ledger");
            var audit = o.Object("audit");
            var sampling = o.Object("sampling");
            var signer = o.Object("signer");
            var discovery = o.OptionalObject("domain_discovery");
            var manifest = new ReleaseManifest(
                new ManifestTool(tool.String("name"), tool.String("version")),
                time,
                o.String("run_id"),
                new ManifestPolicy(policy.String("file"), policy.String("sha256")),
                new ManifestDataset(
                    dataset.String("id"),
                    new ManifestInputFingerprint(
                        fingerprint.String("algorithm"), fingerprint.String("key_id"), fingerprint.String("value"))),
                new ManifestSchema(schema.String("format"), schema.String("text")),
                new ManifestSynthesizer(synthesizer.String("method"), synthesizer.String("workload"), parameters.StringMap()),
                new ManifestPrivacy(
                    privacy.String("accounting"), privacy.String("neighbouring"), privacy.Number("rho"), privacy.String("rho_exact"),
                    privacy.Number("epsilon"), privacy.Number("delta"), privacy.Boolean("insecure_noise")),
                o.Array("selections", s => new ManifestSelection(
                    s.Int("round"), s.Strings("chosen"), s.Int("candidates"), s.Number("epsilon"), s.Number("sensitivity"),
                    s.Number("rho"))),
                o.Array("measurements", x => new ManifestMeasurement(
                    x.Int("round"), x.Strings("columns"), x.Number("sigma"), x.Number("rho"), x.OptionalString("coarsening"))),
                new ManifestLedger(
                    ledger.String("charge_entry_hash"), ledger.Number("dataset_spent_rho"), ledger.NullableNumber("dataset_cap_rho")),
                new ManifestAudit(audit.String("verdict"), audit.Int("attempts")),
                new ManifestSampling(
                    sampling.Int("rows"), sampling.Boolean("distribution_changed"), sampling.NullableString("rebalance"),
                    sampling.NullableString("condition")),
                o.Strings("disclosures"),
                new ManifestSignerCertificate(signer.String("certificate_sha256")),
                o.Array("files", f => new ManifestFile(f.String("name"), f.Long("bytes"), f.String("sha256"))));
            if (discovery is not null)
            {
                manifest = manifest with
                {
                    DomainDiscovery = new ManifestDomainDiscovery(
                        discovery.String("charge_entry_hash"), discovery.Strings("columns"), discovery.Number("rho"),
                        discovery.Number("threshold_delta"), discovery.Number("charged_rho"), discovery.Number("bundle_rho"),
                        discovery.Number("bundle_epsilon"), discovery.Number("bundle_delta")),
                };
                discovery.ReportUnknownKeys();
            }

            JsonObjectReader[] sections = [o, tool, policy, dataset, fingerprint, schema, synthesizer, privacy, ledger, audit, sampling, signer];
            foreach (var section in sections)
            {
                section.ReportUnknownKeys();
            }

            return manifest;
        }

        public JsonObjectReader Open(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Problems.Add(At(path, Messages.ManifestWrongType("an object")));
                return new JsonObjectReader(this, path, null);
            }

            var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!properties.TryAdd(property.Name, property.Value))
                {
                    Problems.Add(At(Join(path, property.Name), Messages.ManifestDuplicateKey));
                }
            }

            return new JsonObjectReader(this, path, properties);
        }

        public static string Join(string path, string name) => path == "(root)" ? name : $"{path}.{name}";
    }

    /// <summary>Reads the keys of one JSON object, recording each problem once and which keys were used.</summary>
    private sealed class JsonObjectReader(Reader reader, string path, Dictionary<string, JsonElement>? properties)
    {
        private readonly HashSet<string> used = new(StringComparer.Ordinal);

        public bool IsValid => properties is not null;

        public string String(string name) => Get(name, JsonValueKind.String, "a string") is { } e ? e.GetString()! : string.Empty;

        public string? NullableString(string name) =>
            Get(name, JsonValueKind.String, "a string or null", allowNull: true) is { ValueKind: JsonValueKind.String } e
                ? e.GetString()
                : null;

        /// <summary>A string key that may be absent (null then); present, it must be a string.</summary>
        public string? OptionalString(string name)
        {
            if (properties is null || !properties.ContainsKey(name))
            {
                used.Add(name);
                return null;
            }

            return String(name);
        }

        public double Number(string name) => NumberOrNull(name, allowNull: false) ?? 0;

        public double? NullableNumber(string name) => NumberOrNull(name, allowNull: true);

        public bool Boolean(string name)
        {
            if (!Has(name, out var e))
            {
                return false;
            }

            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return e.GetBoolean();
            }

            Wrong(name, "true or false");
            return false;
        }

        public int Int(string name) => Get(name, JsonValueKind.Number, "an integer") is { } e && e.TryGetInt32(out var v)
            ? v
            : WrongIfPresent(name, "an integer");

        public long Long(string name) => Get(name, JsonValueKind.Number, "an integer") is { } e && e.TryGetInt64(out var v)
            ? v
            : WrongIfPresent(name, "an integer");

        public JsonObjectReader Object(string name) =>
            Get(name, JsonValueKind.Object, "an object") is { } e
                ? reader.Open(e, Reader.Join(path, name))
                : new JsonObjectReader(reader, Reader.Join(path, name), null);

        /// <summary>An object that may be absent (an optional section): null when it is.</summary>
        public JsonObjectReader? OptionalObject(string name)
        {
            if (properties is null || !properties.ContainsKey(name))
            {
                used.Add(name);
                return null;
            }

            return Object(name);
        }

        public ImmutableSortedDictionary<string, string> StringMap()
        {
            var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in properties ?? [])
            {
                used.Add(name);
                if (value.ValueKind == JsonValueKind.String)
                {
                    builder[name] = value.GetString()!;
                }
                else
                {
                    Wrong(name, "a string");
                }
            }

            return builder.ToImmutable();
        }

        public ImmutableArray<string> Strings(string name)
        {
            if (Get(name, JsonValueKind.Array, "an array of strings") is not { } array)
            {
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<string>();
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    builder.Add(item.GetString()!);
                }
                else
                {
                    reader.Problems.Add(reader.At(Item(name, i), Messages.ManifestWrongType("a string")));
                }

                i++;
            }

            return builder.ToImmutable();
        }

        public ImmutableArray<T> Array<T>(string name, Func<JsonObjectReader, T> read)
        {
            if (Get(name, JsonValueKind.Array, "an array of objects") is not { } array)
            {
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<T>();
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                var o = reader.Open(item, Item(name, i));
                builder.Add(read(o));
                o.ReportUnknownKeys();
                i++;
            }

            return builder.ToImmutable();
        }

        public void ReportUnknownKeys()
        {
            foreach (var name in (properties?.Keys ?? Enumerable.Empty<string>()).Where(n => !used.Contains(n)))
            {
                reader.Problems.Add(reader.At(Reader.Join(path, name), Messages.ManifestUnknownKey));
            }
        }

        private double? NumberOrNull(string name, bool allowNull)
        {
            if (Get(name, JsonValueKind.Number, allowNull ? "a number or null" : "a number", allowNull) is not { } e
                || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (e.TryGetDouble(out var v) && double.IsFinite(v))
            {
                return v;
            }

            Wrong(name, "a finite number");
            return null;
        }

        private JsonElement? Get(string name, JsonValueKind kind, string expected, bool allowNull = false)
        {
            if (!Has(name, out var e))
            {
                return null;
            }

            if (e.ValueKind == kind || (allowNull && e.ValueKind == JsonValueKind.Null))
            {
                return e;
            }

            Wrong(name, expected);
            return null;
        }

        private bool Has(string name, out JsonElement element)
        {
            element = default;
            if (properties is null)
            {
                return false;
            }

            used.Add(name);
            if (properties.TryGetValue(name, out element))
            {
                return true;
            }

            reader.Problems.Add(reader.At(Reader.Join(path, name), Messages.ManifestMissingKey));
            return false;
        }

        private int WrongIfPresent(string name, string expected)
        {
            if (properties is not null && properties.TryGetValue(name, out var e) && e.ValueKind == JsonValueKind.Number)
            {
                Wrong(name, expected);
            }

            return 0;
        }

        private void Wrong(string name, string expected) =>
            reader.Problems.Add(reader.At(Reader.Join(path, name), Messages.ManifestWrongType(expected)));

        private string Item(string name, int index) =>
            string.Create(CultureInfo.InvariantCulture, $"{Reader.Join(path, name)}[{index}]");
    }
}
