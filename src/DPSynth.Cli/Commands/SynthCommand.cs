using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Pipeline;
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
        var force = new Option<bool>("--force") { Description = Messages.ForceReplaceHelp("--out or --save-model") };
        var command = new Command(
            "synth",
            "Write a differentially private synthetic copy of a CSV file: (epsilon, delta)-DP under add/remove-one-row, " +
            "accounted in zCDP, charged to the ledger before the data are read.")
        {
            input, source, table, schemaPath, epsilon, delta, method, rows, workload, output, ledger, datasetId, seed, maxModelSize,
            maxMemory, saveModel, rebalance, condition, force,
        };
        var ledgerFlags = new LedgerFlags();
        ledgerFlags.AddTo(command);
        command.SetAction(parse =>
        {
            var watch = Stopwatch.StartNew();
            var summary = SynthJob.Run(
                new SynthRequest(
                    parse.GetValue(input), parse.GetValue(source)!, parse.GetValue(table), parse.GetValue(schemaPath)!,
                    Number(parse.GetValue(epsilon)!, "--epsilon"), Number(parse.GetValue(delta)!, "--delta"),
                    SynthesizerFactory.FromCommandLine(
                        parse.GetValue(method)!, parse.GetValue(workload)!,
                        parse.GetValue(maxModelSize) is { } mb ? Number(mb, "--max-model-size") : null, parse.GetValue(seed)),
                    parse.GetValue(rows), parse.GetValue(output)!, ledgerFlags.Access(parse, parse.GetValue(ledger)),
                    parse.GetValue(datasetId), parse.GetValue(saveModel), parse.GetValue(rebalance), parse.GetValue(condition),
                    parse.GetValue(maxMemory), parse.GetValue(force) ? ExistingFile.Replace : ExistingFile.Refuse),
                parse.Err(),
                (run, data) => FitWithProgress(parse, run, data));
            parse.Out().WriteLine(Messages.SynthDone(
                summary.Method, summary.Rows, summary.Output, summary.Rho, summary.Measurements, watch.Elapsed.TotalSeconds));
            return 0;
        });
        return command;
    }

    /// <summary>Fits with a live Spectre.Console status on a terminal, and plain progress lines otherwise (to stderr).</summary>
    private static SynthesisResult FitWithProgress(ParseResult parse, ChargedRun run, IMarginalSource table)
    {
        var error = parse.Err();
        if (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return FitWithStatus(console, run, table);
        }

        return run.Fit(table, new Reporter(p => error.WriteLine(Describe(p))));
    }

    /// <summary>
    /// Fits under a live status on <paramref name="console"/> that shows the latest progress line. The start and each
    /// report are rendered at once rather than at the next timer tick, so a fast round is still seen (and tests read it).
    /// </summary>
    internal static SynthesisResult FitWithStatus(IAnsiConsole console, ChargedRun run, IMarginalSource table)
    {
        SynthesisResult? result = null;
        console.Status().Start(Messages.SynthStarting(run.Run.Synthesizer.Method), context =>
        {
            context.Refresh();
            result = run.Fit(table, new Reporter(p =>
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

    /// <summary>Reports synchronously on the fitting thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    internal sealed class Reporter(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }
}
