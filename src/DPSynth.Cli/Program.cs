namespace DPSynth.Cli;

/// <summary>Entry point of the <c>dpsynth</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => DPSynthCli.Run(args, Console.Out, Console.Error);
}
