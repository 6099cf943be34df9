using System.CommandLine;
using System.Globalization;
using DPSynth.Diagnostics;
using DPSynth.Policies;
using Spectre.Console;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth run &lt;policy.yaml | folder&gt;</c>: runs one policy, or every policy in a folder one after another (keeping
/// going past a failed one: an unreadable, malformed or refused policy, or a bug met while running one, never stops the
/// others), then prints a summary table and one <c>error:</c> line per policy that did not succeed, and exits with the
/// highest exit code of them (<see cref="ExitCode"/>: 0 ok, 1 usage or input or a failed run, 2 budget refused or outcome
/// not anchored, 3 audit gate failed, 4 verification failed, 70 internal error). Safe to re-run: a policy already released on the same input is skipped unless <c>--force</c>.
/// <c>--dry-run</c> validates and prices every policy without touching the data.
/// </summary>
internal static class RunCommand
{
    /// <summary>The <c>run</c> command.</summary>
    public static Command Build()
    {
        var target = new Argument<string>("policy") { Description = "A policy file (*.yaml), or a folder: every *.yaml / *.yml in it but *.schema.yaml, by name." };
        var ledger = new Option<string?>("--ledger") { Description = "The budget ledger; overrides each policy's privacy.ledger." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate every policy and print the budget each run would spend, without touching the data." };
        var force = new Option<bool>("--force")
        {
            Description = "Run a policy again even if it was already released on the same input, or has an unfinished charge (charges the budget again).",
        };
        var allowInsecure = new Option<bool>("--allow-insecure-noise")
        {
            Description = "Let policies with insecure_deterministic_noise run (tests only): their output is NOT PRIVATE, never signed or released.",
        };
        var maxMemory = new Option<string?>("--max-memory")
        {
            Description = Messages.MaxMemoryHelp + " Overrides each policy's synthesizer.max_memory.",
        };
        var command = new Command(
            "run",
            "Run YAML policies end to end: charge the ledger, synthesize, audit, and release a signed bundle per dataset.")
        {
            target, ledger, dryRun, force, allowInsecure, maxMemory,
        };
        var ledgerFlags = new LedgerFlags();
        ledgerFlags.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(maxMemory) is { } limit)
            {
                ByteSize.Parse(limit, "--max-memory"); // a bad size stops the batch before any policy is read
            }

            var policies = Policies(parse.GetValue(target)!);
            var runner = new PolicyRunner(
                new RunOptions(
                    parse.GetValue(ledger), parse.GetValue(dryRun), parse.GetValue(force), parse.GetValue(allowInsecure),
                    parse.GetValue(ledgerFlags.Init), parse.GetValue(ledgerFlags.AllowUncapped), parse.GetValue(maxMemory)),
                parse.Err(),
                new SynthCommand.Reporter(p => parse.Err().WriteLine(SynthCommand.Describe(p))));
            var results = new List<PolicyRunResult>();
            foreach (var path in policies)
            {
                parse.Err().WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {path}"));
                results.Add(runner.Run(path));
            }

            WriteSummary(parse, results);
            foreach (var failed in results.Where(r => r.Status.ToExitCode() != ExitCode.Ok))
            {
                var recap = Messages.RunPolicyNotDone(Path.GetFileName(failed.PolicyPath), failed.Status.Label(), failed.Message);
                parse.Err().WriteLine($"error: {recap}");
            }

            // The documented rule (ExitCode): the highest code of the policies.
            return results.Max(r => (int)r.Status.ToExitCode());
        });
        return command;
    }

    private static IReadOnlyList<string> Policies(string target)
    {
        if (Directory.Exists(target))
        {
            // Schema files usually sit beside the policies that name them (policies/examples/adult.schema.yaml); they are
            // not policies, and running one would only report it invalid and fail the batch.
            var files = Directory.EnumerateFiles(target)
                .Where(f => HasExtension(f, ".yaml", ".yml") && !HasExtension(f, ".schema.yaml", ".schema.yml"))
                .Order(StringComparer.Ordinal)
                .ToList();
            return files.Count > 0 ? files : throw new InputException(Messages.RunNoPolicies(target));
        }

        return File.Exists(target) ? [target] : throw new InputException(Messages.FileNotFound(target));
    }

    private static bool HasExtension(string path, string first, string second) =>
        path.EndsWith(first, StringComparison.OrdinalIgnoreCase) || path.EndsWith(second, StringComparison.OrdinalIgnoreCase);

    private static void WriteSummary(ParseResult parse, IReadOnlyList<PolicyRunResult> results)
    {
        string[] headers = ["policy", "dataset", "epsilon spent", "audit", "result", "output"];
        var rows = results.Select(r => new[]
        {
            Path.GetFileName(r.PolicyPath), r.DatasetId is { } id ? DisplayText.Of(id, DisplayText.MaxNameLength) : "-", r.EpsilonSpent.ToString("G4", CultureInfo.InvariantCulture), r.Audit,
            r.Status.Label(), r.Output ?? "-",
        }).ToList();
        var output = parse.Out();
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
        {
            var table = new Table().Title("dpsynth run");
            foreach (var header in headers)
            {
                table.AddColumn(header);
            }

            foreach (var row in rows)
            {
                table.AddRow([.. row.Select(Markup.Escape)]);
            }

            AnsiConsole.Write(table);
            return;
        }

        // Plain, aligned columns for logs and pipes.
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }
}
