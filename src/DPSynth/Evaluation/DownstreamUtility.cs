using System.Collections.Immutable;
using System.Runtime.InteropServices;
using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using DPSynth.Schema;

namespace DPSynth.Evaluation;

/// <summary>
/// Downstream utility: a model trained on synthetic rows and one trained on real rows are both tested on the same
/// held-out real rows (TSTR against TRTR), with gradient-boosted trees (LightGBM) and a linear baseline.
/// </summary>
/// <remarks>
/// A categorical target (or any two-cell target) is a classification task (AUC and accuracy), another ordered one a
/// regression on its bin index (R² and MAE in bins). Features are the other columns: ordered ones as their bin index, categorical ones
/// one-hot. Reads the real rows without noise: an internal figure, never part of a public release.
/// </remarks>
public sealed class DownstreamUtility
{
    private readonly FeatureLayout layout;
    private readonly int seed;

    /// <summary>Prepares an evaluation of <paramref name="target"/> over the given domain.</summary>
    /// <param name="domain">The shared domain of every table.</param>
    /// <param name="ordered">Per column: true when its codes are ordered bins.</param>
    /// <param name="target">Index of the target column.</param>
    /// <param name="seed">Seed of the model trainers and of the importance permutations (post-processing only).</param>
    public DownstreamUtility(Domain domain, IReadOnlyList<bool> ordered, int target, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentOutOfRangeException.ThrowIfNotEqual(ordered.Count, domain.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, domain.Count);
        layout = new FeatureLayout(domain, ordered, target);
        this.seed = seed;
    }

    /// <summary>True when the target is a class column (see <see cref="IsClassificationTarget"/>).</summary>
    public bool IsClassification => IsClassificationTarget(layout.Domain, layout.Ordered, layout.Target);

