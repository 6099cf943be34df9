using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DPSynth.Release;

/// <summary>
/// Source-generated JSON metadata of the release area: <c>manifest.json</c> (<see cref="ManifestJson"/>) and
/// <c>verify --json</c> (<see cref="BundleVerificationJson"/>). snake_case keys in declaration order, indented with
/// <c>\n</c> line ends, nulls written, doubles in shortest round-trip form, times in UTC with seven fraction digits.
/// </summary>
/// <remarks>
/// The manifest is read by <see cref="ManifestJson.Read"/>'s own strict reader, not by this metadata: a signed file's
/// reader reports every problem with its key path (<c>files[2].sha256</c>), where the serializer stops at the first.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NewLine = "\n",
    RespectNullableAnnotations = true,
    Converters = [typeof(CheckOutcomeJsonConverter)])]
[JsonSerializable(typeof(ReleaseManifest))]
[JsonSerializable(typeof(BundleVerificationJson))]
internal sealed partial class ReleaseJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The manifest, escaped for a reviewer: '+', '&lt;', '&amp;', apostrophes and non-ASCII letters stay as they are. Safe
    /// because the manifest is a file of its own, never pasted into HTML or a script; control characters, '"' and '\' are
    /// still escaped, as JSON requires. (Built on first use: a static initializer would run before the generated part's own.)
    /// </summary>
    public static JsonTypeInfo<ReleaseManifest> Manifest => field ??= ManifestTypeInfo();

    private static JsonTypeInfo<ReleaseManifest> ManifestTypeInfo() =>
        new ReleaseJsonContext(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReleaseManifest;

    /// <summary><see cref="CheckOutcome"/> as <c>passed</c>, <c>failed</c>, <c>not_checked</c>.</summary>
    internal sealed class CheckOutcomeJsonConverter() : JsonStringEnumConverter<CheckOutcome>(JsonNamingPolicy.SnakeCaseLower);
}
