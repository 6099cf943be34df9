using System.Collections.Immutable;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Evaluation;

/// <summary>
/// Runs every evaluation of <c>dpsynth evaluate</c> over tables encoded under one schema: marginal TVDs, association
/// similarity, downstream utility for a target (both model families), and subgroup fidelity.
/// </summary>
/// <remarks>Reads the real rows without DP: its figures are internal (docs/evaluation.md).</remarks>
public static class Evaluator
{
    /// <summary>True for columns whose codes are ordered bins (integer, continuous, date).</summary>
    public static bool[] OrderedColumns(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return [.. schema.Columns.Select(c => c.Kind is ColumnKind.Integer or ColumnKind.Continuous or ColumnKind.Date)];
    }

    /// <summary>Evaluates <paramref name="synthetic"/> against the real rows.</summary>
    /// <param name="schema">The schema both tables were encoded under.</param>
    /// <param name="real">All real rows: the marginal, association and group comparisons use them.</param>
    /// <param name="realTrain">Real rows the TRTR model trains on (all of <paramref name="real"/>, or part of it).</param>
    /// <param name="realTest">Held-out real rows the utility models are tested on (required with a target).</param>
    /// <param name="synthetic">The synthetic rows.</param>
    /// <param name="target">The utility target column, or null.</param>
    /// <param name="groups">Group columns for subgroup fidelity.</param>
    /// <exception cref="InputException">An unknown column, or a target the models cannot be trained on.</exception>
    public static EvaluationReport Evaluate(
        TableSchema schema, EncodedTable real, EncodedTable realTrain, EncodedTable? realTest, EncodedTable synthetic, string? target,
        IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(realTrain);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(groups);
        var ordered = OrderedColumns(schema);
        var domain = schema.Domain;
        var groupIndexes = groups.Select(g => Column(domain, g, "--groups")).ToArray();
        var targetIndex = target is null ? -1 : Column(domain, target, "--target");

        var marginals = MarginalTvd.Compare(real, synthetic);
        var association = AssociationSimilarity.Compare(real, synthetic, ordered);
        var utility = ImmutableArray<UtilityComparison>.Empty;
        (DownstreamUtility, FittedUtilityModels)? trees = null;
        if (targetIndex >= 0)
        {
            var test = realTest ?? throw new InputException(Messages.NoTestRows);
            var evaluation = new DownstreamUtility(domain, ordered, targetIndex);
            utility = [evaluation.Compare(synthetic, realTrain, test, UtilityModel.GradientBoostedTrees),
                evaluation.Compare(synthetic, realTrain, test, UtilityModel.Linear)];
            trees = (evaluation, evaluation.Fit(synthetic, realTrain, UtilityModel.GradientBoostedTrees));
        }

        var byGroup = ImmutableDictionary.CreateBuilder<string, ImmutableArray<GroupFidelity>>(StringComparer.Ordinal);
        foreach (var g in groupIndexes)
        {
            byGroup[domain.Names[g]] = SubgroupFidelity.Compute(
                real, synthetic, g, CellLabels.Labels(schema, g), trees, trees is null ? null : realTest);
        }

        var oneWay = Enumerable.Range(0, domain.Count).Select(c => (
            domain.Names[c],
            CellLabels.Labels(schema, c).ToImmutableArray(),
            Shares(real, c),
            Shares(synthetic, c))).ToImmutableArray();
        return new EvaluationReport(marginals, association, target, utility, byGroup.ToImmutable(), oneWay);
    }

    private static ImmutableArray<double> Shares(EncodedTable table, int column)
    {
        var shares = new double[table.Domain.Size(column)];
        for (var r = 0; r < table.RowCount; r++)
        {
            shares[table.Columns[column][r]] += 1.0 / table.RowCount;
        }

        return [.. shares];
    }

    private static int Column(Domain domain, string name, string option)
    {
        var index = domain.IndexOf(name);
        return index >= 0 ? index : throw new InputException(Messages.UnknownColumn(option, name));
    }
}
