using DPSynth.Cli.Commands;
using DPSynth.Marginals;
using DPSynth.Pipeline;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Synthesizers;
using Spectre.Console;

namespace DPSynth.Tests.Cli;

/// <summary>synth's live Spectre.Console status on a terminal (the plain-line path is covered by SynthCliTests).</summary>
public sealed class SynthStatusTests
{
    [Fact]
    public void TheTerminalStatusRendersEveryProgressReportWithRoundRhoModelSizeAndLoss()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = 250; // wide enough that no status line is cut or wrapped
        var options = new AimOptions { Rounds = 8, Iterations = 50, FinalIterations = 50 };
        var aim = new Aim(Workload.AllKWay(ChainTables.Domain, 2), options);
        var recording = new RecordingSynthesizer(aim);
        var data = ChainTables.Generate(500, seed: 3);

        // Not statistical: whatever the noise, AIM reports the 1-way fit, round 1 and the final estimate, and the
        // assertions compare the rendering with the reports it was given.
        var run = new SynthesisRun(recording, SynthesisBudget.FromEpsilonDelta(1, 1e-6), 1e-6).Unrecorded();
        var result = SynthCommand.FitWithStatus(console, run, new InMemoryMarginalSource(data));
        var rendered = text.ToString();

        Assert.Equal("aim", result.Method);
        Assert.Contains("\u001b[", rendered, StringComparison.Ordinal); // the ANSI path: escape codes, not plain lines
        Assert.Contains(Diagnostics.Messages.SynthStarting("aim"), rendered, StringComparison.Ordinal);
        Assert.NotEmpty(recording.Reports);
        Assert.All(
            recording.Reports, p => Assert.Contains(SynthCommand.Describe(p), rendered, StringComparison.Ordinal));

        // The round line reads "aim: round 1 of 8: rho used <x> of <rho> (<p>%), model <mb> MB, loss <l>".
        var first = Assert.Single(recording.Reports, p => p.Phase == "round" && p.Round == 1);
        Assert.Matches(
            @"aim: round 1 of 8: rho used [0-9.e-]+ of [0-9.e-]+ \([0-9.]+%\), model [0-9.]+ MB, loss [0-9.e+-]+",
            SynthCommand.Describe(first));
        Assert.Contains("aim: round 1 of 8: rho used ", rendered, StringComparison.Ordinal);
        Assert.Contains("aim: final estimate: rho used ", rendered, StringComparison.Ordinal);
    }

    /// <summary>Passes the progress reports through to the caller's reporter and keeps them.</summary>
    private sealed class RecordingSynthesizer(ISynthesizer inner) : ISynthesizer
    {
        public List<SynthesisProgress> Reports { get; } = [];

        public string Method => inner.Method;

        public Domain Domain => inner.Domain;

        public SynthesisPlan Plan(Rho rho) => inner.Plan(rho);

        public SynthesisResult Fit(
            IMarginalSource data, ZcdpAccountant accountant, IProgress<SynthesisProgress>? progress = null) =>
            inner.Fit(data, accountant, new SynthCommand.Reporter(p =>
            {
                Reports.Add(p);
                progress?.Report(p);
            }));
    }
}
