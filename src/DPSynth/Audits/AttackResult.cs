namespace DPSynth.Audits;

/// <summary>The outcome of one membership-inference attack on the synthetic data.</summary>
/// <param name="Attack">The attack's name (<c>distance</c> or <c>density-ratio</c>).</param>
/// <param name="Auc">ROC AUC; 0.5 means the attack cannot tell members from non-members.</param>
/// <param name="TprAtFpr1Percent">True-positive rate at a false-positive rate of 1%.</param>
/// <param name="TprAtFpr01Percent">True-positive rate at a false-positive rate of 0.1%.</param>
/// <param name="Members">Number of member candidates (train rows) scored.</param>
/// <param name="NonMembers">Number of non-member candidates (holdout rows) scored.</param>
public sealed record AttackResult(
    string Attack, double Auc, double TprAtFpr1Percent, double TprAtFpr01Percent, int Members, int NonMembers)
{
    /// <summary>Computes the ROC figures of an attack from its member and non-member scores.</summary>
    public static AttackResult FromScores(string attack, ReadOnlySpan<double> members, ReadOnlySpan<double> nonMembers) =>
        new(
            attack,
            RocCurve.Auc(members, nonMembers),
            RocCurve.TprAtFpr(members, nonMembers, 0.01),
            RocCurve.TprAtFpr(members, nonMembers, 0.001),
            members.Length,
            nonMembers.Length);
}
