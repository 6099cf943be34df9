using System.Globalization;
using System.Text.RegularExpressions;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Policies;

/// <summary>The README's first command, <c>dpsynth run policies/demo.yaml --init-ledger</c>, on a copy of the policies folder.</summary>
public sealed class DemoPolicyTests : IDisposable
{
    private readonly TempDirectory temp = new();

    /// <summary>Each column of policies/demo/visits.schema.yaml and the text its synthetic cells may take.</summary>
    private static readonly OrderedDictionary<string, Func<string, bool>> Formats = new()
    {
        ["age"] = v => IsInteger(v, 0, 100),
        ["sex"] = v => v is "F" or "M",
        ["region"] = v => v is "North" or "South" or "East" or "West" or "Central",
        ["insurance"] = v => v is "Public" or "Private" or "None",
        ["diagnosis"] = v =>
            v is "Respiratory" or "Cardiac" or "Injury" or "Digestive" or "Maternity" or "Mental health" or "Other",
        ["admit_date"] = v =>
            DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) &&
            d >= new DateOnly(2024, 1, 1) && d <= new DateOnly(2025, 12, 31),
        ["length_of_stay"] = v => IsInteger(v, 0, 60),
        ["smoker"] = v => v is "true" or "false" or "",
        ["bmi"] = v => v.Length == 0 || IsDecimal(v, 1, 12, 60),
        ["cost"] = v => IsDecimal(v, 2, 0, 250000),
        ["readmitted"] = v => v is "no" or "yes",
    };

    public void Dispose() => temp.Dispose();

    [Fact]
    public void TheDemoPolicyReleasesAVerifiedBundleAndARerunSpendsNothing()
    {
        // Copy, so the test writes its ledger and bundles under the temp folder rather than into the checkout's out/.
        var policies = Directory.CreateDirectory(Path.Combine(temp.Path, "policies")).FullName;
        var demo = Directory.CreateDirectory(Path.Combine(policies, "demo")).FullName;
        var source = Path.Combine(SharedData.RepositoryRoot, "policies");
        File.Copy(Path.Combine(source, "demo.yaml"), Path.Combine(policies, "demo.yaml"));
        foreach (var file in new[] { "visits.csv", "visits.schema.yaml" })
        {
            File.Copy(Path.Combine(source, "demo", file), Path.Combine(demo, file));
        }

        var first = CliRunner.Run("run", Path.Combine(policies, "demo.yaml"), "--init-ledger");
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var releases = Path.Combine(temp.Path, "out", "releases");
        var bundle = Assert.Single(Directory.GetDirectories(releases), d => !d.EndsWith(".internal", StringComparison.Ordinal));
        Assert.True(Directory.Exists(bundle + ".internal"));
        var certificate = Path.Combine(temp.Path, "out", "test-signing", "signing.crt.pem");
        var verify = CliRunner.Run("verify", bundle, "--certificate", certificate);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);

        // The synthetic CSV has the demo's columns, in order, and every cell the format visits.schema.yaml declares.
        var lines = File.ReadAllLines(Path.Combine(bundle, "synthetic.csv"));
        Assert.Equal(File.ReadLines(Path.Combine(demo, "visits.csv")).First(), lines[0]);
        Assert.Equal(string.Join(',', Formats.Keys), lines[0]);
        // Not statistical: the model's total is max(1, estimate), so the default row count is at least 1 whatever the noise;
        // the formats below hold for every decoded cell.
        Assert.True(lines.Length > 1, "the bundle has synthetic rows");
        var checks = Formats.Values.ToArray();
        foreach (var line in lines.Skip(1))
        {
            // No declared value holds a comma or a quote, so a row is its fields joined by commas, unquoted.
            var fields = line.Split(',');
            Assert.True(fields.Length == checks.Length, line);
            for (var c = 0; c < checks.Length; c++)
            {
                Assert.True(checks[c](fields[c]), $"{lines[0].Split(',')[c]} = '{fields[c]}' in: {line}");
            }
        }

        var ledger = Path.Combine(temp.Path, "out", "ledger.jsonl");
        var before = File.ReadAllBytes(ledger);
        var second = CliRunner.Run("run", Path.Combine(policies, "demo.yaml"), "--init-ledger");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("skipped (already released)", second.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(ledger));
    }

    private static bool IsInteger(string text, long min, long max) =>
        Regex.IsMatch(text, "^(0|[1-9][0-9]*)$") &&
        long.Parse(text, CultureInfo.InvariantCulture) is var n && n >= min && n <= max;

    // Exactly the declared number of decimals (the decoder writes "F<decimals>"), within the declared bounds.
    private static bool IsDecimal(string text, int decimals, double min, double max) =>
        Regex.IsMatch(text, $"^(0|[1-9][0-9]*)\\.[0-9]{{{decimals}}}$") &&
        double.Parse(text, CultureInfo.InvariantCulture) is var x && x >= min && x <= max;
}
