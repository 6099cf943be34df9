using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DPSynth.Budget;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.IO;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Policies;
using DPSynth.Resources;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using Spectre.Console;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth synth</c>: synthesizes a CSV under a schema with AIM (default), MST or MWEM+PGM at (epsilon, delta)
/// (design.md section 8). Order matters for privacy: settings are checked and the budget is charged to the ledger
/// before the input is read; a refused charge exits 2 with the input untouched.
/// </summary>
internal static class SynthCommand
{
    /// <summary>The <c>synth</c> command.</summary>
    public static Command Build()
    {
        var input = new Option<string?>("--input") { Description = "The private CSV or Parquet (*.parquet) file." };
        var source = new Option<string>("--source")
        {
            Description = "Where marginals are counted: auto (default: memory, or duckdb for inputs over 1 GiB), memory, duckdb, " +
                          $"or postgres (--table; connection string from ${PostgresSource.ConnectionVariable}).",
            DefaultValueFactory = _ => "auto",
        };
        var table = new Option<string?>("--table") { Description = "The PostgreSQL table (NAME or SCHEMA.NAME) for --source postgres." };
        var schemaPath = new Option<string>("--schema")
        {
            Description = "The public schema: a YAML schema, or a Private-PGM domain JSON (*.json).", Required = true,
        };
        var epsilon = new Option<string>("--epsilon") { Description = "The privacy budget's epsilon (> 0).", Required = true };
        var delta = new Option<string>("--delta") { Description = "The privacy budget's delta, in (0, 1).", Required = true };
        var method = new Option<string>("--method")
        {
            Description = "The synthesizer: aim (default), mst or mwem.", DefaultValueFactory = _ => "aim",
        };
        var rows = new Option<int?>("--rows") { Description = "Rows to write; default: the model's noisy estimate of the row count." };
        var workload = new Option<string>("--workload")
        {
            Description = "The marginals to preserve (aim, mwem): 2way (default) or 3way.", DefaultValueFactory = _ => "2way",
        };
        var output = new Option<string>("--out")
        {
            Description = "Where to write the synthetic rows (atomically): Parquet when it ends in .parquet, CSV otherwise.", Required = true,
        };
        var ledger = new Option<string?>("--ledger") { Description = "The budget ledger to charge before reading the data." };
        var datasetId = new Option<string?>("--dataset-id") { Description = "The dataset id in the ledger; default: the input file's name." };
        var seed = new Option<int?>("--seed") { Description = Messages.SeedHelp };
        var saveModel = new Option<string?>("--save-model")
        {
            Description = "Also save the fitted model (DP outputs only) to this file, to draw more rows later with `dpsynth sample`.",
        };
        var rebalance = new Option<string?>("--rebalance") { Description = Messages.RebalanceHelp };
        var condition = new Option<string?>("--condition") { Description = Messages.ConditionHelp };
        var maxModelSize = new Option<string?>("--max-model-size")
        {
            Description = "The model-size cap in MB (aim: 80, mwem: 25 by default; mst has none).",
        };
        var maxMemory = new Option<string?>("--max-memory") { Description = Messages.MaxMemoryHelp };
        var command = new Command(
            "synth",
            "Write a differentially private synthetic copy of a CSV file: (epsilon, delta)-DP under add/remove-one-row, " +
            "accounted in zCDP, charged to the ledger before the data are read.")
        {
            input, source, table, schemaPath, epsilon, delta, method, rows, workload, output, ledger, datasetId, seed, maxModelSize,
            maxMemory, saveModel, rebalance, condition,
        };
        var ledgerFlags = new LedgerFlags();
        ledgerFlags.AddTo(command);
        command.SetAction(parse => Run(
            parse,
            ledgerFlags,
            new Request(
                parse.GetValue(input), parse.GetValue(source)!, parse.GetValue(table), parse.GetValue(schemaPath)!, Number(parse.GetValue(epsilon)!, "--epsilon"),
                Number(parse.GetValue(delta)!, "--delta"), parse.GetValue(method)!, parse.GetValue(rows),
                parse.GetValue(workload)!, parse.GetValue(output)!, parse.GetValue(ledger), parse.GetValue(datasetId),
                parse.GetValue(seed), parse.GetValue(maxModelSize) is { } mb ? Number(mb, "--max-model-size") : null,
                parse.GetValue(saveModel), parse.GetValue(rebalance), parse.GetValue(condition), parse.GetValue(maxMemory))));
        return command;
    }

