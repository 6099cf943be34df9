namespace DPSynth.Policies;

/// <summary>The command line's settings of <c>dpsynth run</c>.</summary>
/// <param name="Ledger">The ledger (<c>--ledger</c>), overriding every policy's <c>privacy.ledger</c>, or null.</param>
/// <param name="DryRun">Validate and price every policy without touching the data.</param>
/// <param name="Force">
/// Run even when the same policy was already released on the same input, or has a charge with no outcome (charges again).
/// </param>
/// <param name="AllowInsecureNoise">Let policies with <c>insecure_deterministic_noise</c> run (tests only; never released).</param>
/// <param name="InitLedger">
/// Create the ledger if it does not exist and nothing shows one existed (<c>--init-ledger</c>); never re-creates a
/// deleted one.
/// </param>
/// <param name="AllowUncapped">Charge a dataset that has no cap in the ledger or the policy (<c>--allow-uncapped</c>).</param>
/// <param name="MaxMemory">
/// <c>--max-memory</c> as given (e.g. <c>8GB</c>), overriding every policy's <c>synthesizer.max_memory</c>, or null.
/// </param>
public sealed record RunOptions(
    string? Ledger = null, bool DryRun = false, bool Force = false, bool AllowInsecureNoise = false, bool InitLedger = false,
    bool AllowUncapped = false, string? MaxMemory = null);
