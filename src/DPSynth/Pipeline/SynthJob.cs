using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.IO;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Resources;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Pipeline;

/// <summary>What <c>dpsynth synth</c> is asked to do (its options, parsed; nothing read yet).</summary>
/// <param name="Input">The private CSV or Parquet file, or null for a table (<paramref name="Table"/>).</param>
/// <param name="Source">Where marginals are counted: auto, memory, duckdb or postgres.</param>
/// <param name="Table">The PostgreSQL table for <c>postgres</c>, or null.</param>
/// <param name="SchemaPath">The public schema (YAML, or a Private-PGM domain JSON).</param>
/// <param name="Epsilon">The budget's epsilon.</param>
/// <param name="Delta">The budget's delta.</param>
/// <param name="Settings">The synthesizer's settings (method, workload, model-size cap, post-processing seed).</param>
/// <param name="Rows">Rows to write, or null for the model's noisy estimate.</param>
/// <param name="Output">The synthetic file (Parquet when it ends in .parquet, CSV otherwise).</param>
/// <param name="Ledger">The ledger to charge, or null to charge none (the operator is told).</param>
/// <param name="DatasetId">The dataset id in the ledger, or null for the input's name.</param>
/// <param name="SaveModel">Where to save the fitted model, or null.</param>
/// <param name="Rebalance">The rebalancing, or null.</param>
/// <param name="Condition">The condition, or null.</param>
/// <param name="MaxMemory">The memory limit as written (e.g. 8GB), or null for the default.</param>
/// <param name="ExistingOutputs">
/// Whether an existing <paramref name="Output"/> or <paramref name="SaveModel"/> file is replaced (<c>--force</c>) or
/// refused, before anything is read or charged.
/// </param>
public sealed record SynthRequest(
    string? Input, string Source, string? Table, string SchemaPath, double Epsilon, double Delta, SynthesizerSettings Settings,
    int? Rows, string Output, LedgerAccess? Ledger, string? DatasetId, string? SaveModel, string? Rebalance, string? Condition,
    string? MaxMemory, ExistingFile ExistingOutputs);

/// <summary>What a <c>synth</c> run wrote.</summary>
/// <param name="Method">The synthesizer.</param>
/// <param name="Rows">Rows written.</param>
/// <param name="Output">The file written.</param>
/// <param name="Rho">The rho charged (the run's <see cref="PrivacySpend.Charged"/>).</param>
/// <param name="Measurements">Noisy marginals measured.</param>
public sealed record SynthSummary(string Method, int Rows, string Output, double Rho, int Measurements);

