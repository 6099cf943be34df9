using System.Collections.Immutable;

namespace DPSynth.Evaluation;

/// <summary>How faithfully the synthetic rows represent one group (one value of a group column).</summary>
/// <param name="Column">The group column.</param>
/// <param name="Group">The group's label (its cell name).</param>
/// <param name="RealShare">The group's share of the real rows.</param>
/// <param name="SyntheticShare">The group's share of the synthetic rows.</param>
/// <param name="MeanConditionalTvd">
/// Mean, over the other columns, of the TVD between the column's distribution within the group in the real and in the
/// synthetic rows (NaN when the group is absent from either).
/// </param>
/// <param name="ConditionalTvd">That TVD for each other column.</param>
/// <param name="TestRows">Real test rows in the group (0 when no utility was computed).</param>
/// <param name="TstrAccuracy">Accuracy (class target) or R² (numeric target) of the TSTR model on the group's test rows.</param>
/// <param name="TrtrAccuracy">The same for the TRTR model.</param>
public sealed record GroupFidelity(
    string Column,
    string Group,
    double RealShare,
    double SyntheticShare,
    double MeanConditionalTvd,
    ImmutableDictionary<string, double> ConditionalTvd,
    int TestRows,
    double TstrAccuracy,
    double TrtrAccuracy)
{
    /// <summary>The group's synthetic share is below half of its real share: it is under-represented.</summary>
    public bool UnderRepresented => SyntheticShare < RealShare / 2;

    /// <summary>The TSTR model is more than 5 points less accurate than TRTR on this group's real rows.</summary>
    public bool UtilityGap => TestRows > 0 && TstrAccuracy < TrtrAccuracy - 0.05;

    /// <summary><see cref="ConditionalTvd"/> by column name (ordinal), the order every report lists them in.</summary>
    public IEnumerable<KeyValuePair<string, double>> ConditionalTvdByName =>
        ConditionalTvd.OrderBy(kv => kv.Key, StringComparer.Ordinal);

    /// <summary>Either flag is raised.</summary>
    public bool Flagged => UnderRepresented || UtilityGap;
}
