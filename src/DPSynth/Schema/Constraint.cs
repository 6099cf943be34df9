using System.Collections.Immutable;

namespace DPSynth.Schema;

/// <summary>
/// A structural zero declared in a schema's <c>constraints</c> (e.g. <c>MSP is missing when AGEP &lt; 15</c>): a
/// combination of cells no row can have, compiled to a 0/1 mask over the cells of the columns it names. It is public
/// knowledge, like the rest of the schema, so enforcing it in the model and the sampler is post-processing: it costs no
/// privacy budget and reads no data (docs/privacy.md).
/// </summary>
/// <remarks>
/// A combination is forbidden when every condition after <c>when</c> holds for every value of its cells
/// (<see cref="CellTruth.Always"/>) and the consequence holds for no value of its cell (<see cref="CellTruth.Never"/>).
/// So a bin that straddles a threshold is never constrained: the mask forbids only what is certainly impossible.
/// </remarks>
public sealed class Constraint
{
    private Constraint(string text, ImmutableArray<int> columns, ImmutableArray<bool> allowed, int forbidden, int conditionCells)
    {
        Text = text;
        Columns = columns;
        Allowed = allowed;
        ForbiddenCount = forbidden;
        ConditionCellCount = conditionCells;
    }

    /// <summary>The constraint as written in the schema.</summary>
    public string Text { get; }

    /// <summary>The indices of the columns it names, ascending (the clique of its mask).</summary>
    public ImmutableArray<int> Columns { get; }

    /// <summary>
    /// For every combination of cells of <see cref="Columns"/> (row-major, the last column fastest), whether a row may
    /// have it.
    /// </summary>
    public ImmutableArray<bool> Allowed { get; }

    /// <summary>How many combinations the constraint forbids.</summary>
    public int ForbiddenCount { get; }

    /// <summary>How many combinations the condition after <c>when</c> certainly holds for.</summary>
    public int ConditionCellCount { get; }

    /// <summary>
    /// Compiles the mask: <paramref name="then"/> (a column and the truth of the consequence on each of its cells) must
    /// hold where every condition of <paramref name="when"/> holds. <paramref name="sizes"/> are the cell counts of all
    /// columns.
    /// </summary>
    internal static Constraint Compile(
        string text, (int Column, CellTruth[] Truths) then, IReadOnlyList<(int Column, CellTruth[] Truths)> when,
        IReadOnlyList<int> sizes)
    {
        var columns = when.Select(w => w.Column).Append(then.Column).Distinct().Order().ToImmutableArray();
        var cells = 1;
        foreach (var c in columns)
        {
            cells = checked(cells * sizes[c]);
        }

        var allowed = new bool[cells];
        var digits = new int[columns.Length];
        var position = new Dictionary<int, int>();
        for (var p = 0; p < columns.Length; p++)
        {
            position[columns[p]] = p;
        }

        int forbidden = 0, conditionCells = 0;
        for (var cell = 0; cell < cells; cell++)
        {
            var holds = true;
            foreach (var (column, truths) in when)
            {
                holds &= truths[digits[position[column]]] == CellTruth.Always;
            }

            var violated = holds && then.Truths[digits[position[then.Column]]] == CellTruth.Never;
            allowed[cell] = !violated;
            conditionCells += holds ? 1 : 0;
            forbidden += violated ? 1 : 0;

            // Next cell, row-major: the last column counts fastest.
            for (var p = columns.Length - 1; p >= 0 && ++digits[p] == sizes[columns[p]]; p--)
            {
                digits[p] = 0;
            }
        }

        return new Constraint(text, columns, [.. allowed], forbidden, conditionCells);
    }
}
