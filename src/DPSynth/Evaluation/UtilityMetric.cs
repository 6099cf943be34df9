using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Evaluation;

/// <summary>
/// The utility headline an operator asks for (<c>evaluate --metric</c>): <c>auto</c>, or <c>auc</c> / <c>accuracy</c> for
/// a class target and <c>r2</c> / <c>mae</c> for a numeric one. Checked before any data is read.
/// </summary>
public static class UtilityMetric
{
    /// <summary>Refuses an unknown metric, and a metric that does not fit <paramref name="target"/>'s kind.</summary>
    /// <param name="schema">The schema the target is a column of.</param>
    /// <param name="target">The target column, or null (any known metric is then accepted: it is unused).</param>
    /// <param name="metric">The metric's name (any case).</param>
    /// <exception cref="InputException">An unknown metric or target, or a metric of the other kind of target.</exception>
    public static void Check(TableSchema schema, string? target, string metric)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(metric);
        var name = metric.ToLowerInvariant();
        if (name is not ("auto" or "auc" or "accuracy" or "r2" or "mae"))
        {
            throw new InputException(Messages.UnknownMetric(metric));
        }

        if (target is null || name == "auto")
        {
            return;
        }

        var index = schema.Domain.IndexOf(target);
        if (index < 0)
        {
            throw new InputException(Messages.UnknownColumn("--target", target));
        }

        var classification = DownstreamUtility.IsClassificationTarget(schema.Domain, Evaluator.OrderedColumns(schema), index);
        if (classification != name is "auc" or "accuracy")
        {
            throw new InputException(Messages.MetricDoesNotFitTarget(metric, target, classification));
        }
    }
}
