using System.CommandLine;
using System.Globalization;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.IO;
using DPSynth.Pipeline;
using DPSynth.Schema;
using DPSynth.Data.Discovery;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth schema infer</c> (draft a schema from a CSV, loudly marked as read from private data) and
/// <c>dpsynth schema check</c> (encode a CSV under a schema and report what happened). Both are internal, non-DP tools:
/// their output describes the private file and is for the operator only.
/// </summary>
internal static class SchemaCommand
{
    /// <summary>The <c>schema</c> command with its two verbs.</summary>
    public static Command Build()
    {
        var schema = new Command("schema", "Draft or check the schema (the declared public domain) of a CSV file.");
        schema.Subcommands.Add(BuildInfer());
        schema.Subcommands.Add(BuildCheck());
        return schema;
    }

    private static Command BuildInfer()
    {
        var input = new Option<string>("--input") { Description = "The CSV file to read.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the YAML schema.", Required = true };
        var noHeader = new Option<bool>("--no-header") { Description = "The file has no header row (columns are named column1, column2, ...)." };
        var delimiter = new Option<string>("--delimiter") { Description = "The field separator.", DefaultValueFactory = _ => "," };
        var missing = new Option<string?>("--missing") { Description = Messages.InferMissingHelp };
        var dp = new Option<bool>("--dp") { Description = Messages.InferDpHelp };
        var epsilon = new Option<string?>("--epsilon") { Description = Messages.InferEpsilonHelp };
        var ledger = new Option<string?>("--ledger") { Description = "With --dp: the budget ledger to charge before reading the data." };
        var dataset = new Option<string?>("--dataset") { Description = "With --dp: the dataset id in the ledger." };
        var bins = new Option<int?>("--bins") { Description = Messages.InferBinsHelp };
        var force = new Option<bool>("--force") { Description = Messages.ForceReplaceHelp("--out") };
        var command = new Command(
            "infer",
            "Draft a YAML schema from a CSV file (its bounds and categories are read from the private data and must be " +
            "replaced with public knowledge before any release), or with --dp learn them with charged DP mechanisms.")
        {
            input, output, noHeader, delimiter, missing, dp, epsilon, ledger, dataset, bins, force,
        };
        var ledgerFlags = new LedgerFlags();
        ledgerFlags.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            // A reviewed schema is work a draft must not wipe out, and with --dp a refusal after the charge wastes budget.
            var existing = parse.GetValue(force) ? ExistingFile.Replace : ExistingFile.Refuse;
            new OutputGuard().Reads("--input", parse.GetValue(input)).Ledger("--ledger", parse.GetValue(ledger)).WritesFile("--out", path, existing).Check();
            var tokens = parse.GetValue(missing) is { } list ? list.Split(',') : null;
            if (parse.GetValue(dp))
            {
                var request = new DiscoveryRequest(
                    parse.GetValue(input)!, path, !parse.GetValue(noHeader), parse.GetValue(delimiter)!, tokens,
                    parse.GetValue(epsilon) ?? throw new InputException(Messages.InferDpNeeds("--epsilon")),
                    ledgerFlags.Access(parse, parse.GetValue(ledger) ?? throw new InputException(Messages.InferDpNeeds("--ledger")))!,
                    parse.GetValue(dataset) ?? throw new InputException(Messages.InferDpNeeds("--dataset")),
                    parse.GetValue(bins) ?? DiscoveryOptions.DefaultBins,
                    existing);
                var columns = DiscoveryJob.Run(request, parse.Err());
                parse.Out().WriteLine(Messages.DiscoveryWritten(path, columns));
                return 0;
            }

            foreach (var (name, given) in new[]
            {
                ("--epsilon", parse.GetValue(epsilon) is not null), ("--ledger", parse.GetValue(ledger) is not null),
                ("--dataset", parse.GetValue(dataset) is not null), ("--bins", parse.GetValue(bins) is not null),
                ("--init-ledger", parse.GetValue(ledgerFlags.Init)), ("--allow-uncapped", parse.GetValue(ledgerFlags.AllowUncapped)),
            })
            {
                if (given)
                {
                    throw new InputException(Messages.InferDpOptionWithoutDp(name));
                }
            }

            var yaml = SchemaInference.DraftYaml(parse.GetValue(input)!, !parse.GetValue(noHeader), parse.GetValue(delimiter)!, tokens);
            AtomicFile.WriteText(path, yaml, existing: existing);
            parse.Err().WriteLine(
                $"warning: {path} was read from the private data. Replace every bound and category with public knowledge before any release.");
            parse.Out().WriteLine($"wrote draft schema {path}");
            return 0;
        });
        return command;
    }

    private static Command BuildCheck()
    {
        var input = new Option<string>("--input") { Description = "The CSV file to encode.", Required = true };
        var schemaPath = new Option<string>("--schema") { Description = "A YAML schema, or a Private-PGM domain JSON (*.json).", Required = true };
        var command = new Command(
            "check",
            "Encode a CSV file under a schema and print rows read, rows skipped and cells per column (operator console only).")
        {
            input, schemaPath,
        };
        command.SetAction(parse =>
        {
            var schema = TableSchema.Load(parse.GetValue(schemaPath)!);
            var result = CsvEncoder.EncodeFile(parse.GetValue(input)!, schema);
            var o = parse.Out();
            var inv = CultureInfo.InvariantCulture;
            o.WriteLine(string.Create(inv, $"rows read:     {result.RecordsRead}"));
            o.WriteLine(string.Create(inv, $"rows encoded:  {result.Table.RowCount}"));
            o.WriteLine(string.Create(inv, $"rows skipped:  {result.RowsSkipped} (bad rows)"));
            o.WriteLine(string.Create(inv, $"rows dropped:  {result.RowsDropped} (out of domain)"));
            if (result.BlankLinesIgnored > 0)
            {
                o.WriteLine(string.Create(inv, $"blank lines ignored: {result.BlankLinesIgnored} (before the header or at the end of the file)"));
            }

            o.WriteLine(string.Create(inv, $"values clamped: {result.ValuesClamped}; values to other: {result.ValuesToOther}"));
            o.WriteLine("cells per column:");
            var names = schema.Columns.Select(c => DisplayText.Of(c.Name, DisplayText.MaxNameLength)).ToArray();
            var width = names.Max(n => n.Length);
            for (var c = 0; c < names.Length; c++)
            {
                var column = schema.Columns[c];
                var extras = (column.Nullable ? " +missing" : string.Empty) + (column.HasOtherCell ? " +other" : string.Empty);
                o.WriteLine(string.Create(
                    inv, $"  {names[c].PadRight(width)}  {column.Kind.ToString().ToLowerInvariant(),-11} {column.CellCount,6}{extras}"));
            }

            if (!schema.Constraints.IsEmpty)
            {
                // Refuses constraints that together rule out every row, as synth and run would.
                _ = StructuralZeros.FromSchema(schema);
                o.WriteLine("constraints (rows of the file that break each):");
                foreach (var constraint in schema.Constraints)
                {
                    var text = DisplayText.Of(constraint.Text, DisplayText.MaxTextLength);
                    o.WriteLine(string.Create(inv, $"  {constraint.CountViolations(result.Table),8}  {text}"));
                }
            }

            o.WriteLine("These figures describe the private file: keep them out of any release.");
            return 0;
        });
        return command;
    }
}
