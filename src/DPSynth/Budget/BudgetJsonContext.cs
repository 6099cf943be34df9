using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DPSynth.Budget;

/// <summary>
/// Source-generated JSON metadata of the budget ledger's files and reports: ledger lines, the anchored head,
/// <c>budget report --json</c> and <c>budget verify --json</c>. camelCase keys (the ledger's one snake_case key is named
/// on its property), nulls written, and reading is strict: every required key present, nothing unknown, no key twice,
/// no null where the contract has no null.
/// </summary>
/// <remarks>
/// One context per area: each area's files have their own layout (indentation, escaping, key naming). The derived
/// metadata is built on first use (a static initializer here would run before the generated part's own), and building it
/// twice in a race is harmless.
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
    /// <summary>
    /// A ledger line: compact, with <see cref="LedgerLine.OutcomeKeys"/> written on outcome lines only (a rule the
    /// attributes cannot state: those keys are written even when null, but never on other kinds).
    /// </summary>
    public static JsonTypeInfo<LedgerLine> Line => field ??= LineTypeInfo();

    /// <summary>The same metadata, written indented (reports people read).</summary>
    public static BudgetJsonContext Indented => field ??= IndentedContext();

    private static BudgetJsonContext IndentedContext() => new(new JsonSerializerOptions(Default.Options) { WriteIndented = true });

    private static JsonTypeInfo<Budget.LedgerLine> LineTypeInfo()
    {
        var options = new JsonSerializerOptions(Default.Options) { TypeInfoResolver = Default.WithAddedModifier(OutcomeKeysOnOutcomeLinesOnly) };
        return (JsonTypeInfo<Budget.LedgerLine>)options.GetTypeInfo(typeof(Budget.LedgerLine));
    }

    private static void OutcomeKeysOnOutcomeLinesOnly(JsonTypeInfo info)
    {
        if (info.Type != typeof(Budget.LedgerLine))
        {
            return;
        }

        foreach (var property in info.Properties.Where(p => Budget.LedgerLine.OutcomeKeys.Contains(p.Name)))
        {
            property.ShouldSerialize = (line, _) =>
                line is Budget.LedgerLine { Kind: var kind } && kind == LedgerEntry.KindName(LedgerEntryKind.Outcome);
        }
    }
}
