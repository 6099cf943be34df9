using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DPSynth.Budget;
using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Release;
using DPSynth.Synthesizers;

namespace DPSynth.Policies;

/// <summary>Everything a release bundle is made from: DP outputs, public settings and stated disclosures only.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Plan">The synthesizer's plan.</param>
/// <param name="Sampling">The rebalancing or conditioning of the sampled rows.</param>
/// <param name="Result">The fitted synthesizer (DP outputs).</param>
/// <param name="Synthetic">The sampled rows.</param>
/// <param name="Charge">The run's ledger charge and the dataset's spend after it.</param>
/// <param name="RunId">The run id.</param>
/// <param name="KeyId">The fingerprint key's id.</param>
/// <param name="Fingerprint">The keyed input fingerprint.</param>
/// <param name="Created">When the run started.</param>
/// <param name="Attempts">Gate decisions on this input so far, this one included.</param>
/// <param name="Header">The reports' header.</param>
/// <param name="Budget">The reports' budget figures.</param>
/// <param name="InternalHtml">The internal report, copied in only when the policy opts in.</param>
internal sealed record ReleaseContents(
    Policy Policy, SynthesisPlan Plan, SamplingRequest Sampling, SynthesisResult Result, EncodedTable Synthetic,
    LedgerCharge Charge, string RunId, string KeyId, string Fingerprint, DateTimeOffset Created, int Attempts,
    ReportHeader Header, ReportBudget Budget, string InternalHtml);

/// <summary>
/// Assembles a policy run's release bundle (docs/release.md): the synthetic CSV, the optional model, the public report
/// and the manifest, written and signed atomically by <see cref="BundleWriter"/>.
/// </summary>
internal static class ReleaseAssembler
{
    /// <summary>
    /// Writes the bundle <paramref name="name"/> into <c>release.output</c>, signed with <paramref name="signer"/>;
    /// <paramref name="random"/> is the post-processing stream that decodes the CSV. Returns the bundle's folder.
    /// </summary>
    public static string Write(ReleaseContents release, string name, Random random, X509Certificate2 signer)
    {
        var (policy, plan, sampling, result, synthetic, charge, runId, keyId, fingerprint, created, attempts, header, budget,
            internalHtml) = release;
        var dataset = policy.Dataset;
        var schema = dataset.Schema;
        var domain = result.Domain;
        var disclosures = new List<string> { ReleaseDisclosures.AuditGatePassBit };
        if (policy.Release.PublishInternalFigures)
        {
            disclosures.Add(ReleaseDisclosures.InternalFiguresPublished);
        }

        var spentAfter = charge.Spend.Spent;
        var capRho = charge.Spend.Cap?.Rho;
        var publicHtml = PublicReport.Render(PublicReportContent.Create(header, budget, schema, result, synthetic, sampling, disclosures));

        var files = new List<BundleFile>
        {
            BundleFile.FromWriter("synthetic.csv", stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                CsvDecoder.Write(writer, schema, synthetic, random);
            }),
            Text("report.html", publicHtml),
        };
        if (policy.Release.PublishInternalFigures)
        {
            files.Add(Text("internal-report.html", internalHtml));
        }

        var modelFile = policy.Release.Formats.Contains("model") ? Path.Combine(Path.GetTempPath(), $"dpsynth-{runId}.dpsm") : null;
        try
        {
            if (modelFile is not null)
            {
                ModelFile.Save(modelFile, dataset.SchemaSource, result);
                files.Add(BundleFile.FromPath("model.dpsm", modelFile));
            }

            var manifest = new ReleaseManifest(
                ManifestTool.Current,
                created,
                runId,
                new ManifestPolicy(Path.GetFileName(policy.Path), policy.Sha256),
                new ManifestDataset(dataset.Id, new ManifestInputFingerprint(InputFingerprint.Algorithm, keyId, fingerprint)),
                new ManifestSchema(dataset.SchemaSource.Format, dataset.SchemaSource.Text),
                new ManifestSynthesizer(plan.Method, plan.Workload, plan.Parameters),
                ManifestPrivacy.For(
                    result.RhoSpent, ZcdpConversion.EpsilonFromRho(result.RhoSpent, policy.Privacy.Delta), policy.Privacy.Delta,
                    insecureNoise: false), // an insecure run returned before the bundle (Execute)
                [.. result.Selections.Select(s => new ManifestSelection(
                    s.Round, Names(domain, s.Selected), s.Candidates, s.Epsilon.ToDouble(), s.Sensitivity, s.Rho.ToDoubleUp()))],
                [.. result.Measurements.Select(m => new ManifestMeasurement(m.Round, Names(domain, m.Clique), m.Sigma, m.Rho.ToDoubleUp()))],
                new ManifestLedger(charge.Entry.Hash, spentAfter.ToDoubleUp(), capRho),
                new ManifestAudit(ManifestAudit.Pass, attempts),
                new ManifestSampling(synthetic.RowCount, sampling.ChangesDistribution, policy.Release.Rebalance, policy.Release.Condition),
                [.. disclosures])
            {
                DomainDiscovery = schema.DpDiscovery is { } learnt
                    ? ManifestDomainDiscovery.For(learnt, result.RhoSpent, policy.Privacy.Delta)
                    : null,
            };
            return BundleWriter.Write(policy.Release.Output, name, manifest, files, signer).Directory;
        }
        finally
        {
            if (modelFile is not null)
            {
                File.Delete(modelFile);
            }
        }
    }

    private static BundleFile Text(string name, string text) =>
        BundleFile.FromWriter(name, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    private static ImmutableArray<string> Names(Domain domain, Clique clique) =>
        [.. clique.Attributes.ToArray().Select(a => domain.Names[a])];
}
