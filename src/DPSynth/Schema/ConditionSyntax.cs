using System.Collections.Immutable;

namespace DPSynth.Schema;

/// <summary>One condition of a constraint as written, before its column is looked up.</summary>
/// <param name="Column">The column name.</param>
/// <param name="ColumnOffset">Where the name starts in the constraint's text (for error locations).</param>
/// <param name="Operator">What is asked of the value.</param>
/// <param name="Values">The values compared with (none for <c>is missing</c>), each with its offset in the text.</param>
internal sealed record ConditionSyntax(
    string Column, int ColumnOffset, ConditionOperator Operator, ImmutableArray<(string Text, int Offset)> Values);
