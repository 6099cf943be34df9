namespace DPSynth.Budget;

/// <summary>The wire form of the anchored head (<see cref="LedgerAnchor"/>): one compact line.</summary>
/// <param name="Format">Always <see cref="LedgerAnchor.Format"/>.</param>
/// <param name="Entries">How many entries the ledger had.</param>
/// <param name="Head">The hash of the last of them.</param>
/// <param name="Mac">HMAC-SHA-256 over the three (lower-case hex).</param>
internal sealed record LedgerAnchorFile(string Format, long Entries, string Head, string Mac);
