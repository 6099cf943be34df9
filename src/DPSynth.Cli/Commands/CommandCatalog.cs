using System.CommandLine;

namespace DPSynth.Cli.Commands;

/// <summary>Every verb of the command line; one file per verb registers itself here.</summary>
internal static class CommandCatalog
{
    /// <summary>The top-level commands, in the order <c>--help</c> lists them.</summary>
    public static IEnumerable<Command> All()
    {
        yield return RunCommand.Build();
        yield return SchemaCommand.Build();
        yield return BudgetCommand.Create();
        yield return SynthCommand.Build();
        yield return SampleCommand.Build();
        yield return EvaluateCommand.Build();
        yield return AuditCommand.Build();
        yield return AuditCanariesCommand.Build();
        yield return KeysCommand.Build();
        yield return VerifyCommand.Build();
    }
}
