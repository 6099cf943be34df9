using System.Collections.Immutable;

namespace DPSynth.Audits;

/// <summary>The release gate's decision: pass, or fail with one reason per threshold crossed.</summary>
/// <param name="Passed">True when no threshold was crossed.</param>
/// <param name="Reasons">One user-facing sentence per crossed threshold (empty when passed).</param>
/// <remarks>
/// The decision bit depends on train and holdout without DP, so it is itself a non-private disclosure: every attempt
/// must be a full run charged to the ledger, and the bundle records the number of attempts (docs/audits.md).
/// </remarks>
public sealed record GateDecision(bool Passed, ImmutableArray<string> Reasons);
