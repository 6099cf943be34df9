using DPSynth.Audits;
using DPSynth.Budget;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Pipeline;

/// <summary>What <c>audit-canaries</c> is asked to do (its options, parsed; nothing read yet).</summary>
/// <param name="Input">The private CSV the canaries are added to.</param>
/// <param name="SchemaPath">The public schema.</param>
/// <param name="Epsilon">The claimed epsilon of the run.</param>
/// <param name="Delta">The claimed delta of the run.</param>
/// <param name="Settings">The synthesizer's settings, as <c>synth</c> takes them.</param>
/// <param name="Canaries">The number m of canaries.</param>
/// <param name="Guesses">k+ = k-: canaries guessed in, and out.</param>
/// <param name="Ledger">The ledger to charge, or null (the run is then uncharged, and said so).</param>
/// <param name="DatasetId">The dataset id in the ledger (required with a ledger).</param>
public sealed record CanaryAuditRequest(
    string Input, string SchemaPath, double Epsilon, double Delta, SynthesizerSettings Settings, int Canaries, int Guesses,
    LedgerAccess? Ledger, string? DatasetId);

/// <summary>
/// <c>audit-canaries</c>: the one-run canary audit (Steinke, Nasr, Jagielski 2023) of exactly the synthesizer that
/// <c>synth</c> and <c>run</c> build for these settings. It is a full synthesizer run on the input, so it goes through
/// <see cref="SynthesisRun"/> like them: priced, charged (the plan's spend) before the input is read, fitted once, and
/// its outcome recorded.
/// </summary>
public static class CanaryAuditJob
{
    /// <summary>Runs <paramref name="request"/>; returns the method audited and the audit's result.</summary>
    /// <exception cref="DPSynthException">Invalid options or input (exit 1), a refused charge (exit 2).</exception>
    public static (string Method, CanaryAuditResult Result) Run(CanaryAuditRequest request, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        if ((request.Ledger is null) != (request.DatasetId is null))
        {
            throw new InputException(Messages.CanaryAuditLedgerNeedsDataset);
        }

        // The ledger is written: it must not be the input or the schema.
        new OutputGuard()
            .Reads("--input", request.Input).Reads("--schema", request.SchemaPath).Ledger("--ledger", request.Ledger?.Path)
            .Check();
        var rho = SynthesisBudget.FromEpsilonDelta(request.Epsilon, request.Delta);
        var schema = TableSchema.Load(request.SchemaPath);
        var run = new SynthesisRun(SynthesizerFactory.Create(schema, request.Settings), rho, request.Delta);
        var options = new CanaryAuditOptions(request.Canaries, request.Guesses, request.Guesses, request.Delta);
        if (options.Canaries < 1 || options.GuessesIn < 0 || 2 * options.GuessesIn > options.Canaries)
        {
            throw new InputException(Messages.CanaryAuditBadCounts);
        }

        // Priced above; charged now, and only then is the data read: a refused charge (exit 2) leaves the private file
        // untouched, as in `synth`. The charge is the plan's spend, the same record `synth` and `run` charge.
        RegularFile.Require(request.Input, Messages.WhatCsv);
        var charged = request.Ledger is null
            ? run.Unrecorded()
            : run.Charge(request.Ledger, request.DatasetId!, log, $"audit-canaries {run.Plan.Method}");
        var result = charged.Execute(
            c => CanaryAudit.Run(
                EncodeNonEmpty(request.Input, schema),
                data => c.Fit(data).Sample(new Random()),
                DistanceSpec.FromSchema(schema),
                options,
                new Random()),
            _ => new RunEnd(RunOutcome.Released),
            inputFingerprint: null,
            log);
        return (run.Plan.Method, result);
    }

    /// <summary>The CSV at <paramref name="path"/> encoded under <paramref name="schema"/>; an audit of no rows is refused.</summary>
    /// <exception cref="InputException">The file has no rows.</exception>
    public static EncodedTable EncodeNonEmpty(string path, TableSchema schema)
    {
        var table = CsvEncoder.EncodeFile(path, schema).Table;
        if (table.RowCount == 0)
        {
            throw new InputException(Messages.AuditEmptyTable(path));
        }

        return table;
    }
}