/// <summary>
/// <c>dpsynth synth</c> (design.md section 8): everything public is checked first (outputs, budget, schema, settings,
/// the input's type and size), the run is charged through <see cref="SynthesisRun"/> before the input is read, then it is
/// read, fitted, sampled and written, and the outcome is recorded. A refused charge leaves the input untouched.
/// </summary>
public static class SynthJob
{
    /// <summary>Runs <paramref name="request"/>.</summary>
    /// <param name="request">The parsed options.</param>
    /// <param name="log">The operator's console (stderr): charges, choices, warnings.</param>
    /// <param name="fit">
    /// Fits the charged run on the chosen source (the command line wraps it in a live status); <see cref="ChargedRun.Fit(IMarginalSource, IProgress{SynthesisProgress}?, ulong?)"/> by default.
    /// </param>
    /// <exception cref="DPSynthException">Invalid settings or input (exit 1), a refused charge (exit 2), a refused preflight.</exception>
    public static SynthSummary Run(
        SynthRequest request, TextWriter log, Func<ChargedRun, IMarginalSource, SynthesisResult>? fit = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        fit ??= (run, data) => run.Fit(data);

        // 0. No output may land on an input or the ledger (synth --out visits.csv --input visits.csv), nor replace an
        //    existing file without --force: refused here, before the charge, as a refusal after it would waste the budget.
        //    A file made by another process after this check is not replaced either (AtomicFile publishes without
        //    replacing), but that refusal comes after the charge: the run is then recorded as failed.
        new OutputGuard()
            .Reads("--input", request.Input).Reads("--schema", request.SchemaPath).Ledger("--ledger", request.Ledger?.Path)
            .WritesFile("--out", request.Output, request.ExistingOutputs)
            .WritesFile("--save-model", request.SaveModel, request.ExistingOutputs)
            .Check();

        // 1. Everything public first: budget, schema, settings. Nothing here reads the private file.
        var rho = SynthesisBudget.FromEpsilonDelta(request.Epsilon, request.Delta);
        if (request.Rows is <= 0)
        {
            throw new InputException(Messages.RowsOutOfRange(request.Rows.Value));
        }

        // The limit is parsed with the other settings, whatever the source: a table without a row bound is not
        // estimated, and a bad --max-memory must not pass unseen there.
        var limit = MemoryLimit.Choose(request.MaxMemory, null);
        var schemaSource = SchemaSource.FromFile(request.SchemaPath);
        var schema = schemaSource.Parse();
        var sampling = SamplingRequest.Parse(schema, request.Rebalance, request.Condition);
        var run = new SynthesisRun(SynthesizerFactory.Create(schema, request.Settings), rho, request.Delta);

        // Before the charge: a FIFO or a device as input would hang or exhaust the run after the budget is spent.
        // SourceSelection.Choose requires --input (CSV or Parquet) to be a regular file (RegularFile.Require).
        var selection = SourceSelection.Choose(
            request.Source, request.Input, request.Table, schema, Environment.GetEnvironmentVariable);

        // The preflight estimate (public facts and a row bound read without reading a row: the CSV's size, the Parquet
        // footer, the PostgreSQL table's size), for the source chosen: refused above the limit, before the charge.
        if (selection.BoundRows(schema.Domain.Count, Environment.GetEnvironmentVariable) is { } bound)
        {
            Preflight.Check(
                run.Synthesizer, bound, selection.Kind, request.Rows, PipelineShape.Synth, limit, log);
        }
        else
        {
            log.WriteLine(Messages.PreflightNoRowBound);
        }

        // 2. The input's columns (a CSV header, a Parquet footer; not records), once the ledger as it stands would admit
        //    the charge, so that a refusal still comes before anything of the input is read. A missing or mistyped column
        //    then costs no budget.
        var datasetId = request.DatasetId ?? selection.DatasetName;
        request.Ledger?.Open(log).RefuseChargeNow(datasetId, run.Spend.Charged);
        selection.CheckColumns(schema);

        // 3. Charge the ledger (every check again, under its lock) before the rows are read.
        var charged = run.Charge(request.Ledger, datasetId, log);
        if (SchemaInference.IsDraft(schemaSource.Text))
        {
            // The bounds and categories were copied from the data: the output's domain then discloses it.
            log.WriteLine(Messages.SynthDraftSchema(request.SchemaPath));
        }

        // 4. Read, fit (the only steps that touch the private rows), sample and decode (post-processing). The run
        //    records its outcome in the ledger: written, or failed when any step throws.
        log.WriteLine(Messages.SourceChosen(selection.Kind, selection.Reason));
        return charged.Execute(
            c =>
            {
                SynthesisResult result;
                using (var data = selection.Open(schema, Environment.GetEnvironmentVariable, log))
                {
                    result = fit(c, data);
                }

                // The model first, then the rows: if the rows cannot be published (a file appeared at --out, a full
                // disk), a model this run created is removed again, so a failed run leaves neither output, never one
                // without the other. A model that replaced an older file (--force) stays: the older one is gone anyway.
                var modelPath = request.SaveModel;
                if (modelPath is not null)
                {
                    ModelFile.Save(modelPath, schemaSource, result, request.ExistingOutputs);
                }

                var random = request.Settings.Seed is { } s ? new Random(s) : new Random();
                long written;
                try
                {
                    // Drawn, decoded and written a chunk at a time: memory is bounded by a chunk, not by the rows.
                    written = SyntheticFile.Write(
                        request.Output, schema, result.SampleChunks(random, request.Rows, sampling), random, request.ExistingOutputs);
                }
                catch when (modelPath is not null && request.ExistingOutputs == ExistingFile.Refuse)
                {
                    File.Delete(modelPath);
                    throw;
                }

                if (modelPath is not null)
                {
                    log.WriteLine(Messages.ModelSaved(modelPath));
                }

                if (sampling.ChangesDistribution)
                {
                    log.WriteLine(Messages.DistributionChanged(sampling.Description));
                }

                return new SynthSummary(
                    c.Run.Plan.Method, (int)written, request.Output, c.Spend.Charged.ToDoubleUp(), result.Measurements.Length);
            },
            _ => new RunEnd(Budget.RunOutcome.Released),
            inputFingerprint: null,
            log);
    }
}
