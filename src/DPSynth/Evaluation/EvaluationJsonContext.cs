using System.Text.Json.Serialization;

namespace DPSynth.Evaluation;

/// <summary>
/// Source-generated JSON metadata of <c>evaluation.json</c> (<see cref="EvaluationJsonContract"/>).
/// </summary>
/// <remarks>camelCase, nulls written, strict reading; one context per layer (docs/architecture.md, JSON).</remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(EvaluationJsonContract))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext
{
}
