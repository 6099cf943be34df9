using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Evaluation;
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
        var json = new Option<bool>("--json") { Description = "Print {\"rows\":..,\"oneWay\":..,\"twoWay\":..,\"threeWay\":..}." };
        var command = new Command(
            "evaluate",
            "Compare a synthetic CSV with the real one: mean total variation distance over all 1-, 2- and 3-way marginals " +
            "(internal use only; not differentially private).")
        {
            real, synthetic, schemaPath, json,
        };
        command.SetAction(parse =>
        {
            var schema = TableSchema.Load(parse.GetValue(schemaPath)!);
            var realTable = Encode(parse.GetValue(real)!, schema, "real");
            var syntheticTable = Encode(parse.GetValue(synthetic)!, schema.WithCsv(CsvOptions.Default), "synthetic");
            var report = MarginalTvd.Compare(realTable, syntheticTable);
            if (parse.GetValue(json))
            {
                parse.Out().WriteLine(ToJson(report));
            }
            else
            {
                var o = parse.Out();
                var inv = CultureInfo.InvariantCulture;
                o.WriteLine(string.Create(inv, $"synthetic rows: {report.Rows}"));
                o.WriteLine("mean total variation distance (0 = identical marginals, 1 = disjoint):");
                o.WriteLine(string.Create(inv, $"  1-way: {Format(report.OneWay)}"));
                o.WriteLine(string.Create(inv, $"  2-way: {Format(report.TwoWay)}"));
                o.WriteLine(string.Create(inv, $"  3-way: {Format(report.ThreeWay)}"));
            }

            parse.Err().WriteLine(Messages.EvaluateNotPrivate);
            return 0;
        });
        return command;
    }

    /// <summary>The report as one JSON object; a workload the table is too narrow for is <c>null</c>.</summary>
    internal static string ToJson(UtilityReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("rows", report.Rows);
            Write(writer, "oneWay", report.OneWay);
            Write(writer, "twoWay", report.TwoWay);
            Write(writer, "threeWay", report.ThreeWay);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }

    private static string Format(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F4", CultureInfo.InvariantCulture);

    private static EncodedTable Encode(string path, TableSchema schema, string which)
    {
        var table = CsvEncoder.EncodeFile(path, schema).Table;
        return table.RowCount > 0 ? table : throw new InputException(Messages.EvaluateEmptyTable(which));
    }
}
