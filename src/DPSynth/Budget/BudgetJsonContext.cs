using System.Text.Json;
using System.Text.Json.Serialization;

namespace DPSynth.Budget;

/// <summary>
/// Source-generated JSON metadata of the ledger's files and reports: its lines (<see cref="LedgerLine"/>), its anchor
/// (<see cref="LedgerAnchorFile"/>), and the <c>budget report</c> / <c>budget verify</c> JSON.
/// </summary>
/// <remarks>camelCase, nulls written, strict reading; one context per layer (docs/architecture.md, JSON).</remarks>
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
