using System.Globalization;
using System.Text;
using DPSynth.Schema;

namespace DPSynth.Data.Discovery;

/// <summary>
/// One column as DP discovery learnt it: every part is a DP output or a public choice (docs/schema-reference.md#dp-discovery).
/// </summary>
/// <param name="Name">The header name (public).</param>
/// <param name="Kind">Integer, continuous or categorical, from the noisy type probe.</param>
/// <param name="Nullable">Whether the column gets a missing cell (numeric: always; categorical: from the probe).</param>
/// <param name="Categories">The kept labels of a categorical column (empty when none was kept).</param>
/// <param name="Min">A numeric column's lower bound (a DP quantile).</param>
/// <param name="Max">A numeric column's upper bound (a DP quantile).</param>
/// <param name="Edges">A binned numeric column's edges from min to max, or empty (one cell per integer, or equal bins).</param>
/// <param name="EqualBins">Equal-width bins when the DP edges were too few, else 0.</param>
public sealed record DiscoveredColumn(
    string Name, ColumnKind Kind, bool Nullable, IReadOnlyList<string> Categories, double Min, double Max,
    IReadOnlyList<double> Edges, int EqualBins)
{
    /// <summary>The category a categorical column with no kept label gets, so the schema still reads and encodes.</summary>
    public const string Placeholder = ColumnDraft.Placeholder;

    /// <summary>Appends the column's schema entry.</summary>
    internal void WriteYaml(StringBuilder yaml, IReadOnlyCollection<string> missingTokens)
    {
        var inv = CultureInfo.InvariantCulture;
        yaml.Append("  - name: ").Append(SchemaInference.Quote(Name)).Append('\n');
        switch (Kind)
        {
            case ColumnKind.Categorical:
                yaml.Append("    type: categorical\n");
                var labels = Categories.Count > 0 ? Categories : [ColumnDraft.PlaceholderFor(missingTokens)];
                if (Categories.Count == 0)
                {
                    yaml.Append("    # no label was common enough to be kept: every value goes to the \"other\" cell\n");
                }

                yaml.Append("    categories: [").AppendJoin(", ", labels.Select(SchemaInference.Quote)).Append("]\n");
                yaml.Append("    on_out_of_domain: other\n");
                break;
            case ColumnKind.Integer:
                yaml.Append("    type: integer\n");
                yaml.Append(inv, $"    min: {(long)Min}\n    max: {(long)Max}\n");
                WriteBins(yaml, e => ((long)e).ToString(inv));
                yaml.Append("    on_out_of_domain: clamp\n");
                break;
            default:
                yaml.Append("    type: continuous\n");
                yaml.Append(inv, $"    min: {Min:R}\n    max: {Max:R}\n");
                WriteBins(yaml, e => e.ToString("R", inv));
                yaml.Append("    on_out_of_domain: clamp\n");
                break;
        }

        yaml.Append("    nullable: ").Append(Nullable ? "true" : "false").Append('\n');
    }

    private void WriteBins(StringBuilder yaml, Func<double, string> number)
    {
        if (Edges.Count > 0)
        {
            yaml.Append("    edges: [").AppendJoin(", ", Edges.Select(number)).Append("]\n");
        }
        else if (EqualBins > 0)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    bins: {EqualBins}\n");
        }
    }
}
