using DPSynth.Data;

namespace DPSynth.Audits;

/// <summary>
/// Membership-inference attacks on synthetic data: given a candidate real row, guess whether it was in train.
/// Members are a random sample of train rows, non-members the holdout rows.
/// </summary>
public static class MembershipInference
{
    /// <summary>The name of the distance attack.</summary>
    public const string DistanceAttackName = "distance";

    /// <summary>The name of the density-ratio attack.</summary>
    public const string DensityAttackName = "density-ratio";

    /// <summary>
    /// The distance attack: a candidate's score is minus its distance to the nearest synthetic row (a synthesizer that
    /// memorises puts synthetic rows next to its train rows).
    /// </summary>
    public static AttackResult DistanceAttack(NearestNeighbourIndex synthetic, EncodedTable members, EncodedTable nonMembers)
    {
        ArgumentNullException.ThrowIfNull(synthetic);
        var m = Negate(synthetic.Nearest(members));
        var h = Negate(synthetic.Nearest(nonMembers));
        return AttackResult.FromScores(DistanceAttackName, m, h);
    }

    /// <summary>
    /// The density-ratio attack in the style of DOMIAS (van Breugel et al. 2023): a candidate's score is
    /// <c>log p_synthetic(x) - log p_reference(x)</c>, where both densities are mixtures of the empirical row
    /// distribution and a smoothed product of 1-way marginals, the reference fitted on the holdout (leave-one-out for
    /// holdout candidates, so no candidate is scored against a density that contains it).
    /// </summary>
    /// <remarks>
    /// Dividing by the reference density removes what is merely typical of the population: a row is suspicious when
    /// the synthetic data are denser around it than the real distribution explains.
    /// </remarks>
    public static AttackResult DensityRatioAttack(
        EncodedTable synthetic, EncodedTable holdout, EncodedTable members, GowerDistance distance)
    {
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(distance);
        var synth = new CodeDensity(synthetic, distance);
        var reference = new CodeDensity(holdout, distance);
        var memberScores = Subtract(synth.LogDensity(members, false), reference.LogDensity(members, false));
        var holdoutScores = Subtract(synth.LogDensity(holdout, false), reference.LogDensity(holdout, true));
        return AttackResult.FromScores(DensityAttackName, memberScores, holdoutScores);
    }

    private static double[] Negate(double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = -values[i];
        }

        return values;
    }

    private static double[] Subtract(double[] a, double[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            a[i] -= b[i];
        }

        return a;
    }
}
