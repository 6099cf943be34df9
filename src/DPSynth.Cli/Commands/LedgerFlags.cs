using System.CommandLine;
using DPSynth.Budget;
using DPSynth.Pipeline;

namespace DPSynth.Cli.Commands;

/// <summary>
/// The ledger switches shared by every command that charges (<c>run</c>, <c>synth</c>, <c>audit-canaries</c>,
/// <c>budget charge</c>): <c>--init-ledger</c> and <c>--allow-uncapped</c>. Both are off by default, so a missing ledger
/// and an uncapped dataset are refused (docs/ledger.md).
/// </summary>
internal sealed class LedgerFlags
{
    /// <summary><c>--init-ledger</c>.</summary>
    public Option<bool> Init { get; } = new("--init-ledger")
    {
        Description = "Create the ledger first if it does not exist and nothing shows one existed (as 'budget init'); " +
            "a deleted ledger is never re-created.",
    };

    /// <summary><c>--allow-uncapped</c>.</summary>
    public Option<bool> AllowUncapped { get; } = new("--allow-uncapped")
    {
        Description = "Charge a dataset that has no cap in the ledger (refused by default: nothing would limit its spend).",
    };

    /// <summary>Adds both switches to <paramref name="command"/>; <paramref name="withInit"/> false leaves out <c>--init-ledger</c>.</summary>
    public void AddTo(Command command, bool withInit = true)
    {
        if (withInit)
        {
            command.Options.Add(Init);
        }

        command.Options.Add(AllowUncapped);
    }

    /// <summary>The ledger at <paramref name="path"/> with these switches, or null without a path.</summary>
    public LedgerAccess? Access(ParseResult parse, string? path) =>
        path is null ? null : new LedgerAccess(path, parse.GetValue(Init), parse.GetValue(AllowUncapped));

    /// <summary>The ledger at <paramref name="path"/> with these switches applied: created first when <c>--init-ledger</c> asks.</summary>
    public BudgetLedger Open(ParseResult parse, string path) => Access(parse, path)!.Open(parse.Err());
}
