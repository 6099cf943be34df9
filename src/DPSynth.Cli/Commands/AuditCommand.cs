using System.CommandLine;
using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Pipeline;
using DPSynth.Schema;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth audit --train CSV --holdout CSV --synthetic CSV --schema YAML [--json]</c>: every similarity and
/// membership-inference audit, then the release gate (exit code 3 when it fails). The report is internal: its figures
/// are computed from the raw rows without DP.
/// </summary>
internal static class AuditCommand
{
    /// <summary>The <c>audit</c> verb.</summary>
    public static Command Build()
    {
        var train = new Option<string>("--train") { Description = "The train rows (the only rows the synthesizer saw).", Required = true };
        var holdout = new Option<string>("--holdout") { Description = "The holdout rows (kept back from the synthesizer).", Required = true };
        var synthetic = new Option<string>("--synthetic") { Description = "The synthetic rows to audit.", Required = true };
        var schemaPath = new Option<string>("--schema") { Description = "A YAML schema, or a Private-PGM domain JSON (*.json).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the figures and the gate decision as JSON." };
        var command = new Command(
            "audit",
            "Audit synthetic rows against train and holdout (DCR, exact matches, membership inference) and apply the " +
            "release gate; exit code 3 when it fails. Internal, non-DP figures.")
        {
            train, holdout, synthetic, schemaPath, json,
        };
        command.SetAction(parse =>
        {
            var schema = TableSchema.Load(parse.GetValue(schemaPath)!);
            var trainTable = Encode(parse.GetValue(train)!, schema);
            var holdoutTable = Encode(parse.GetValue(holdout)!, schema);
            var syntheticTable = Encode(parse.GetValue(synthetic)!, schema);
            var report = PrivacyAudit.Run(trainTable, holdoutTable, syntheticTable, DistanceSpec.FromSchema(schema), new Random());
            var decision = new ReleaseGate().Decide(report);
            var o = parse.Out();
            if (parse.GetValue(json))
            {
                o.WriteLine(AuditJson.Of(report, decision).ToJson());
            }
            else
            {
                WriteText(o, report, decision);
            }

            if (decision.Passed)
            {
                return 0;
            }

            foreach (var reason in decision.Reasons)
            {
                parse.Err().WriteLine($"gate: {reason}");
            }

            parse.Err().WriteLine($"error: {Messages.AuditGateFailedError(decision.Reasons.Length)}");
            return (int)ExitCode.AuditGateFailed;
        });
        return command;
    }

    /// <summary>Encodes a CSV under the schema; an empty result is an input error.</summary>
    internal static EncodedTable Encode(string path, TableSchema schema) => CanaryAuditJob.EncodeNonEmpty(path, schema);

    private static void WriteText(TextWriter o, AuditReport report, GateDecision decision)
    {
        o.WriteLine(Messages.AuditReportTitle);
        o.WriteLine(Messages.AuditSizesLine(report.TrainRows, report.HoldoutRows, report.SyntheticRows));
        var d = report.Dcr;
        o.WriteLine(Messages.AuditDcrLines(
            d.TrainP5, d.TrainMedian, d.HoldoutP5, d.HoldoutMedian, d.CloserToTrainShare, d.IdealShare, d.NndrP5, d.NndrMedian));
        o.WriteLine(Messages.AuditExactLine(report.ExactMatches.SyntheticRate, report.ExactMatches.HoldoutBaseline));
        foreach (var a in new[] { report.DistanceAttack, report.DensityAttack })
        {
            o.WriteLine(Messages.AuditAttackLine(a.Attack, a.Auc, a.TprAtFpr1Percent, a.TprAtFpr01Percent));
        }

        if (!report.DistanceIsExact)
        {
            o.WriteLine(Messages.AuditDistanceRounded);
        }

        o.WriteLine(decision.Passed ? Messages.AuditGatePassed : Messages.AuditGateFailed);
        foreach (var reason in decision.Reasons)
        {
            o.WriteLine($"  - {reason}");
        }

        o.WriteLine(Messages.AuditGateDisclosure);
        o.WriteLine(Messages.AuditNotAGuarantee);
    }
}
