using DPSynth.Marginals;

namespace DPSynth.Inference;

/// <summary>
/// A damped iterative-proportional-fitting step toward one new noisy measurement: the log-potential
/// <c>log((max(y, 0) + c) / (mu + c))</c> on its clique, with <c>mu</c> the current model's marginal there and the
/// pseudo-count <c>c</c> the measurement's noise standard deviation. For a coarse measurement (<c>Q mu</c>) the ratio is
/// taken per coarse cell and every fine cell of a group gets its group's.
/// </summary>
/// <remarks>
/// Added to a model's potentials, it moves the model's marginal on the clique most of the way to the measurement while
/// keeping every conditional given the clique (exactly IPF with <c>c = 0</c>), so a warm-started fit begins near its
/// optimum instead of at a model that ignores the new measurement. The pseudo-count damps cells whose noisy count is
/// within the noise of zero: they move little instead of to the log of a clipped value. It reads only the noisy
/// measurement and the model (post-processing); the fit that follows decides the result.
/// </remarks>
public static class ProportionalStep
{
    /// <summary>
    /// The step toward <paramref name="measurement"/> from a model whose marginal on its clique is <paramref name="current"/>
    /// (coarse, like the measurement's values, when the measurement is coarse).
    /// </summary>
    public static Factor Toward(NoisyMarginal measurement, ReadOnlySpan<double> current, Schema.Domain domain)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(domain);
        var y = measurement.Values.AsSpan();
        if (current.Length != y.Length)
        {
            throw new ArgumentException("The model's marginal and the measurement differ in size.", nameof(current));
        }

        var ratio = new double[y.Length];
        for (var k = 0; k < ratio.Length; k++)
        {
            var c = measurement.StdOf(k);
            ratio[k] = Math.Log((Math.Max(y[k], 0) + c) / (Math.Max(current[k], 0) + c));
        }

        if (measurement.Coarsening is not { } coarsening)
        {
            return new Factor(domain, measurement.Clique, ratio);
        }

        var groupOf = coarsening.CellMap();
        var shift = new double[groupOf.Length];
        for (var k = 0; k < shift.Length; k++)
        {
            shift[k] = ratio[groupOf[k]];
        }

        return new Factor(domain, measurement.Clique, shift);
    }
}
