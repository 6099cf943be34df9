using System.Globalization;
using DPSynth.Budget;
using DPSynth.Data.Discovery;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Privacy;
using DPSynth.Schema;

namespace DPSynth.Pipeline;

/// <summary>What <c>schema infer --dp</c> is asked to do (its options, parsed; nothing read yet).</summary>
/// <param name="Input">The private CSV.</param>
/// <param name="Output">The schema file to write.</param>
/// <param name="Header">Whether the CSV has a header row.</param>
/// <param name="Delimiter">The CSV's delimiter.</param>
/// <param name="Missing">The missing-value tokens (public), or null for the defaults.</param>
/// <param name="Epsilon">The discovery's epsilon, as written.</param>
/// <param name="Ledger">The ledger to charge.</param>
/// <param name="Dataset">The dataset id in the ledger.</param>
/// <param name="Bins">Bins per numeric column.</param>
/// <param name="Existing">What to do when <paramref name="Output"/> exists: refused before the charge, and again when published.</param>
public sealed record DiscoveryRequest(
    string Input, string Output, bool Header, string Delimiter, IReadOnlyList<string>? Missing, string Epsilon,
    LedgerAccess Ledger, string Dataset, int Bins, ExistingFile Existing = ExistingFile.Replace);

/// <summary>
/// <c>schema infer --dp</c> (docs/schema-reference.md#dp-discovery): checks every public input, charges the ledger
/// (refused before the file is read), then runs the charged discovery and writes a schema that <c>run</c> accepts.
/// </summary>
public static class DiscoveryJob
{
    /// <summary>Runs <paramref name="request"/>; returns how many columns the written schema has.</summary>
    /// <exception cref="DPSynthException">Invalid options or input (exit 1), a refused charge (exit 2).</exception>
    public static int Run(DiscoveryRequest request, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);

        // 1. Everything public first: the budget, the dataset id, the options, the input being a regular file.
        if (!double.TryParse(request.Epsilon, NumberStyles.Float, CultureInfo.InvariantCulture, out var epsilon)
            || !double.IsFinite(epsilon) || epsilon <= 0 || epsilon > PrivacyBounds.MaxEpsilon)
        {
            throw new InputException(Messages.NotANumber("--epsilon", request.Epsilon));
        }

        DatasetIds.Require(request.Dataset);
        if (!request.Header)
        {
            // Without a header the number of columns, which the budget split and the schema use, would come from the
            // first private row: adding or removing that row would change the schema's shape.
            throw new InputException(Messages.DiscoveryNeedsHeader);
        }

        var tokens = request.Missing?.Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList()
            ?? [.. DiscoveryOptions.DefaultMissingTokens];
        var options = new DiscoveryOptions(request.Header, request.Delimiter, tokens, request.Bins);
        options.Check();
        RegularFile.Require(request.Input, "the input CSV");

        // 2. Charge the ledger before the file is read: the cap read here must still be in force when the charge is written.
        var ledger = request.Ledger.Open(log);
        var verification = ledger.Verify();
        if (!verification.IsValid)
        {
            throw new BudgetRefusedException(Messages.LedgerUnverifiable(ledger.Path, verification.Problem!));
        }

        var plan = DiscoveryCharge.Plan(epsilon, DatasetSpend.Of(verification.Entries, request.Dataset));
        var charge = ledger.Charge(
            request.Dataset, Guid.NewGuid().ToString("N"), PrivacySpend.Of(plan.Total, plan.Delta),
            $"{DiscoveryRecord.MechanismPrefix} (thresholded histograms, DP quantiles)", null,
            entries =>
            {
                if (DatasetSpend.Of(entries, request.Dataset).Cap?.Hash != plan.CapHash)
                {
                    throw new BudgetRefusedException(Messages.LedgerCapChangedMeanwhile(request.Dataset));
                }

                if (DiscoveryCharge.Exists(entries, request.Dataset))
                {
                    throw new BudgetRefusedException(Messages.DiscoveryAlreadyCharged(request.Dataset));
                }
            });
        if (charge.IsUncapped)
        {
            log.WriteLine(Messages.LedgerUncapped(request.Dataset));
        }

        log.WriteLine(Messages.DiscoveryCharged(
            request.Dataset, charge.Entry.Rho, plan.Tax.ToDoubleUp(), epsilon, plan.Delta, plan.ThresholdDelta));

        // 3. The only step that reads the private rows: every mechanism is charged to an accountant of exactly plan.Rho.
        var result = DomainDiscovery.Run(request.Input, options, plan.Rho, plan.ThresholdDelta, new ZcdpAccountant(plan.Rho));
        var record = new DiscoveryRecord(
            charge.Entry.Hash, request.Dataset, epsilon, plan.Delta, plan.Rho.ToDoubleUp(), plan.ThresholdDelta, charge.Entry.Rho,
            [.. result.Columns.Select(c => c.Name)]);
        AtomicFile.WriteText(request.Output, DiscoveredSchema.Yaml(result, record), existing: request.Existing);
        return result.Columns.Count;
    }
}
