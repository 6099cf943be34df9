using System.CommandLine;
using System.Globalization;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Evaluation;
using DPSynth.IO;
using DPSynth.Schema;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth evaluate</c>: the mean total variation distance of a synthetic CSV against the real one over all 1-, 2- and
/// 3-way marginals. An internal, non-DP tool: its figures are computed from the real rows without noise.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>The <c>evaluate</c> command.</summary>
    public static Command Build()
    {
        var real = new Option<string>("--real") { Description = "The real (private) CSV file.", Required = true };
        var synthetic = new Option<string>("--synthetic")
        {
            Description = "The synthetic CSV file (as written by dpsynth synth: comma-separated, with a header).", Required = true,
        };
        var schemaPath = new Option<string>("--schema")
        {
            Description = "The schema both files follow: a YAML schema, or a Private-PGM domain JSON (*.json).", Required = true,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print JSON: {\"rows\":..,\"oneWay\":..,\"twoWay\":..,\"threeWay\":..,\"association\":..,\"utility\":..,\"groups\":..}.",
        };
        var target = new Option<string?>("--target") { Description = Messages.TargetHelp };
        var groups = new Option<string?>("--groups") { Description = "Comma-separated group columns for subgroup fidelity." };
        var test = new Option<string?>("--test") { Description = Messages.TestHelp };
        var metric = new Option<string>("--metric")
        {
            Description = "The utility headline: auto, auc or accuracy (class target), r2 or mae (numeric target).",
            DefaultValueFactory = _ => "auto",
        };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report (internal) to this file." };
        var force = new Option<bool>("--force") { Description = Messages.ForceReplaceHelp("--html") };
        var command = new Command(
            "evaluate",
            "Compare a synthetic CSV with the real one: marginal TVDs, association similarity, downstream utility (train on " +
            "synthetic, test on real) and subgroup fidelity (internal use only; not differentially private).")
        {
            real, synthetic, schemaPath, json, target, groups, test, metric, html, force,
        };
        command.SetAction(parse =>
        {
            var existing = parse.GetValue(force) ? ExistingFile.Replace : ExistingFile.Refuse;
            new OutputGuard()
                .Reads("--real", parse.GetValue(real)).Reads("--synthetic", parse.GetValue(synthetic))
                .Reads("--schema", parse.GetValue(schemaPath)).Reads("--test", parse.GetValue(test))
                .WritesFile("--html", parse.GetValue(html), existing)
                .Check();
            var schema = TableSchema.Load(parse.GetValue(schemaPath)!);
            var groupNames = (parse.GetValue(groups) ?? string.Empty)
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var targetName = parse.GetValue(target);
            UtilityMetric.Check(schema, targetName, parse.GetValue(metric)!);
            var realTable = Encode(parse.GetValue(real)!, schema, "real");
            var syntheticTable = Encode(parse.GetValue(synthetic)!, schema.WithCsv(CsvOptions.Default), "synthetic");
            var trainTable = realTable;
            EncodedTable? testTable = null;
            if (targetName is not null)
            {
                if (parse.GetValue(test) is { } testPath)
                {
                    testTable = Encode(testPath, schema, "test");
                }
                else
                {
                    (trainTable, testTable) = HeldOutRows.Split(realTable);
                    parse.Err().WriteLine(Messages.EvaluateHeldOutSplit);
                }
            }

            var report = Evaluator.Evaluate(schema, realTable, trainTable, testTable, syntheticTable, targetName, groupNames);
            if (parse.GetValue(html) is { } htmlPath)
            {
                AtomicFile.WriteText(htmlPath, EvaluationHtml.Render(report), existing: existing);
            }

            if (parse.GetValue(json))
            {
                parse.Out().WriteLine(EvaluationJson.Write(report));
            }
            else
            {
                WriteText(parse.Out(), report);
            }

            parse.Err().WriteLine(Messages.EvaluateNotPrivate);
            return 0;
        });
        return command;
    }

    private static void WriteText(TextWriter o, EvaluationReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"synthetic rows: {report.Marginals.Rows}"));
        o.WriteLine("mean total variation distance (0 = identical marginals, 1 = disjoint):");
        o.WriteLine(string.Create(inv, $"  1-way: {Format(report.Marginals.OneWay)}"));
        o.WriteLine(string.Create(inv, $"  2-way: {Format(report.Marginals.TwoWay)}"));
        o.WriteLine(string.Create(inv, $"  3-way: {Format(report.Marginals.ThreeWay)}"));
        o.WriteLine("association difference |real - synthetic| (mean):");
        o.WriteLine(string.Create(inv, $"  Cramer's V: {Format(report.Association.MeanCramersVDifference)}"));
        o.WriteLine(string.Create(inv, $"  Spearman:   {Format(report.Association.MeanSpearmanDifference)}"));
        foreach (var u in report.Utility)
        {
            var name = u.Model == UtilityModel.GradientBoostedTrees ? "lightgbm" : "linear";
            var (m, t, r) = double.IsNaN(u.Tstr.Auc)
                ? ("R2", u.Tstr.R2, u.Trtr.R2)
                : ("AUC", u.Tstr.Auc, u.Trtr.Auc);
            o.WriteLine(string.Create(inv,
                $"utility ({name}, target {Shown(report.Target)}): TSTR {m} {Format(t)}, TRTR {m} {Format(r)}, ratio {Format(u.Ratio)}, " +
                $"importance agreement {Format(u.ImportanceAgreement)}"));
        }

        foreach (var (column, groups) in report.Groups.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var g in groups)
            {
                var byColumn = g.ConditionalTvdByName.Select(kv => $"{Shown(kv.Key)} {Format(kv.Value)}");
                o.WriteLine(
                    $"group {Shown(column)}={Shown(g.Group)}: mean TVD within group {Format(g.MeanConditionalTvd)} " +
                    $"({string.Join(", ", byColumn)})");
            }

            foreach (var g in groups.Where(g => g.Flagged))
            {
                // Every number goes through Format, which is culture-invariant already.
                o.WriteLine(
                    $"flag: {Shown(column)}={Shown(g.Group)}: real share {Format(g.RealShare)}, synthetic share {Format(g.SyntheticShare)}" +
                    (g.UtilityGap ? $", TSTR {Format(g.TstrAccuracy)} vs TRTR {Format(g.TrtrAccuracy)}" : string.Empty));
            }
        }
    }

    // Column names and category labels come from the schema file: shown escaped, never as raw control characters.
    private static string Shown(string? name) => DisplayText.Of(name, DisplayText.MaxNameLength);

    private static string Format(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F4", CultureInfo.InvariantCulture);

    private static EncodedTable Encode(string path, TableSchema schema, string which)
    {
        var table = CsvEncoder.EncodeFile(path, schema).Table;
        return table.RowCount > 0 ? table : throw new InputException(Messages.EvaluateEmptyTable(which));
    }
}