    private static int Run(ParseResult parse, LedgerFlags ledgerFlags, Request request)
    {
        var watch = Stopwatch.StartNew();

        // 0. No output may land on an input or the ledger (synth --out visits.csv --input visits.csv).
        new OutputGuard()
            .Reads("--input", request.Input).Reads("--schema", request.SchemaPath).Ledger("--ledger", request.Ledger)
            .Writes("--out", request.Output).Writes("--save-model", request.SaveModel)
            .Check();

        // 1. Everything public first: budget, schema, settings. Nothing here reads the private file.
        var rho = SynthesisBudget.FromEpsilonDelta(request.Epsilon, request.Delta);
        if (request.Rows is <= 0)
        {
            throw new InputException(Messages.RowsOutOfRange(request.Rows.Value));
        }

        var schemaSource = SchemaSource.FromFile(request.SchemaPath);
        var schema = schemaSource.Parse();
        var sampling = SamplingRequest.Parse(schema, request.Rebalance, request.Condition);
        var synthesizer = SynthesizerFactory.Create(
            schema,
            SynthesizerFactory.FromCommandLine(request.Method, request.Workload, request.MaxModelSizeMb, request.Seed));
        var plan = synthesizer.Plan(rho);

        // Before the charge: a FIFO or a device as input would hang or exhaust the run after the budget is spent.
        // SourceSelection.Choose requires --input (CSV or Parquet) to be a regular file (RegularFile.Require).
        var selection = SourceSelection.Choose(
            request.Source, request.Input, request.Table, schema, Environment.GetEnvironmentVariable);

        // The preflight estimate (public facts and a row bound read without reading a row: the CSV's size, the Parquet
        // footer, the PostgreSQL table's size), for the source chosen: refused above the limit, before the charge.
        if (selection.BoundRows(schema.Domain.Count, Environment.GetEnvironmentVariable) is { } bound)
        {
            Preflight.Check(
                synthesizer, bound, selection.Kind, request.Rows, PipelineShape.Synth, MemoryLimit.Choose(request.MaxMemory, null), parse.Err());
        }
        else
        {
            parse.Err().WriteLine(Messages.PreflightNoRowBound);
        }

        // 2. Charge the ledger before the data are read: a refusal (exit 2) leaves the input untouched.
        if (request.Ledger is { } ledgerPath)
        {
            var dataset = request.DatasetId ?? selection.DatasetName;
            var charge = ledgerFlags.Open(parse, ledgerPath).Charge(
                dataset, Guid.NewGuid().ToString("N"), plan.Rho, $"{plan.Method} ({plan.Workload})");
            if (charge.IsUncapped)
            {
                parse.Err().WriteLine(Messages.LedgerUncapped(dataset));
            }

            parse.Err().WriteLine(Messages.SynthCharged(dataset, plan.Rho.ToDoubleUp(), request.Epsilon, request.Delta));
        }
        else
        {
            parse.Err().WriteLine(Messages.SynthNotRecorded);
        }

        if (SchemaInference.IsDraft(schemaSource.Text))
        {
            // The bounds and categories were copied from the data: the output's domain then discloses it.
            parse.Err().WriteLine(Messages.SynthDraftSchema(request.SchemaPath));
        }

        // 3. Read, fit (the only steps that touch the private rows), sample and decode (post-processing).
        parse.Err().WriteLine(Messages.SourceChosen(selection.Kind, selection.Reason));
        SynthesisResult result;
        using (var data = selection.Open(schema, Environment.GetEnvironmentVariable))
        {
            result = FitWithProgress(parse, synthesizer, data, new ZcdpAccountant(plan.Rho));
        }

        var random = request.Seed is { } s ? new Random(s) : new Random();
        var synthetic = result.Sample(random, request.Rows, sampling);
        SyntheticFile.Write(request.Output, schema, synthetic, random);
        if (request.SaveModel is { } modelPath)
        {
            ModelFile.Save(modelPath, schemaSource, result);
            parse.Err().WriteLine(Messages.ModelSaved(modelPath));
        }

        if (sampling.ChangesDistribution)
        {
            parse.Err().WriteLine(Messages.DistributionChanged(sampling.Description));
        }
        parse.Out().WriteLine(Messages.SynthDone(
            plan.Method, synthetic.RowCount, request.Output, result.RhoSpent.ToDoubleUp(), result.Measurements.Length,
            watch.Elapsed.TotalSeconds));
        return 0;
    }

    /// <summary>Fits with a live Spectre.Console status on a terminal, and plain progress lines otherwise (to stderr).</summary>
    private static SynthesisResult FitWithProgress(
        ParseResult parse, ISynthesizer synthesizer, IMarginalSource table, ZcdpAccountant accountant)
    {
        var error = parse.Err();
        if (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return FitWithStatus(console, synthesizer, table, accountant);
        }

        return synthesizer.Fit(table, accountant, new Reporter(p => error.WriteLine(Describe(p))));
    }

    /// <summary>
    /// Fits under a live status on <paramref name="console"/> that shows the latest progress line. The start and each
    /// report are rendered at once rather than at the next timer tick, so a fast round is still seen (and tests read it).
    /// </summary>
    internal static SynthesisResult FitWithStatus(
        IAnsiConsole console, ISynthesizer synthesizer, IMarginalSource table, ZcdpAccountant accountant)
    {
        SynthesisResult? result = null;
        console.Status().Start(Messages.SynthStarting(synthesizer.Method), context =>
        {
            context.Refresh();
            result = synthesizer.Fit(table, accountant, new Reporter(p =>
            {
                context.Status(Markup.Escape(Describe(p)));
                context.Refresh();
            }));
        });
        return result!;
    }

    /// <summary>One progress line.</summary>
    internal static string Describe(SynthesisProgress p) =>
        Messages.SynthProgress(p.Method, p.Phase, p.Round, p.PlannedRounds, p.RhoUsed, p.Rho, p.ModelMegabytes, p.Loss);

    private static double Number(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InputException(Messages.NotANumber(option, text));

    private sealed record Request(
        string? Input, string Source, string? Table, string SchemaPath, double Epsilon, double Delta, string Method, int? Rows, string Workload,
        string Output, string? Ledger, string? DatasetId, int? Seed, double? MaxModelSizeMb, string? SaveModel,
        string? Rebalance, string? Condition, string? MaxMemory);

    /// <summary>Reports synchronously on the fitting thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    internal sealed class Reporter(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }
}
