using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DPSynth.IO;

namespace DPSynth.Budget;

/// <summary>
/// The wire form of one ledger line (docs/ledger.md): its keys in canonical order, the order the hash is computed in.
/// <see cref="LedgerEntry"/> maps to and from it; <see cref="TypeInfo"/> writes and reads it.
/// </summary>
/// <remarks>
/// Which keys a line has depends on its kind, and old lines must keep their bytes: <c>outcome</c>, <c>input</c> and
/// <c>bundle</c> are written on outcome lines only, even when null (<see cref="TypeInfo"/> says so);
/// <c>reason</c> (caps) and <c>nonce</c> (charges) only when present, so lines written before them keep their bytes;
/// <c>hash</c> is left out when the hash itself is computed.
/// </remarks>
internal sealed record LedgerLine
{
    /// <summary>1-based position in the ledger.</summary>
    public required long Seq { get; init; }

    /// <summary><c>charge</c>, <c>cap</c> or <c>outcome</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>When the entry was written (UTC, seven fraction digits).</summary>
    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public required DateTimeOffset Time { get; init; }

    /// <summary>The dataset id.</summary>
    public required string Dataset { get; init; }

    /// <summary>The run id (null on caps).</summary>
    public required string? Run { get; init; }

    /// <summary>SHA-256 of the policy file, when the entry came from a policy.</summary>
    [JsonPropertyName("policy_sha256")]
    public required string? PolicySha256 { get; init; }

    /// <summary>What a charge paid for (null on caps and outcomes).</summary>
    public required string? Mechanism { get; init; }

    /// <summary>Outcome lines: the run's outcome.</summary>
    public string? Outcome { get; init; }

    /// <summary>Outcome lines: the keyed input fingerprint.</summary>
    public string? Input { get; init; }

    /// <summary>Outcome lines: the bundle folder written.</summary>
    public string? Bundle { get; init; }

    /// <summary>Cap lines: why the cap was raised.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>Charge lines: the 32 random bytes that make the hash impossible to invert.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Nonce { get; init; }

    /// <summary>The rho charged, or the cap in rho.</summary>
    public required double Rho { get; init; }

    /// <summary>The epsilon the rho implies at <see cref="Delta"/>, or the cap's epsilon.</summary>
    public required double Epsilon { get; init; }

    /// <summary>The delta.</summary>
    public required double Delta { get; init; }

    /// <summary>The hash of the line before.</summary>
    public required string Prev { get; init; }

    /// <summary>This line's hash; null (and not written) while the hash is computed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public required string? Hash { get; init; }

    /// <summary>
    /// The line's source-generated metadata (<see cref="BudgetJsonContext"/>), with the keys of outcome lines written on
    /// outcome lines only: a rule the attributes cannot state (those keys are written even when null, never on other kinds).
    /// Built on first use, after the context's own static state.
    /// </summary>
    public static JsonTypeInfo<LedgerLine> TypeInfo => field ??= (JsonTypeInfo<LedgerLine>)new JsonSerializerOptions(BudgetJsonContext.Default.Options)
    {
        TypeInfoResolver = BudgetJsonContext.Default.WithAddedModifier(OutcomeKeysOnOutcomeLinesOnly),
    }.GetTypeInfo(typeof(LedgerLine));

    private static readonly HashSet<string> OutcomeKeys = new(StringComparer.Ordinal) { "outcome", "input", "bundle" };

    private static void OutcomeKeysOnOutcomeLinesOnly(JsonTypeInfo info)
    {
        if (info.Type != typeof(LedgerLine))
        {
            return;
        }

        foreach (var property in info.Properties.Where(p => OutcomeKeys.Contains(p.Name)))
        {
            property.ShouldSerialize = (line, _) =>
                line is LedgerLine { Kind: var kind } && kind == LedgerEntry.KindName(LedgerEntryKind.Outcome);
        }
    }
}
