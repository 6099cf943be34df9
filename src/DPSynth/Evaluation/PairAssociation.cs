namespace DPSynth.Evaluation;

/// <summary>The association of one pair of columns in the real and in the synthetic table.</summary>
/// <param name="First">Name of the first column.</param>
/// <param name="Second">Name of the second column.</param>
/// <param name="Measure">The statistic used.</param>
/// <param name="Real">Its value on the real rows.</param>
/// <param name="Synthetic">Its value on the synthetic rows.</param>
public sealed record PairAssociation(string First, string Second, AssociationMeasure Measure, double Real, double Synthetic)
{
    /// <summary>|Real − Synthetic|.</summary>
    public double Difference => Math.Abs(Real - Synthetic);
}
