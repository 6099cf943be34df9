using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Privacy;

/// <summary>
/// The bounds on epsilon and rho (issue 14: <c>epsilon: 1e308</c> and <c>--rho 1e308</c> wrote an infinite epsilon
/// into the ledger; <c>synth --epsilon 1e308</c> never finished). Every entry point refuses out-of-range text with
/// exit 1 and one error line, before the ledger is touched.
/// </summary>
public sealed class PrivacyBoundsTests
{
    private const string LedgerBytes = "not a ledger: any write, or any read that got as far as parsing, would show\n";

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-9)]
    [InlineData(0.5)]
    [InlineData(1 - 1e-16)]
    public void AtTheBoundsEveryConversionIsFinite(double delta)
    {
        var rho = Rho.FromApproxDp(new ApproxDp(PrivacyBounds.MaxEpsilon, delta));

        Assert.InRange(rho.ToDoubleUp(), 1, PrivacyBounds.MaxEpsilon + 7);
        Assert.True(double.IsFinite(ZcdpConversion.EpsilonFromRho(Rho.FromDouble(PrivacyBounds.MaxRho), delta)));
        Assert.True(double.IsFinite(ZcdpConversion.EpsilonFromRho(rho, delta)));
        Assert.True(ExponentialMechanism.ForRho(Rho.FromDouble(PrivacyBounds.MaxRho)).Epsilon.ToDouble() < 300);
        Assert.True(GaussianMechanism.ForRho(Rho.FromDouble(PrivacyBounds.MaxRho)).SigmaSquared.ToDouble() >= 5e-5);
    }

    [Fact]
    public void AnEpsilonPastTheBoundIsRefusedByEveryConversion()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApproxDp(1e308, 1e-9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApproxDp(PrivacyBounds.MaxEpsilon * (1 + 1e-15), 1e-9));
        var ex = Assert.Throws<SynthesisSettingsException>(() => SynthesisBudget.FromEpsilonDelta(1e308, 1e-9));
        Assert.StartsWith("epsilon must be at most 10000, got 1E+308", ex.Message, StringComparison.Ordinal);
        Assert.Equal(PrivacyBounds.MaxEpsilon, new ApproxDp(PrivacyBounds.MaxEpsilon, 1e-9).Epsilon);
    }

    public static TheoryData<string, string> CommandLines() => new()
    {
        { "synth --epsilon 1e308", "epsilon must be at most 10000, got 1E+308" },
        { "synth --epsilon 10000.5", "epsilon must be at most 10000, got 10000.5" },
        { "synth --epsilon NaN", "epsilon must be a positive finite number" },
        { "synth --epsilon 1e999", "epsilon must be a positive finite number" },
        { "synth --delta 1", "delta must be strictly between 0 and 1" },
        { "synth --delta NaN", "delta must be strictly between 0 and 1" },
        { "audit-canaries --epsilon 1e308", "epsilon must be at most 10000, got 1E+308" },
        { "budget cap --epsilon 1e308", "--epsilon must be at most 10000, got 1E+308" },
        { "budget cap --epsilon 1e999", "--epsilon must be a number, not '1e999'" },
        { "budget cap --delta 1", "delta must be in (0, 1)" },
        { "budget charge --rho 1e308", "--rho must be at most 10000, got 1e308" },
        { "budget charge --rho 10000.000001", "--rho must be at most 10000, got 10000.000001" },
        { "budget charge --rho NaN", "--rho must be a number, not 'NaN'" },
        { "budget charge --rho Infinity", "--rho must be a number, not 'Infinity'" },
    };

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void TheCommandRefusesTheValueAndLeavesTheLedgerAlone(string change, string message)
    {
        using var dir = new TempDirectory();
        var ledger = dir.WriteFile("ledger.jsonl", LedgerBytes);
        var words = change.Split(' ');
        var (verb, option, value) = words.Length == 3 ? ([words[0]], words[1], words[2]) : (words[..2], words[2], words[3]);
        Dictionary<string, string> options = verb[0] switch
        {
            "synth" => new()
            {
                ["--input"] = DemoTable.Csv, ["--schema"] = DemoTable.Schema, ["--epsilon"] = "1", ["--delta"] = "1e-9",
                ["--out"] = dir.File("out.csv"), ["--ledger"] = ledger, ["--dataset-id"] = "demo",
            },
            "audit-canaries" => new()
            {
                ["--input"] = DemoTable.Csv, ["--schema"] = DemoTable.Schema, ["--epsilon"] = "1", ["--ledger"] = ledger, ["--dataset-id"] = "demo",
            },
            _ when verb[1] == "cap" => new() { ["--ledger"] = ledger, ["--dataset"] = "demo", ["--epsilon"] = "1", ["--delta"] = "1e-9" },
            _ => new() { ["--ledger"] = ledger, ["--dataset"] = "demo", ["--rho"] = "0.1", ["--mechanism"] = "external" },
        };
        options[option] = value;

        var result = CliRunner.Run([.. verb, .. options.SelectMany(kv => new[] { kv.Key, kv.Value })]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: " + message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal(LedgerBytes, File.ReadAllText(ledger));
        Assert.False(File.Exists(dir.File("out.csv")), "an output was written");
    }

    [Theory]
    [InlineData("epsilon: 1e308, delta: 1e-9", "privacy.epsilon", "'privacy.epsilon' must be at most 10000, got 1E+308")]
    [InlineData("epsilon: .inf, delta: 1e-9", "privacy.epsilon", "'privacy.epsilon' must be a finite number")]
    [InlineData("rho: 1e308", "privacy.rho", "'privacy.rho' must be at most 10000, got 1E+308")]
    [InlineData("epsilon: 1, delta: 1e-9, cap: {epsilon: 1e308, delta: 1e-9}", "privacy.cap.epsilon", "'privacy.cap.epsilon' must be at most 10000")]
    [InlineData("epsilon: 1, delta: 1", "privacy.delta", "'privacy.delta' must be strictly between 0 and 1")]
    public void APolicyPastABoundIsInvalidAndChargesNothing(string privacy, string key, string message)
    {
        using var dir = new TempDirectory();
        var ledger = dir.WriteFile("ledger.jsonl", LedgerBytes);
        var policy = dir.WriteFile("p.yaml", $$"""
            version: 1
            dataset: { id: demo, input: {{DemoTable.Csv}}, schema: {{DemoTable.Schema}} }
            privacy: { {{privacy}}, ledger: {{ledger}} }
            synthesizer: { method: mst }
            release: { output: {{dir.File("releases")}} }
            """);

        var result = CliRunner.Run("run", policy);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"({key}): {message}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal(LedgerBytes, File.ReadAllText(ledger));
        Assert.False(Directory.Exists(dir.File("releases")), "a release was written");
    }
}
