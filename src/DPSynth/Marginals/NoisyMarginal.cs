using System.Collections.Immutable;

namespace DPSynth.Marginals;

/// <summary>
/// A noisy measurement of one marginal: the clique, the noisy counts <c>y</c> (row-major over the clique's cells) and
/// the Gaussian noise standard deviation, either one <see cref="Sigma"/> for every cell or a per-cell std. This is
/// the only thing inference sees of the data.
/// </summary>
/// <remarks>
/// The per-cell form is a diagonal measurement matrix: MST's compressed 1-way marginal keeps kept cells at std
/// <c>sigma_1</c> and its merged cell, the raw sum of <c>k</c> dropped noisy cells, at <c>sigma_1 * sqrt(k)</c>.
/// <para>With a <see cref="Marginals.Coarsening"/> the measurement is of the coarse marginal <c>Q mu_r</c>: <c>y</c> has
/// one value per coarse cell (AIM's coarse candidates).</para>
/// </remarks>
public sealed class NoisyMarginal
{
    /// <summary>
    /// Creates a measurement; with <paramref name="cellStd"/> non-empty it gives each cell's std, and with
    /// <paramref name="coarsening"/> the values are the coarse marginal's cells.
    /// </summary>
    /// <exception cref="ArgumentException">Non-finite values, a std not positive and finite, or a length mismatch.</exception>
    public NoisyMarginal(
        Clique clique, ReadOnlySpan<double> values, double sigma, ReadOnlySpan<double> cellStd = default, Coarsening? coarsening = null)
    {
        ArgumentNullException.ThrowIfNull(clique);
        if (coarsening is not null && (coarsening.Sizes.Length != clique.Count || coarsening.CellCount != values.Length))
        {
            throw new ArgumentException(
                $"A coarsening of {coarsening.Sizes.Length} attributes and {coarsening.CellCount} cells for {clique} with {values.Length} values.",
                nameof(coarsening));
        }

        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), $"Sigma must be positive and finite, not {sigma}.");
        }

        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("Noisy counts must be finite.", nameof(values));
            }
        }

        if (!cellStd.IsEmpty)
        {
            if (cellStd.Length != values.Length)
            {
                throw new ArgumentException($"{cellStd.Length} cell stds for {values.Length} cells.", nameof(cellStd));
            }

            foreach (var s in cellStd)
            {
                if (!double.IsFinite(s) || s <= 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(cellStd), $"A cell std must be positive and finite, not {s}.");
                }
            }
        }

        Clique = clique;
        Values = [.. values];
        Sigma = sigma;
        CellStd = [.. cellStd];
        Coarsening = coarsening;
    }

    /// <summary>The public coarsening measured, or null for the clique's own cells.</summary>
    public Coarsening? Coarsening { get; }

    /// <summary>The measured attributes.</summary>
    public Clique Clique { get; }

    /// <summary>The noisy counts <c>y</c>, row-major.</summary>
    public ImmutableArray<double> Values { get; }

    /// <summary>The noise std of every cell, unless <see cref="CellStd"/> is given.</summary>
    public double Sigma { get; }

    /// <summary>Per-cell noise stds, or empty when every cell has <see cref="Sigma"/>.</summary>
    public ImmutableArray<double> CellStd { get; }

    /// <summary>The noise std of cell <paramref name="cell"/>.</summary>
    public double StdOf(int cell) => CellStd.IsEmpty ? Sigma : CellStd[cell];

    /// <summary>
    /// This measurement's estimate of the number of rows and its variance: <c>est = sum y</c>, <c>var = sum of the
    /// cell variances</c> (<c>sigma^2 * cells</c> for a uniform std): the solution of <c>Q^T v = 1</c> is all ones.
    /// </summary>
    public (double Estimate, double Variance) TotalEstimate()
    {
        double sum = 0, variance = 0;
        for (var i = 0; i < Values.Length; i++)
        {
            sum += Values[i];
            var s = StdOf(i);
            variance += s * s;
        }

        return (sum, variance);
    }
}
