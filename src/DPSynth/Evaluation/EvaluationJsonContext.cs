using System.Text.Json.Serialization;

namespace DPSynth.Evaluation;

/// <summary>
/// Source-generated JSON metadata of <c>evaluation.json</c> (<see cref="EvaluationJsonContract"/>).
/// </summary>
/// <remarks>
/// Every camelCase file of the engine is written and read with the same conventions: nulls written; reading strict
/// (every required key present, nothing unknown, no key twice, no null where the contract has none). Each layer has its
/// own context so that no lower layer names a higher one's types (docs/architecture.md); the manifest and
/// <c>verify --json</c> use <see cref="Release.ReleaseJsonContext"/> (snake_case), and <c>audit --json</c>
/// <see cref="Audits.AuditJsonContext"/>.
/// </remarks>
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
