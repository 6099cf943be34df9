using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Evaluation;

/// <summary>
/// Turns encoded rows into model features: an ordered column gives one feature (its bin index), a categorical column
/// one indicator per cell (one-hot), and the target column none.
/// </summary>
internal sealed class FeatureLayout
{
    private readonly int[] offsets;

    public FeatureLayout(Domain domain, IReadOnlyList<bool> ordered, int target)
    {
        Domain = domain;
        Ordered = ordered;
        Target = target;
        offsets = new int[domain.Count];
        var width = 0;
        for (var c = 0; c < domain.Count; c++)
        {
            offsets[c] = width;
            width += c == target ? 0 : ordered[c] ? 1 : domain.Size(c);
        }

        Width = width;
    }

    public Domain Domain { get; }

    public IReadOnlyList<bool> Ordered { get; }

    public int Target { get; }

    /// <summary>Number of features.</summary>
    public int Width { get; }

    /// <summary>The features of every row; <paramref name="replacement"/> may replace the codes of <paramref name="replacedColumn"/> (permutation importance).</summary>
    public float[][] Encode(EncodedTable table, int replacedColumn = -1, int[]? replacement = null)
    {
        var rows = new float[table.RowCount][];
        for (var r = 0; r < rows.Length; r++)
        {
            var x = new float[Width];
            for (var c = 0; c < Domain.Count; c++)
            {
                if (c == Target)
                {
                    continue;
                }

                var code = c == replacedColumn ? replacement![r] : table.Columns[c][r];
                if (Ordered[c])
                {
                    x[offsets[c]] = code;
                }
                else
                {
                    x[offsets[c] + code] = 1f;
                }
            }

            rows[r] = x;
        }

        return rows;
    }
}
