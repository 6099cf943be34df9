using System.Text.Json.Serialization;

namespace DPSynth.Synthesizers;

/// <summary>
/// Source-generated JSON metadata of saved model files (<see cref="ModelFileContract"/>).
/// </summary>
/// <remarks>camelCase, nulls written, strict reading; one context per layer (docs/architecture.md, JSON).</remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ModelFileContract))]
internal sealed partial class ModelJsonContext : JsonSerializerContext
{
}
