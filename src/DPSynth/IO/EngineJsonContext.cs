using System.Text.Json;
using System.Text.Json.Serialization;
using DPSynth.Budget;
using DPSynth.Evaluation;
using DPSynth.Synthesizers;

namespace DPSynth.IO;

/// <summary>
/// Source-generated JSON metadata of the engine's camelCase files: the ledger's lines and anchor (<see cref="LedgerLine"/>,
/// <see cref="LedgerAnchorFile"/>), model files (<see cref="ModelFileContract"/>), <c>evaluation.json</c>
/// (<see cref="EvaluationJsonContract"/>), and the <c>budget report</c> / <c>budget verify</c> JSON. Nulls are written;
/// reading is strict: every required key present, nothing unknown, no key twice, no null where the contract has none.
/// </summary>
/// <remarks>
/// Three contexts serve the engine, one per wire convention: this one (camelCase, compact unless <see cref="Indented"/>),
/// <see cref="Release.ReleaseJsonContext"/> (snake_case, indented with <c>\n</c>: the signed manifest and
/// <c>verify --json</c>) and <see cref="Audits.AuditJsonContext"/> (snake_case, indented with the platform's line end, as
/// <c>audit --json</c> always was). Derived metadata is built on first use: a static initializer here would run before the
/// generated part's own, and building it twice in a race is harmless.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(LedgerLine))]
[JsonSerializable(typeof(LedgerAnchorFile))]
[JsonSerializable(typeof(LedgerReportJson))]
[JsonSerializable(typeof(LedgerVerificationJson))]
[JsonSerializable(typeof(ModelFileContract))]
[JsonSerializable(typeof(EvaluationJsonContract))]
internal sealed partial class EngineJsonContext : JsonSerializerContext
{
    /// <summary>The same metadata, written indented (reports people read).</summary>
    public static EngineJsonContext Indented => field ??= new(new JsonSerializerOptions(Default.Options) { WriteIndented = true });
}
