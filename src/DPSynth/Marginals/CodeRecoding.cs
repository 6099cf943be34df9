using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Marginals;

/// <summary>
/// A fixed map of every attribute's codes onto a smaller domain with the same attributes (MST's rare-value merge).
/// A row-wise map, so counting after recoding has the same sensitivity as before; a marginal on the target domain is
/// the sum of the original cells that map to each target cell.
/// </summary>
public sealed class CodeRecoding
{
    private readonly int[][] forward;

    /// <summary>
    /// Creates the map: <paramref name="forward"/>[a][v] is the target code of original code <c>v</c> of attribute
    /// <c>a</c>, below <paramref name="target"/>'s size of <c>a</c>.
    /// </summary>
    public CodeRecoding(Domain original, Domain target, IReadOnlyList<int[]> forward)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(forward);
        if (!original.Names.SequenceEqual(target.Names) || forward.Count != original.Count)
        {
            throw new ArgumentException("A recoding keeps the attributes: same names, one map per attribute.", nameof(target));
        }

        this.forward = new int[original.Count][];
        for (var a = 0; a < original.Count; a++)
        {
            if (forward[a].Length != original.Size(a) || forward[a].Any(c => c < 0 || c >= target.Size(a)))
            {
                throw new ArgumentException($"The map of attribute {a} does not send its codes into the target.", nameof(forward));
            }

            this.forward[a] = [.. forward[a]];
        }

        Original = original;
        Target = target;
    }

    /// <summary>The domain the codes come from.</summary>
    public Domain Original { get; }

    /// <summary>The domain they are mapped onto.</summary>
    public Domain Target { get; }

    /// <summary>The target code of original code <paramref name="code"/> of <paramref name="attribute"/>.</summary>
    public int Map(int attribute, int code) => forward[attribute][code];

    /// <summary>The table with every code mapped.</summary>
    public EncodedTable Apply(EncodedTable data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Domain.Equals(Original))
        {
            throw new ArgumentException("The table's domain is not the recoding's original domain.", nameof(data));
        }

        var columns = new EncodedColumn[Original.Count];
        var codes = new int[data.RowCount];
        for (var a = 0; a < columns.Length; a++)
        {
            var map = forward[a];
            var column = data.Columns[a];
            for (var r = 0; r < codes.Length; r++)
            {
                codes[r] = map[column[r]];
            }

            columns[a] = EncodedColumn.FromCodes(Target.Size(a), codes);
        }

        return new EncodedTable(Target, columns);
    }
}
