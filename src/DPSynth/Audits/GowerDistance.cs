using System.Numerics;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Audits;

/// <summary>
/// The mixed-type (Gower-style) distance between encoded rows, in [0, 1]: the mean over columns of a per-column distance.
/// An ordered (numeric or date) column contributes <c>|a - b| / (bins - 1)</c>, the bin index distance scaled by the
/// declared range; a categorical column contributes 0 for equal codes and 1 otherwise; a special cell of an ordered
/// column (missing, other) counts as a categorical mismatch against any other code.
/// </summary>
/// <remarks>
/// Distances are computed in integer units so that ties are exact and sums are cheap: a column's distance is
/// <c>units / <see cref="UnitsPerColumn"/></c>, and the row distance is <c>total units / (UnitsPerColumn * columns)</c>.
/// <see cref="UnitsPerColumn"/> is the least common multiple of the ordered columns' <c>bins - 1</c>, so every value is
/// exact, unless that multiple is too large to add up in 32 bits; then it is the largest unit count that
/// fits and ordered distances are rounded to the nearest unit (<see cref="IsExact"/> is false; the error is below
/// <c>1 / UnitsPerColumn</c> per column).
/// </remarks>
public sealed class GowerDistance
{
    private readonly int[] offsets;
    private readonly int[] step;

    /// <summary>Creates the distance for <paramref name="spec"/>.</summary>
    public GowerDistance(DistanceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        var columns = spec.Columns.Length;
        offsets = new int[columns + 1];
        step = new int[columns];
        long lcm = 1;
        var exact = true;

        // Keep the row total (UnitsPerColumn * columns) within 2^30 so that sums never overflow an int.
        var maxUnits = Math.Max(1L, (1L << 30) / Math.Max(1, columns));
        for (var c = 0; c < columns; c++)
        {
            offsets[c + 1] = checked(offsets[c] + spec.Columns[c].Cells);
            var bins = spec.Columns[c].IsOrdered ? spec.Columns[c].OrderedCells : 0;
            if (bins >= 2 && exact)
            {
                var next = (long)BigInteger.Min(
                    new BigInteger(maxUnits) + 1,
                    lcm / (long)BigInteger.GreatestCommonDivisor(lcm, bins - 1) * new BigInteger(bins - 1));
                if (next > maxUnits)
                {
                    exact = false;
                }
                else
                {
                    lcm = next;
                }
            }
        }

        UnitsPerColumn = exact ? (int)lcm : (int)maxUnits;
        IsExact = exact;
        for (var c = 0; c < columns; c++)
        {
            var bins = spec.Columns[c].IsOrdered ? spec.Columns[c].OrderedCells : 0;
            step[c] = bins >= 2 && exact ? UnitsPerColumn / (bins - 1) : 0;
        }
    }

    /// <summary>The per-column metrics.</summary>
    public DistanceSpec Spec { get; }

    /// <summary>The number of columns.</summary>
    public int ColumnCount => Spec.Columns.Length;

    /// <summary>The integer units of a full per-column distance of 1.</summary>
    public int UnitsPerColumn { get; }

    /// <summary>The integer units of the largest row distance (1).</summary>
    public int UnitsPerRow => checked(UnitsPerColumn * Math.Max(1, ColumnCount));

    /// <summary>True when every per-column distance is represented exactly in units.</summary>
    public bool IsExact { get; }

    /// <summary>The total number of cells over all columns (length of a per-query lookup table).</summary>
    internal int TotalCells => offsets[^1];

    /// <summary>Where column <paramref name="column"/>'s codes start in a per-query lookup table.</summary>
    internal int Offset(int column) => offsets[column];

    /// <summary>The distance between row <paramref name="rowA"/> of <paramref name="a"/> and row <paramref name="rowB"/> of <paramref name="b"/>.</summary>
    public double Distance(EncodedTable a, int rowA, EncodedTable b, int rowB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        CheckDomain(a.Domain);
        CheckDomain(b.Domain);
        long units = 0;
        for (var c = 0; c < ColumnCount; c++)
        {
            units += ColumnUnits(c, a[rowA, c], b[rowB, c]);
        }

        return ToDistance(units);
    }

    /// <summary>Converts a sum of units to a distance in [0, 1].</summary>
    public double ToDistance(long units) => ColumnCount == 0 ? 0 : (double)units / UnitsPerRow;

    /// <summary>The distance units between codes <paramref name="a"/> and <paramref name="b"/> of column <paramref name="column"/>.</summary>
    internal int ColumnUnits(int column, int a, int b)
    {
        if (a == b)
        {
            return 0;
        }

        var metric = Spec.Columns[column];
        if (!metric.IsOrdered || a >= metric.OrderedCells || b >= metric.OrderedCells)
        {
            return UnitsPerColumn;
        }

        var gap = Math.Abs(a - b);
        return IsExact
            ? gap * step[column]
            : (int)Math.Round((double)gap * UnitsPerColumn / (metric.OrderedCells - 1), MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Fills <paramref name="lookup"/> (length <see cref="TotalCells"/>) so that <c>lookup[Offset(c) + code]</c> is the
    /// distance units between <paramref name="query"/>'s code in column <c>c</c> and <c>code</c>.
    /// </summary>
    internal void FillLookup(ReadOnlySpan<int> query, Span<int> lookup)
    {
        for (var c = 0; c < ColumnCount; c++)
        {
            var q = query[c];
            var metric = Spec.Columns[c];
            var row = lookup.Slice(offsets[c], metric.Cells);
            if (!metric.IsOrdered || q >= metric.OrderedCells)
            {
                row.Fill(UnitsPerColumn);
                row[q] = 0;
                continue;
            }

            for (var code = 0; code < metric.Cells; code++)
            {
                row[code] = ColumnUnits(c, q, code);
            }
        }
    }

    /// <summary>Throws when <paramref name="domain"/> is not the spec's domain.</summary>
    internal void CheckDomain(Domain domain)
    {
        if (!Spec.Domain.Equals(domain))
        {
            throw new ArgumentException("The table's domain is not the distance's domain.", nameof(domain));
        }
    }
}
