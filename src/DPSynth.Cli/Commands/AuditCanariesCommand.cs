using System.CommandLine;
using DPSynth.Audits;
using DPSynth.Diagnostics;
using DPSynth.Pipeline;
using DPSynth.Synthesizers;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth audit-canaries --input CSV --schema YAML --epsilon E --delta D [--method aim|mst|mwem]</c>: the one-run
/// canary audit of a synthesizer (Steinke, Nasr, Jagielski 2023). One full, charged synthesizer run.
/// </summary>
internal static class AuditCanariesCommand
{
    /// <summary>The <c>audit-canaries</c> verb.</summary>
    public static Command Build()
    {
        var input = new Option<string>("--input") { Description = "The CSV to synthesize from (with the canaries added).", Required = true };
        var schemaPath = new Option<string>("--schema") { Description = "A YAML schema, or a Private-PGM domain JSON (*.json).", Required = true };
        var epsilon = new Option<double>("--epsilon") { Description = "The claimed epsilon of the run.", Required = true };
        var delta = new Option<double>("--delta") { Description = "The claimed delta of the run.", DefaultValueFactory = _ => 1e-9 };
        var method = new Option<string>("--method") { Description = "aim, mst or mwem.", DefaultValueFactory = _ => "aim" };
        var canaries = new Option<int>("--canaries") { Description = "The number m of canaries.", DefaultValueFactory = _ => 200 };
        var guesses = new Option<int>("--guesses") { Description = "k+ = k-: canaries guessed in, and out.", DefaultValueFactory = _ => 50 };
        var ledger = new Option<string?>("--ledger") { Description = "The budget ledger to charge this run to." };
        var dataset = new Option<string?>("--dataset-id") { Description = "The dataset id in the ledger." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var workload = new Option<string>("--workload")
        {
            Description = "The marginals to preserve (aim, mwem): 2way (default) or 3way, as in `synth`.", DefaultValueFactory = _ => "2way",
        };
        var maxModelSize = new Option<double?>("--max-model-size") { Description = "The model-size cap in MB (aim, mwem), as in `synth`." };
        var command = new Command(
            "audit-canaries",
            "Audit a synthesizer with canary rows in one run and print a lower bound on its epsilon. This is a full " +
            "synthesizer run on the input: charge it to the ledger on production data.")
        {
            input, schemaPath, epsilon, delta, method, workload, maxModelSize, canaries, guesses, ledger, dataset, json,
        };
        var ledgerFlags = new LedgerFlags();
        ledgerFlags.AddTo(command);
        command.SetAction(parse =>
        {
            var ledgerPath = parse.GetValue(ledger);
            var datasetId = parse.GetValue(dataset);
            var eps = parse.GetValue(epsilon);
            var del = parse.GetValue(delta);
            var (audited, result) = CanaryAuditJob.Run(
                new CanaryAuditRequest(
                    parse.GetValue(input)!, parse.GetValue(schemaPath)!, eps, del,
                    SynthesizerFactory.FromCommandLine(parse.GetValue(method)!, parse.GetValue(workload)!, parse.GetValue(maxModelSize), null),
                    parse.GetValue(canaries), parse.GetValue(guesses), ledgerFlags.Access(parse, ledgerPath), datasetId),
                parse.Err());
            var o = parse.Out();
            if (parse.GetValue(json))
            {
                o.WriteLine(CanaryAuditJson.Of(audited, eps, del, result, ledgerPath is not null).ToJson());
            }
            else
            {
                o.WriteLine(Messages.CanaryAuditReport(
                    audited, eps, del, result.Canaries, result.Guesses, result.CorrectGuesses, result.EpsilonLowerBound, result.Confidence));
                o.WriteLine(Messages.CanaryAuditChargeNotice);
            }

            parse.Err().WriteLine(ledgerPath is null ? Messages.CanaryAuditUncharged : Messages.CanaryAuditCharged(datasetId!, ledgerPath));
            if (result.EpsilonLowerBound > eps)
            {
                parse.Err().WriteLine($"error: {Messages.CanaryAuditAboveClaim(result.EpsilonLowerBound, eps)}");
                return (int)ExitCode.AuditGateFailed;
            }

            return 0;
        });
        return command;
    }
}
