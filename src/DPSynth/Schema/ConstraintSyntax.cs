using System.Collections.Immutable;

namespace DPSynth.Schema;

/// <summary>A parsed constraint: <see cref="Then"/> must hold whenever every condition of <see cref="When"/> holds.</summary>
/// <param name="Then">The consequence (before <c>when</c>).</param>
/// <param name="When">The conditions (after <c>when</c>, joined by <c>and</c>).</param>
internal sealed record ConstraintSyntax(ConditionSyntax Then, ImmutableArray<ConditionSyntax> When);
