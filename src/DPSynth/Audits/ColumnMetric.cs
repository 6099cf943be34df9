namespace DPSynth.Audits;

/// <summary>
/// How the mixed-type (Gower-style) distance compares one encoded column: ordered bins (numeric or date) or 0/1
/// categorical mismatch.
/// </summary>
/// <param name="IsOrdered">True for numeric and date columns, whose codes <c>0 .. OrderedCells-1</c> are bins in order.</param>
/// <param name="Cells">The number of codes of the column (its domain size).</param>
/// <param name="OrderedCells">
/// For an ordered column, how many leading codes are ordered bins; codes from <c>OrderedCells</c> up are special cells
/// (missing, other) compared as categories. Equal to <paramref name="Cells"/> for a categorical column.
/// </param>
public sealed record ColumnMetric(bool IsOrdered, int Cells, int OrderedCells)
{
    /// <summary>A categorical column: distance 0 for equal codes, 1 otherwise.</summary>
    public static ColumnMetric Categorical(int cells)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 1);
        return new ColumnMetric(false, cells, cells);
    }

    /// <summary>
    /// An ordered column of <paramref name="cells"/> codes whose last <paramref name="specialCells"/> codes (missing,
    /// other) are not bins: bins are <c>|a - b| / (bins - 1)</c> apart, a special cell is 1 away from anything else.
    /// </summary>
    public static ColumnMetric Ordered(int cells, int specialCells = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(specialCells);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(specialCells, cells);
        return new ColumnMetric(true, cells, cells - specialCells);
    }
}
