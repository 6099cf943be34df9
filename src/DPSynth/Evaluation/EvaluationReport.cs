using System.Collections.Immutable;

namespace DPSynth.Evaluation;

/// <summary>Everything <c>dpsynth evaluate</c> computed: marginal TVDs, association similarity, utility and groups.</summary>
/// <param name="Marginals">Mean 1/2/3-way TVD and the synthetic row count.</param>
/// <param name="Association">Association similarity of every column pair.</param>
/// <param name="Target">The target column of the utility part, or null when none was asked for.</param>
/// <param name="Utility">TSTR vs TRTR per model family (gradient-boosted trees first), empty without a target.</param>
/// <param name="Groups">Subgroup fidelity per group column.</param>
/// <param name="OneWay">Real and synthetic 1-way shares per column (for charts): column name, cell labels, shares.</param>
/// <remarks>Computed from the real rows without DP: internal only, unless a policy opts in to publishing it.</remarks>
public sealed record EvaluationReport(
    UtilityReport Marginals,
    AssociationReport Association,
    string? Target,
    ImmutableArray<UtilityComparison> Utility,
    ImmutableDictionary<string, ImmutableArray<GroupFidelity>> Groups,
    ImmutableArray<(string Column, ImmutableArray<string> Labels, ImmutableArray<double> Real, ImmutableArray<double> Synthetic)> OneWay);
