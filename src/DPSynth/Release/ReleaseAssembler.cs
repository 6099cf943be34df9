using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DPSynth.Budget;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Release;

/// <summary>Where a bundle goes and what it holds besides the synthetic rows (a policy's <c>release</c> section).</summary>
/// <param name="Output">The release folder the bundle is written into.</param>
/// <param name="PublishInternalFigures">Whether the internal report is copied in (a stated disclosure).</param>
/// <param name="IncludeModel">Whether the fitted model is included (<c>model.dpsm</c>).</param>
/// <param name="Rebalance">The rebalancing as written, or null.</param>
/// <param name="Condition">The condition as written, or null.</param>
public sealed record ReleaseTarget(string Output, bool PublishInternalFigures, bool IncludeModel, string? Rebalance, string? Condition);

/// <summary>Everything a release bundle is made from: DP outputs, public settings and stated disclosures only.</summary>
/// <param name="Policy">The policy file's name and SHA-256.</param>
/// <param name="DatasetId">The dataset id in the ledger.</param>
/// <param name="SchemaSource">The public schema's text, as the manifest carries it.</param>
/// <param name="Schema">The public schema that text declares.</param>
/// <param name="Target">Where the bundle goes and what it holds.</param>
/// <param name="Plan">The synthesizer's plan.</param>
/// <param name="Spend">What the run charged (the one spend record of the run).</param>
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
/// <param name="InternalHtml">The internal report, copied in only when the target opts in.</param>
public sealed record ReleaseContents(
    ManifestPolicy Policy, string DatasetId, SchemaSource SchemaSource, TableSchema Schema, ReleaseTarget Target, SynthesisPlan Plan, PrivacySpend Spend,
    SamplingRequest Sampling, SynthesisResult Result, EncodedTable Synthetic, LedgerCharge Charge, string RunId, string KeyId,
    string Fingerprint, DateTimeOffset Created, int Attempts, ReportHeader Header, ReportBudget Budget, string InternalHtml);

/// <summary>
/// Assembles a policy run's release bundle (docs/release.md): the synthetic CSV, the optional model, the public report
/// and the manifest, written and signed atomically by <see cref="BundleWriter"/>.
/// </summary>
public static class ReleaseAssembler
{
    /// <summary>
    /// Writes the bundle <paramref name="name"/> into the target's release folder, signed with <paramref name="signer"/>;
    /// <paramref name="random"/> is the post-processing stream that decodes the CSV. Returns the bundle's folder.
    /// </summary>
    /// <exception cref="InputException">
    /// The fit drew noise from the insecure seeded test source (<see cref="SynthesisResult.UsedInsecureNoise"/>): NOT
    /// PRIVATE, so nothing is written or signed. Also the refusals of <see cref="BundleWriter.Write"/>.
    /// </exception>
    public static string Write(ReleaseContents release, string name, Random random, X509Certificate2 signer)
    {
        ArgumentNullException.ThrowIfNull(release);
        var (policy, datasetId, schemaSource, schema, target, plan, spend, sampling, result, synthetic, charge, runId, keyId, fingerprint,
            created, attempts, header, budget, internalHtml) = release;

        // Fail closed on the result's own record of its noise, before anything is rendered or written: the caller has no
        // say in it. The manifest states the same flag, so the writer's own refusal stands behind this one.
        if (result.UsedInsecureNoise)
        {
            throw new InputException(Messages.BundleInsecureNoise);
        }

        var domain = result.Domain;
        var disclosures = new List<string> { ReleaseDisclosures.AuditGatePassBit };
        if (target.PublishInternalFigures)
        {
            disclosures.Add(ReleaseDisclosures.InternalFiguresPublished);
        }

        var spentAfter = charge.Spend.Spent;
        var capRho = charge.Spend.Cap?.Rho;
        var publicHtml = PublicReport.Render(PublicReportContent.Create(header, budget, schema, result, synthetic, sampling, disclosures));

        var files = new List<BundleFile>
        {
            BundleFile.FromWriter(BundleLayout.SyntheticFileName, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                CsvDecoder.Write(writer, schema, synthetic, random);
            }),
            Text(BundleLayout.PublicReportFileName, publicHtml),
        };
        if (target.PublishInternalFigures)
        {
            files.Add(Text("internal-report.html", internalHtml));
        }

        if (target.IncludeModel)
        {
            // Written straight into the bundle's own staging folder: a fixed path in the shared temp folder, named by the
            // run id (which the ledger shows), could be taken first by another local user and make the run fail after
            // its charge.
            files.Add(BundleFile.FromWriter("model.dpsm", stream => ModelFile.Write(stream, schemaSource, result)));
        }

        var manifest = new ReleaseManifest(
            ManifestTool.Current,
            created,
            runId,
            policy,
            new ManifestDataset(datasetId, new ManifestInputFingerprint(InputFingerprint.Algorithm, keyId, fingerprint)),
            new ManifestSchema(schemaSource.Format, schemaSource.Text),
            new ManifestSynthesizer(plan.Method, plan.Workload, plan.Parameters),
            ManifestPrivacy.For(spend, insecureNoise: result.UsedInsecureNoise),
            [.. result.Selections.Select(s => new ManifestSelection(
                s.Round, Names(domain, s.Selected), s.Candidates, s.Epsilon.ToDouble(), s.Sensitivity, s.Rho.ToDoubleUp()))],
            [.. result.Measurements.Select(m => new ManifestMeasurement(
                m.Round, Names(domain, m.Clique), m.Sigma, m.Rho.ToDoubleUp(), m.Coarsening?.ToString()))],
            new ManifestLedger(charge.Entry.Hash, spentAfter.ToDoubleUp(), capRho),
            new ManifestAudit(ManifestAudit.Pass, attempts),
            new ManifestSampling(synthetic.RowCount, sampling.ChangesDistribution, target.Rebalance, target.Condition),
            [.. disclosures])
        {
            DomainDiscovery = schema.DpDiscovery is { } learnt
                ? ManifestDomainDiscovery.For(learnt, spend.Charged, spend.Delta)
                : null,
        };
        return BundleWriter.Write(target.Output, name, manifest, files, signer).Directory;
    }

    private static BundleFile Text(string name, string text) =>
        BundleFile.FromWriter(name, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    private static ImmutableArray<string> Names(Domain domain, Clique clique) =>
        [.. clique.Attributes.ToArray().Select(a => domain.Names[a])];
}
