using System.Text.Json;
using System.Text.Json.Serialization;

namespace DPSynth.Budget;

/// <summary>
/// Source-generated JSON metadata of the ledger's files and reports: its lines (<see cref="LedgerLine"/>), its anchor
/// (<see cref="LedgerAnchorFile"/>), and the <c>budget report</c> / <c>budget verify</c> JSON.
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
[JsonSerializable(typeof(LedgerLine))]
[JsonSerializable(typeof(LedgerAnchorFile))]
[JsonSerializable(typeof(LedgerReportJson))]
[JsonSerializable(typeof(LedgerVerificationJson))]
internal sealed partial class BudgetJsonContext : JsonSerializerContext
{
    /// <summary>The same metadata, written indented (reports people read). Built on first use: a static initializer
    /// here would run before the generated part's own, and building it twice in a race is harmless.</summary>
    public static BudgetJsonContext Indented => field ??= new(new JsonSerializerOptions(Default.Options) { WriteIndented = true });
}
