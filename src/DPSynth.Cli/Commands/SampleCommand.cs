using System.CommandLine;
using System.Globalization;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.IO;
using DPSynth.Release;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth sample</c>: draws rows from a saved model. Post-processing of DP outputs only: it never reads private data
/// and spends no privacy budget.
/// </summary>
internal static class SampleCommand
{
    /// <summary>The <c>sample</c> command.</summary>
    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "A model file written by `dpsynth synth --save-model`.", Required = true };
        var rows = new Option<int?>("--rows") { Description = "Rows to draw; default: the model's noisy estimate of the row count." };
        var output = new Option<string>("--out") { Description = "Where to write the rows (atomically): Parquet when it ends in .parquet, CSV otherwise.", Required = true };
        var seed = new Option<int?>("--seed") { Description = Messages.SeedHelp };
        var rebalance = new Option<string?>("--rebalance") { Description = Messages.RebalanceHelp };
        var condition = new Option<string?>("--condition") { Description = Messages.ConditionHelp };
        var force = new Option<bool>("--force") { Description = Messages.ForceReplaceHelp("--out") };
        var command = new Command(
            "sample",
            "Draw more, rebalanced or conditional rows from a saved model, at no further privacy cost (post-processing).")
        {
            model, rows, output, seed, rebalance, condition, force,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(rows) is { } n and <= 0)
            {
                throw new InputException(Messages.RowsOutOfRange(n));
            }

            var path = parse.GetValue(output)!;
            var existing = parse.GetValue(force) ? ExistingFile.Replace : ExistingFile.Refuse;
            new OutputGuard().Reads("--model", parse.GetValue(model)).WritesFile("--out", path, existing).Check();
            if (BundleLayout.BundleHolding(path) is { } bundle)
            {
                throw new InputException(Messages.SampleOutInsideBundle(path, bundle));
            }

            var (schema, result) = SamplingModel.Load(parse.GetValue(model)!, parse.Err());
            var request = SamplingRequest.Parse(schema, parse.GetValue(rebalance), parse.GetValue(condition));
            var random = parse.GetValue(seed) is { } s ? new Random(s) : new Random();
            var written = SyntheticFile.Write(path, schema, result.SampleChunks(random, parse.GetValue(rows), request), random, existing);
            if (request.ChangesDistribution)
            {
                parse.Err().WriteLine(Messages.DistributionChanged(request.Description));
            }

            parse.Out().WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"wrote {written} rows to {path} (no privacy budget spent)"));
            return 0;
        });
        return command;
    }
}
