namespace DPSynth.Schema;

/// <summary>
/// One declared column of a <see cref="TableSchema"/>: its name, its public domain, and how values map to cells.
/// </summary>
/// <remarks>
/// Cells are numbered: first the value cells (<c>0 .. ValueCellCount-1</c>, bins or categories in declared order), then
/// the missing cell when <see cref="Nullable"/>, then the "other" cell when <see cref="HasOtherCell"/>. Both extra cells
/// exist because the schema says so, never because the data happen to contain a missing or unknown value
/// (privacy-details.md section 7 point 5): the domain is public, the data are not.
/// </remarks>
public abstract class ColumnSpec
{
    /// <summary>Sets the parts every column has.</summary>
    private protected ColumnSpec(string name, bool nullable, OutOfDomainAction onOutOfDomain)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Nullable = nullable;
        OnOutOfDomain = onOutOfDomain;
    }

    /// <summary>The column name (the CSV header when there is one).</summary>
    public string Name { get; }

    /// <summary>The declared type.</summary>
    public abstract ColumnKind Kind { get; }

    /// <summary>
    /// True when the column has a missing cell: the column's <c>nullable</c> key, or else the file-wide <c>nullable</c>
    /// (default false). A missing token in a column that is not nullable is a value outside the domain.
    /// </summary>
    public bool Nullable { get; }

    /// <summary>What encoding does with a value outside the domain, after per-column overrides.</summary>
    public OutOfDomainAction OnOutOfDomain { get; }

    /// <summary>The number of value cells (bins or categories), without the missing and other cells.</summary>
    public abstract int ValueCellCount { get; }

    /// <summary>True when the column has an "other" cell (categorical or boolean under <c>other</c>).</summary>
    public bool HasOtherCell => OnOutOfDomain == OutOfDomainAction.Other && Kind is ColumnKind.Categorical or ColumnKind.Boolean;

    /// <summary>All cells: value cells, plus the missing cell, plus the other cell.</summary>
    public int CellCount => ValueCellCount + (Nullable ? 1 : 0) + (HasOtherCell ? 1 : 0);

    /// <summary>The code of the missing cell, or -1 when the column is not nullable.</summary>
    public int MissingCode => Nullable ? ValueCellCount : -1;

    /// <summary>The code of the other cell, or -1 when there is none.</summary>
    public int OtherCode => HasOtherCell ? ValueCellCount + (Nullable ? 1 : 0) : -1;

    /// <summary>Maps a (trimmed, non-missing) field to its value cell.</summary>
    internal abstract FieldStatus EncodeValue(ReadOnlySpan<char> text, out int code);

    /// <summary>A value of value cell <paramref name="code"/>; bins draw uniformly inside with <paramref name="random"/>.</summary>
    internal abstract string DecodeValue(int code, Random random);
}
