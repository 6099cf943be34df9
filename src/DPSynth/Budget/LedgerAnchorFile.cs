using System.Text.Json.Serialization;

namespace DPSynth.Budget;

/// <summary>The wire form of the anchored head (<see cref="LedgerAnchor"/>): one compact line.</summary>
/// <param name="Format"><see cref="LedgerAnchor.Format"/> (or <see cref="LedgerAnchor.LegacyFormat"/>, read only).</param>
/// <param name="Entries">How many entries the ledger had.</param>
/// <param name="Head">The hash of the last of them.</param>
/// <param name="Mac">HMAC-SHA-256 over the others (lower-case hex); written last.</param>
internal sealed record LedgerAnchorFile(string Format, long Entries, string Head, [property: JsonPropertyOrder(1)] string Mac)
{
    /// <summary>
    /// The hash of the entry a writer announced and is appending (null when none is); absent from legacy files, which
    /// is why it is not a constructor parameter (those are required when read).
    /// </summary>
    public string? Next { get; init; }
}
