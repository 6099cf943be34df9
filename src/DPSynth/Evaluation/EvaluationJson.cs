using System.Text;
using System.Text.Json;

namespace DPSynth.Evaluation;

/// <summary>
/// The JSON form of an <see cref="EvaluationReport"/>: <c>rows</c>, <c>oneWay</c>, <c>twoWay</c>, <c>threeWay</c> (mean
/// TVDs), then <c>association</c>, <c>utility</c> (when a target was given) and <c>groups</c> (when groups were given;
/// each group has its <c>meanConditionalTvd</c> and, in <c>tvdByColumn</c>, that TVD for every other column by name).
/// NaN (a figure that does not apply) is written as <c>null</c>.
/// </summary>
public static class EvaluationJson
{
    /// <summary>Serializes the report as one JSON object.</summary>
    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("rows", report.Marginals.Rows);
            Number(w, "oneWay", report.Marginals.OneWay);
            Number(w, "twoWay", report.Marginals.TwoWay);
            Number(w, "threeWay", report.Marginals.ThreeWay);
            w.WriteStartObject("association");
            Association(w, "cramersV", report.Association, AssociationMeasure.CramersV);
            Association(w, "spearman", report.Association, AssociationMeasure.Spearman);
            w.WriteEndObject();
            if (report.Target is { } target && report.Utility.Length > 0)
            {
                w.WriteStartObject("utility");
                w.WriteString("target", target);
                Comparison(w, report.Utility[0]);
                w.WriteStartArray("models");
                foreach (var u in report.Utility)
                {
                    w.WriteStartObject();
                    Comparison(w, u);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (report.Groups.Count > 0)
            {
                w.WriteStartObject("groups");
                foreach (var (column, groups) in report.Groups.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    w.WriteStartArray(column);
                    foreach (var g in groups)
                    {
                        w.WriteStartObject();
                        w.WriteString("group", g.Group);
                        Number(w, "realShare", g.RealShare);
                        Number(w, "syntheticShare", g.SyntheticShare);
                        Number(w, "meanConditionalTvd", g.MeanConditionalTvd);
                        w.WriteStartObject("tvdByColumn");
                        foreach (var (other, tvd) in g.ConditionalTvdByName)
                        {
                            Number(w, other, tvd);
                        }

                        w.WriteEndObject();
                        w.WriteNumber("testRows", g.TestRows);
                        Number(w, "tstr", g.TstrAccuracy);
                        Number(w, "trtr", g.TrtrAccuracy);
                        w.WriteBoolean("underRepresented", g.UnderRepresented);
                        w.WriteBoolean("utilityGap", g.UtilityGap);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Comparison(Utf8JsonWriter w, UtilityComparison u)
    {
        w.WriteString("model", u.Model == UtilityModel.GradientBoostedTrees ? "lightgbm" : "linear");
        Scores(w, "tstr", u.Tstr);
        Scores(w, "trtr", u.Trtr);
        Number(w, "ratio", u.Ratio);
        Number(w, "importanceAgreement", u.ImportanceAgreement);
    }

    private static void Scores(Utf8JsonWriter w, string name, UtilityScores s)
    {
        w.WriteStartObject(name);
        if (double.IsNaN(s.Auc) && double.IsNaN(s.Accuracy))
        {
            Number(w, "r2", s.R2);
            Number(w, "mae", s.Mae);
        }
        else
        {
            Number(w, "auc", s.Auc);
            Number(w, "accuracy", s.Accuracy);
        }

        w.WriteEndObject();
    }

    private static void Association(Utf8JsonWriter w, string name, AssociationReport report, AssociationMeasure measure)
    {
        w.WriteStartObject(name);
        Number(w, "meanDifference", measure == AssociationMeasure.CramersV ? report.MeanCramersVDifference : report.MeanSpearmanDifference);
        w.WriteStartArray("worst");
        foreach (var p in report.Worst(measure))
        {
            w.WriteStartObject();
            w.WriteString("first", p.First);
            w.WriteString("second", p.Second);
            Number(w, "real", p.Real);
            Number(w, "synthetic", p.Synthetic);
            Number(w, "difference", p.Difference);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
