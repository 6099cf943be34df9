using System.Globalization;
using System.Text;
using DPSynth.Schema;

namespace DPSynth.Data.Discovery;

/// <summary>
/// Writes the YAML schema of a DP discovery: its <c>dp_discovery</c> record, the public choices (missing tokens, CSV
/// layout, <c>bad_rows: skip</c>, out-of-domain actions that never stop a run) and the learnt columns. Unlike a draft it
/// carries no warning: every bound and category in it is a charged DP output, so <c>run</c> accepts it.
/// </summary>
public static class DiscoveredSchema
{
    /// <summary>The YAML text.</summary>
    public static string Yaml(DiscoveryResult result, DiscoveryRecord record)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(record);
        var inv = CultureInfo.InvariantCulture;
        var yaml = new StringBuilder();
        yaml.Append("# Schema learnt by DP domain discovery (dpsynth schema infer --dp): every bound, bin edge and category\n");
        yaml.Append("# below is the output of a DP mechanism charged to the budget ledger (see dp_discovery), or a public\n");
        yaml.Append("# choice. Editing it with public knowledge is fine; copying values from the data is not.\n");
        yaml.Append(DiscoveryRecord.Key).Append(":\n");
        yaml.Append("  ledger_entry: ").Append(SchemaInference.Quote(record.LedgerEntry)).Append('\n');
        yaml.Append("  dataset: ").Append(SchemaInference.Quote(record.Dataset)).Append('\n');
        yaml.Append(inv, $"  epsilon: {record.Epsilon:R}\n");
        yaml.Append(inv, $"  delta: {record.Delta:R}\n");
        yaml.Append(inv, $"  rho: {record.Rho:R}\n");
        yaml.Append(inv, $"  threshold_delta: {record.ThresholdDelta:R}\n");
        yaml.Append(inv, $"  charged_rho: {record.ChargedRho:R}\n");
        yaml.Append("  columns: [").AppendJoin(", ", record.Columns.Select(SchemaInference.Quote)).Append("]\n");
        yaml.Append("missing: [").AppendJoin(", ", result.MissingTokens.Select(SchemaInference.Quote)).Append("]\n");
        yaml.Append("nullable: false\n");
        yaml.Append("on_out_of_domain: drop\n");
        yaml.Append("bad_rows: skip\n");
        yaml.Append(inv, $"csv: {{ header: {(result.Csv.Header ? "true" : "false")}, delimiter: {SchemaInference.Quote(result.Csv.Delimiter)}, trim: true }}\n");
        if (result.LeftOut.Count > 0)
        {
            yaml.Append("# Left out: columns whose header name is empty or repeated (")
                .AppendJoin(", ", result.LeftOut.Distinct().Select(SchemaInference.Quote)).Append(").\n");
        }

        yaml.Append("columns:\n");
        var missing = result.MissingTokens.ToHashSet(StringComparer.Ordinal);
        foreach (var column in result.Columns)
        {
            column.WriteYaml(yaml, missing);
        }

        return yaml.ToString();
    }
}
