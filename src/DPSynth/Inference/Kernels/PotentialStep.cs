namespace DPSynth.Inference.Kernels;

/// <summary>
/// A clique's new potentials, written piece by piece by the kernel that first reads them: the estimators' step fused
/// into belief propagation's first pass over the clique, so the potentials are computed while the piece is in L1 and
/// not read back from memory (the separate step pass took 0.9 ms of the 3-way chain's 7.4 ms iteration).
/// </summary>
/// <remarks>
/// Every cell is computed by the same operations whether it is written in one pass or piece by piece (each is its own
/// IEEE product and sum, no fused multiply-add), so fusing changes no bit. The pieces are disjoint, so two cores can
/// write theirs at once.
/// </remarks>
internal abstract class PotentialStep
{
    /// <summary>The potentials the step writes: the array the reading kernel is given as its source.</summary>
    public abstract double[] Target { get; }

    /// <summary>Writes cells <c>[start, start + length)</c> of <see cref="Target"/>.</summary>
    public abstract void Write(int start, int length);

    /// <summary>Writes the whole of <see cref="Target"/>, on two cores when large: for a kernel that cannot take it piece by piece.</summary>
    public abstract void WriteAll();
}

/// <summary>
/// Mirror descent's step on a clique whose gradient is one fused measurement's:
/// <c>target = u - s g</c> with <c>g = mu w2 + c</c> (<see cref="FactorKernels.GradientStep"/>).
/// </summary>
internal sealed class GradientStepPotentials(double w2, double[] c) : PotentialStep
{
    private double[] mu = [];
    private double[] u = [];
    private double[] target = [];
    private double s;

    /// <inheritdoc />
    public override double[] Target => target;

    /// <summary>Sets the trial: the current marginal, the origin, the step size and the potentials to write.</summary>
    public GradientStepPotentials For(double[] currentMu, double[] origin, double step, double[] into)
    {
        (mu, u, s, target) = (currentMu, origin, step, into);
        return this;
    }

    /// <inheritdoc />
    public override void Write(int start, int length) => FactorKernels.GradientStepRange(mu, w2, c, u, s, target, start, start + length);

    /// <inheritdoc />
    public override void WriteAll() => FactorKernels.GradientStep(mu, w2, c, u, s, target);
}

/// <summary>
/// The accelerated step on a clique whose gradient is one fused measurement's: <c>target = u - s g(y)</c> at
/// <c>y = x + t (z - x)</c> (<see cref="FactorKernels.MixGradientStep"/>).
/// </summary>
internal sealed class MixGradientStepPotentials(double w2, double[] c) : PotentialStep
{
    private double[] x = [];
    private double[] z = [];
    private double[] u = [];
    private double[] target = [];
    private double t, s;

    /// <inheritdoc />
    public override double[] Target => target;

    /// <summary>Sets the trial: the two sequences, their mix, the origin, the step size and the potentials to write.</summary>
    public MixGradientStepPotentials For(double[] xs, double[] zs, double mix, double[] origin, double step, double[] into)
    {
        (x, z, t, u, s, target) = (xs, zs, mix, origin, step, into);
        return this;
    }

    /// <inheritdoc />
    public override void Write(int start, int length) => FactorKernels.MixGradientStepRange(x, z, t, w2, c, u, s, target, start, start + length);

    /// <inheritdoc />
    public override void WriteAll() => FactorKernels.MixGradientStep(x, z, t, w2, c, u, s, target);
}
