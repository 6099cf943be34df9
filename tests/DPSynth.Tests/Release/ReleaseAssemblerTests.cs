using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Pipeline;
using DPSynth.Privacy;
using DPSynth.Release;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

/// <summary>
/// <see cref="ReleaseAssembler"/> used as a library (the way an operator's own program would, without the policy
/// runner): the demo table is charged to a ledger, fitted and sampled, and the bundle assembled from the result.
/// </summary>
public sealed class ReleaseAssemblerTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void AFitWithInsecureSeededNoiseIsNeverWrittenOrSigned()
    {
        // The audit's repro: ChargedRun.Fit with an insecure seed, then ReleaseAssembler.Write. The result carries the
        // fact itself; nothing the caller puts into ReleaseContents can turn it off.
        var fit = Fit(insecureSeed: 42);
        Assert.True(fit.Charged.UsedInsecureNoise);
        Assert.True(fit.Result.UsedInsecureNoise);
        using var signer = ReleaseFixtures.Certificate();
        var output = temp.File("releases");

        foreach (var includeModel in new[] { false, true })
        {
            var ex = Assert.Throws<InputException>(() => ReleaseAssembler.Write(
                fit.Contents(output, ReleaseTime.For(DateTimeOffset.UtcNow, signer), includeModel), "insecure", new Random(1), signer));
            Assert.Equal(Messages.BundleInsecureNoise, ex.Message);
        }

        // Nothing at all: no bundle, no staging folder, no lock file.
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
    }

    [Fact]
    public void AnInsecureModelSavedAndLoadedBackIsStillNeverReleased()
    {
        // Saving and loading must not wash the flag out: the model file carries it.
        var fit = Fit(insecureSeed: 42);
        var path = temp.File("insecure.dpsm");
        ModelFile.Save(path, fit.Source, fit.Result);
        Assert.Contains("\"insecureNoise\":true", File.ReadAllText(path), StringComparison.Ordinal);
        var (_, _, loaded) = ModelFile.Load(path);
        Assert.True(loaded.UsedInsecureNoise);

        using var signer = ReleaseFixtures.Certificate();
        var output = temp.File("releases");
        var contents = (fit with { Result = loaded }).Contents(output, ReleaseTime.For(DateTimeOffset.UtcNow, signer), includeModel: true);
        Assert.Throws<InputException>(() => ReleaseAssembler.Write(contents, "reloaded", new Random(1), signer));
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
    }

    [Fact]
    public void AnInsecureModelIsNeverSampledFrom()
    {
        // `dpsynth sample` writes rows meant for use: a model of insecure noise must not be a way around the bundle's refusal.
        var fit = Fit(insecureSeed: 42);
        var path = temp.File("insecure.dpsm");
        ModelFile.Save(path, fit.Source, fit.Result);

        var ex = Assert.Throws<InputException>(() => SamplingModel.Load(path, TextWriter.Null));

        Assert.Equal(Messages.SampleInsecureModel(path), ex.Message);
    }

    [Fact]
    public void ABundledModelIsSampledOnlyWhileItMatchesTheSignedManifest()
    {
        var fit = Fit(insecureSeed: null);
        using var signer = ReleaseFixtures.Certificate();
        var bundle = WriteBundle(fit, signer, includeModel: true, "with-model");
        var model = Path.Combine(bundle, "model.dpsm");
        using var log = new StringWriter();

        var (_, loaded) = SamplingModel.Load(model, log);

        Assert.Equal(fit.Result.Model.Total, loaded.Model.Total);
        // Checked for integrity only: the log names the signer's fingerprint and says it was not checked.
        Assert.Contains(
            Messages.BundledModelVerified(model, BundleLayout.BundleHolding(model)!, SigningCertificate.Sha256(signer)),
            log.ToString(),
            StringComparison.Ordinal);

        // Rows written into the bundle would break it (an unlisted file): refused before anything is read.
        var inside = CliRunner.Run("sample", "--model", model, "--rows", "50", "--out", Path.Combine(bundle, "more.csv"));
        Assert.Equal(1, inside.ExitCode);
        Assert.Contains(Messages.SampleOutInsideBundle(Path.Combine(bundle, "more.csv"), bundle), inside.Error, StringComparison.Ordinal);
        Assert.True(BundleVerifier.Verify(bundle, expectedSigner: signer).IsValid);

        // Hand-edited inside the bundle (the total, still a valid model file): refused, and the message says why.
        var text = File.ReadAllText(model);
        var total = fit.Result.Model.Total.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"\"total\":{total}", text, StringComparison.Ordinal);
        File.WriteAllText(model, text.Replace($"\"total\":{total}", "\"total\":1000000", StringComparison.Ordinal));
        Assert.NotNull(ModelFile.Load(model).Result);
        var ex = Assert.Throws<InputException>(() => SamplingModel.Load(model, TextWriter.Null));
        Assert.StartsWith(Messages.BundledModelNotVerified(model, bundle, []).Split('(')[0], ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.dpsm", ex.Message, StringComparison.Ordinal);
        var sample = CliRunner.Run("sample", "--model", model, "--rows", "50", "--out", temp.File("edited.csv"));
        Assert.Equal(1, sample.ExitCode);
        Assert.False(File.Exists(temp.File("edited.csv")));

        // The same edited file outside any bundle is a plain model file: there is nothing to check it against.
        var copy = temp.File("copied.dpsm");
        File.Copy(model, copy);
        Assert.Equal(1000000, SamplingModel.Load(copy, TextWriter.Null).Result.Model.Total);
    }

    [Fact]
    public void AModelBesideAManifestThatDoesNotListItIsNotSampled()
    {
        var fit = Fit(insecureSeed: null);
        using var signer = ReleaseFixtures.Certificate();
        var bundle = WriteBundle(fit, signer, includeModel: false, "no-model");
        var model = Path.Combine(bundle, "other.dpsm");
        ModelFile.Save(model, fit.Source, fit.Result);

        // The extra file already breaks the bundle's verification (nothing unlisted may be in a bundle).
        Assert.Throws<InputException>(() => SamplingModel.Load(model, TextWriter.Null));
    }

    [Fact]
    public void ASecureFitIsWrittenSignedAndVerifiesAndSaysItsNoiseWasSecure()
    {
        var fit = Fit(insecureSeed: null);
        Assert.False(fit.Charged.UsedInsecureNoise);
        Assert.False(fit.Result.UsedInsecureNoise);
        using var signer = ReleaseFixtures.Certificate();

        var bundle = ReleaseAssembler.Write(
            fit.Contents(temp.File("releases"), ReleaseTime.For(DateTimeOffset.UtcNow, signer), includeModel: false), "secure",
            new Random(1), signer);

        var verification = BundleVerifier.Verify(bundle, expectedSigner: signer);
        Assert.True(verification.IsValid, string.Join("\n", verification.Problems));
        Assert.False(verification.Manifest!.Privacy.InsecureNoise);
    }

    [Fact]
    public void TheModelIsWrittenInsideTheBundleNeverAtAGuessablePathInTheSharedTempFolder()
    {
        // Another local user can read the run id in the ledger and take /tmp/dpsynth-<run id>.dpsm first (here as a
        // folder, which no rename can replace): the bundle must not depend on that path at all.
        var fit = Fit(insecureSeed: null);
        var squatted = Path.Combine(Path.GetTempPath(), $"dpsynth-{fit.Charged.RunId}.dpsm");
        Directory.CreateDirectory(squatted);
        try
        {
            using var signer = ReleaseFixtures.Certificate();
            var bundle = ReleaseAssembler.Write(
                fit.Contents(temp.File("releases"), ReleaseTime.For(DateTimeOffset.UtcNow, signer), includeModel: true), "with-model",
                new Random(1), signer);

            Assert.True(BundleVerifier.Verify(bundle, expectedSigner: signer).IsValid);
            var model = Path.Combine(bundle, "model.dpsm");
            Assert.DoesNotContain("insecureNoise", File.ReadAllText(model), StringComparison.Ordinal); // other models keep their bytes
            var (_, source, loaded) = ModelFile.Load(model);
            Assert.False(loaded.UsedInsecureNoise);
            Assert.Equal(fit.Source.Text, source.Text);
            Assert.Equal(fit.Result.RhoSpent, loaded.RhoSpent);
            Assert.Equal(fit.Result.Model.Total, loaded.Model.Total);
            Assert.True(Directory.Exists(squatted));
            Assert.Empty(Directory.EnumerateFileSystemEntries(squatted));
        }
        finally
        {
            Directory.Delete(squatted, recursive: true);
        }
    }

    private string WriteBundle(Fitted fit, System.Security.Cryptography.X509Certificates.X509Certificate2 signer, bool includeModel, string name) =>
        ReleaseAssembler.Write(
            fit.Contents(temp.File("releases"), ReleaseTime.For(DateTimeOffset.UtcNow, signer), includeModel), name, new Random(1), signer);

    private Fitted Fit(ulong? insecureSeed)
    {
        var schema = TableSchema.Load(DemoTable.Schema);
        var source = new SchemaSource("yaml", File.ReadAllText(DemoTable.Schema), "visits.schema.yaml");
        var run = new SynthesisRun(
            SynthesizerFactory.Create(schema, SynthesizerFactory.FromCommandLine("mst", "2way", null, 7)),
            SynthesisBudget.FromEpsilonDelta(1, 1e-9),
            1e-9);
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        var charged = run.Charge(ledger, "visits", run.Mechanism);
        var result = charged.Fit(CsvEncoder.EncodeFile(DemoTable.Csv, schema).Table, null, insecureSeed);
        var sampling = SamplingRequest.Parse(schema, null, null);
        var key = FingerprintKey.LoadOrCreate(ledger.Path);
        return new Fitted(schema, source, run, charged, result, result.Sample(new Random(1), null, sampling), sampling,
            key.KeyId, InputFingerprint.Compute(key, DemoTable.Csv));
    }

    private sealed record Fitted(
        TableSchema Schema, SchemaSource Source, SynthesisRun Run, ChargedRun Charged, SynthesisResult Result, EncodedTable Synthetic,
        SamplingRequest Sampling, string KeyId, string Fingerprint)
    {
        public ReleaseContents Contents(string output, DateTimeOffset created, bool includeModel) => new(
            new ManifestPolicy("library.yaml", new string('0', 64)), "visits", Source, Schema,
            new ReleaseTarget(output, PublishInternalFigures: false, includeModel, null, null),
            Run.Plan, Run.Spend, Sampling, Result, Synthetic, Charged.Record!.Charge, Charged.RunId, KeyId, Fingerprint, created, 1,
            ReportHeader.For("visits", "library.yaml", Charged.RunId, created, Run.Plan),
            ReportBudget.For(Run.Spend, Charged.Record!.Charge.Spend), "<!doctype html><title>internal</title>");
    }
}
