namespace DPSynth.Policies;

/// <summary>The command line's settings of <c>dpsynth run</c>.</summary>
/// <param name="Ledger">The ledger (<c>--ledger</c>), overriding every policy's <c>privacy.ledger</c>, or null.</param>
/// <param name="DryRun">Validate and price every policy without touching the data.</param>
/// <param name="Force">Run even when the same policy was already released on the same input (charges again).</param>
public sealed record RunOptions(string? Ledger = null, bool DryRun = false, bool Force = false);
