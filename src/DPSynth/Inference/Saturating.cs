using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// Sums and products of non-negative cell and byte counts that stop at <see cref="long.MaxValue"/> instead of wrapping:
/// a count built from a schema or a file (a domain of many large attributes, a hand-edited model) may exceed any machine,
/// and it must then compare as too large, never as a small or negative number.
/// </summary>
internal static class Saturating
{
    /// <summary><c>a + b</c>, or <see cref="long.MaxValue"/> when it would overflow (both non-negative).</summary>
    public static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary><c>a * b</c>, or <see cref="long.MaxValue"/> when it would overflow (both non-negative).</summary>
    public static long Multiply(long a, long b) => a == 0 || b <= long.MaxValue / a ? a * b : long.MaxValue;

    /// <summary>The cells of <paramref name="clique"/>'s marginal in <paramref name="domain"/>, or <see cref="long.MaxValue"/> past it.</summary>
    public static long Cells(Domain domain, Clique clique)
    {
        long cells = 1;
        foreach (var a in clique.Attributes)
        {
            cells = Multiply(cells, domain.Size(a));
        }

        return cells;
    }
}