    /// <summary>
    /// A target is a classification task when it is categorical, or when it has exactly two cells (a 0/1 indicator coded
    /// as an integer, as in Private-PGM domain files, is a class label, not a quantity).
    /// </summary>
    public static bool IsClassificationTarget(Domain domain, IReadOnlyList<bool> ordered, int target)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(ordered);
        return !ordered[target] || domain.Size(target) == 2;
    }

    /// <summary>Trains on <paramref name="synthetic"/> and on <paramref name="realTrain"/>, tests both on <paramref name="realTest"/>.</summary>
    /// <exception cref="InputException">A training table has a single target class, or the test rows have none.</exception>
    public UtilityComparison Compare(EncodedTable synthetic, EncodedTable realTrain, EncodedTable realTest, UtilityModel model)
    {
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(realTrain);
        ArgumentNullException.ThrowIfNull(realTest);
        if (realTest.RowCount == 0)
        {
            throw new InputException(Messages.NoTestRows);
        }

        var fitted = Fit(synthetic, realTrain, model);
        var tstrScores = Score(fitted.Tstr, realTest);
        var trtrScores = Score(fitted.Trtr, realTest);
        var tstrImportance = Importance(fitted.Tstr, realTest, tstrScores.Primary);
        var trtrImportance = Importance(fitted.Trtr, realTest, trtrScores.Primary);
        var agreement = RankCorrelation(tstrImportance.Values.ToArray(), trtrImportance.Values.ToArray());
        return new UtilityComparison(
            model, tstrScores, trtrScores, tstrImportance.ToImmutableDictionary(), trtrImportance.ToImmutableDictionary(), agreement);
    }

    /// <summary>Trains the TSTR and TRTR models once, for scoring on several test sets (e.g. one per subgroup).</summary>
    /// <exception cref="InputException">A training table has a single target class.</exception>
    public FittedUtilityModels Fit(EncodedTable synthetic, EncodedTable realTrain, UtilityModel model)
    {
        var name = layout.Domain.Names[layout.Target];
        RequireTwoClasses(synthetic, Messages.TargetHasOneClassInSynthetic(name));
        RequireTwoClasses(realTrain, Messages.TargetHasOneClassInReal(name));
        return new FittedUtilityModels(Train(synthetic, model), Train(realTrain, model));
    }

    /// <summary>Scores both fitted models on <paramref name="test"/> (at least one row).</summary>
    public (UtilityScores Tstr, UtilityScores Trtr) Score(FittedUtilityModels fitted, EncodedTable test)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(test);
        return (Score(fitted.Tstr, test), Score(fitted.Trtr, test));
    }

    private void RequireTwoClasses(EncodedTable table, string message)
    {
        if (!IsClassification)
        {
            return;
        }

        var column = table.Columns[layout.Target];
        for (var r = 1; r < table.RowCount; r++)
        {
            if (column[r] != column[0])
            {
                return;
            }
        }

        throw new InputException(message);
    }

    private Predictor Train(EncodedTable table, UtilityModel model)
    {
        var ml = new MLContext(seed);
        var classes = layout.Domain.Size(layout.Target);
        var data = Load(ml, layout.Encode(table), Labels(table));
        const string key = nameof(Example.ClassKey), flag = nameof(Example.IsPositive), value = nameof(Example.Value);
        IEstimator<ITransformer> trainer = (IsClassification, classes == 2, model) switch
        {
            (true, true, UtilityModel.GradientBoostedTrees) => ml.BinaryClassification.Trainers.LightGbm(labelColumnName: flag),
            (true, true, _) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: flag),
            (true, false, UtilityModel.GradientBoostedTrees) => ml.MulticlassClassification.Trainers.LightGbm(labelColumnName: key),
            (true, false, _) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(labelColumnName: key),
            (false, _, UtilityModel.GradientBoostedTrees) => ml.Regression.Trainers.LightGbm(labelColumnName: value),
            _ => ml.Regression.Trainers.Sdca(labelColumnName: value),
        };
        return new Predictor(this, ml, trainer.Fit(data));
    }

    private IDataView Load(MLContext ml, float[][] features, uint[] labels)
    {
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, layout.Width);
        schema[nameof(Example.ClassKey)].ColumnType = new KeyDataViewType(typeof(uint), layout.Domain.Size(layout.Target));
        return ml.Data.LoadFromEnumerable(Examples(features, labels), schema);
    }

    private UtilityScores Score(Predictor predictor, EncodedTable test, int replacedColumn = -1, int[]? replacement = null)
    {
        var truth = Labels(test);
        var scores = predictor.Predict(layout.Encode(test, replacedColumn, replacement), truth);
        if (!IsClassification)
        {
            double meanTruth = truth.Average(t => (double)t - 1), ssTotal = 0, ssResidual = 0, absolute = 0;
            for (var i = 0; i < truth.Length; i++)
            {
                var y = truth[i] - 1.0;
                ssTotal += (y - meanTruth) * (y - meanTruth);
                ssResidual += (y - scores[i][0]) * (y - scores[i][0]);
                absolute += Math.Abs(y - scores[i][0]);
            }

            return new UtilityScores(double.NaN, double.NaN, ssTotal > 0 ? 1 - (ssResidual / ssTotal) : 0, absolute / truth.Length);
        }

        var classes = layout.Domain.Size(layout.Target);
        var correct = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                if (scores[i][k] > scores[i][best])
                {
                    best = k;
                }
            }

            correct += best == truth[i] - 1 ? 1 : 0;
        }

        return new UtilityScores(MacroAuc(scores, truth, classes), (double)correct / truth.Length, double.NaN, double.NaN);
    }

    // One-vs-rest AUC averaged over the classes present in the test rows (a binary target has one such pair).
    private static double MacroAuc(float[][] scores, uint[] truth, int classes)
    {
        var sum = 0.0;
        var used = 0;
        var positives = new List<double>(truth.Length);
        var negatives = new List<double>(truth.Length);
        for (var k = classes == 2 ? 1 : 0; k < classes; k++)
        {
            positives.Clear();
            negatives.Clear();
            for (var i = 0; i < truth.Length; i++)
            {
                (truth[i] - 1 == k ? positives : negatives).Add(scores[i][k]);
            }

            // A class absent from (or alone in) the test rows has no ROC curve.
            if (positives.Count > 0 && negatives.Count > 0)
            {
                sum += RocCurve.Auc(CollectionsMarshal.AsSpan(positives), CollectionsMarshal.AsSpan(negatives));
                used++;
            }
        }

        return used == 0 ? double.NaN : sum / used;
    }

    // Drop in the primary score when one column's codes are shuffled across the test rows.
    private Dictionary<string, double> Importance(Predictor predictor, EncodedTable test, double baseline)
    {
        var importance = new Dictionary<string, double>(StringComparer.Ordinal);
        var random = new Random(seed);
        for (var c = 0; c < layout.Domain.Count; c++)
        {
            if (c == layout.Target)
            {
                continue;
            }

            var shuffled = new int[test.RowCount];
            test.Columns[c].CopyTo(shuffled);
            random.Shuffle(shuffled);
            importance[layout.Domain.Names[c]] = baseline - Score(predictor, test, c, shuffled).Primary;
        }

        return importance;
    }

    private static double RankCorrelation(double[] a, double[] b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average(), cov = 0, va = 0, vb = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }

        return va == 0 || vb == 0 ? 0 : cov / Math.Sqrt(va * vb);
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j < order.Length && values[order[j]] == values[order[i]])
            {
                j++;
            }

            for (var k = i; k < j; k++)
            {
                ranks[order[k]] = (i + j + 1) / 2.0;
            }

            i = j;
        }

        return ranks;
    }

    // ML.NET key labels are 1-based (0 means missing).
    private uint[] Labels(EncodedTable table)
    {
        var labels = new uint[table.RowCount];
        var column = table.Columns[layout.Target];
        for (var r = 0; r < labels.Length; r++)
        {
            labels[r] = (uint)column[r] + 1;
        }

        return labels;
    }

    private static IEnumerable<Example> Examples(float[][] features, uint[] labels)
    {
        for (var i = 0; i < features.Length; i++)
        {
            yield return new Example
            {
                ClassKey = labels[i], IsPositive = labels[i] == 2, Value = labels[i] - 1f, Features = features[i],
            };
        }
    }

    /// <summary>One training or test row as ML.NET sees it; the task picks which label column it reads.</summary>
    internal sealed class Example
    {
        /// <summary>The target's class as a 1-based key (multiclass).</summary>
        public uint ClassKey { get; set; }

        /// <summary>The target is its second class (binary).</summary>
        public bool IsPositive { get; set; }

        /// <summary>The target's code as a number (regression on the bin index).</summary>
        public float Value { get; set; }

        /// <summary>The feature vector of <see cref="FeatureLayout"/>.</summary>
        public float[] Features { get; set; } = [];
    }

    /// <summary>A trained model with the feature layout it expects.</summary>
    internal sealed class Predictor(DownstreamUtility owner, MLContext ml, ITransformer model)
    {
        /// <summary>Per row: class scores (binary: [1-p, p]) or, for regression, the predicted value.</summary>
        public float[][] Predict(float[][] features, uint[] labels)
        {
            var scored = model.Transform(owner.Load(ml, features, labels));
            var result = new float[features.Length][];
            var i = 0;
            if (!owner.IsClassification)
            {
                foreach (var s in scored.GetColumn<float>("Score"))
                {
                    result[i++] = [s];
                }
            }
            else if (owner.layout.Domain.Size(owner.layout.Target) == 2)
            {
                foreach (var p in scored.GetColumn<float>("Probability"))
                {
                    result[i++] = [1 - p, p];
                }
            }
            else
            {
                foreach (var s in scored.GetColumn<VBuffer<float>>("Score"))
                {
                    result[i++] = s.DenseValues().ToArray();
                }
            }

            return result;
        }
    }
}
