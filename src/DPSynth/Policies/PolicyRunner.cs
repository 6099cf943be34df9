using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using DPSynth.Audits;
using DPSynth.Budget;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Evaluation;
using DPSynth.Inference;
using DPSynth.IO;
using DPSynth.Pipeline;
using DPSynth.Privacy;
using DPSynth.Release;
using DPSynth.Resources;
using DPSynth.Synthesizers;

namespace DPSynth.Policies;

/// <summary>
/// Runs one policy end to end (design.md section 1): price it, check the ledger, charge, read and split the data, fit,
/// sample, audit, gate, and release a signed bundle, with an internal report beside it. Order matters for privacy:
/// everything public (the policy, the schema, the input's columns, the certificate, the plan) is checked first; the
/// ledger is charged before the private rows are read; nothing computed from the real rows without a charge goes into
/// the bundle.
/// </summary>
public sealed class PolicyRunner
{
    /// <summary>Test hook: milliseconds to sleep right after the ledger charge (to kill a run between charge and release).</summary>
    public const string PauseAfterChargeVariable = "DPSYNTH_TEST_PAUSE_AFTER_CHARGE_MS";

    private readonly RunOptions options;
    private readonly TextWriter log;
    private readonly IProgress<SynthesisProgress>? progress;
    private readonly Dictionary<(string Ledger, string Dataset), Rho> plannedSpend = [];

    // When this runner was made, before any policy's data are read: the one time its bundles publish (ReleaseTime).
    private readonly DateTimeOffset started;

    /// <summary>A runner with the command line's settings, writing operator messages to <paramref name="log"/>.</summary>
    /// <param name="options">The command line's settings.</param>
    /// <param name="log">Where operator messages go (the console: they may name private facts).</param>
    /// <param name="progress">Receives the synthesizer's progress, or null.</param>
    /// <param name="clock">The clock read once, now, for the bundles' time (<see cref="ReleaseTime"/>); the system's by default.</param>
    public PolicyRunner(
        RunOptions options, TextWriter log, IProgress<SynthesisProgress>? progress = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        this.options = options;
        this.log = log;
        this.progress = progress;
        started = (clock ?? TimeProvider.System).GetUtcNow();
    }

    /// <summary>
    /// Loads and runs the policy at <paramref name="path"/>; never throws for a problem of the policy, its files, its data
    /// or its budget, nor for a bug met while running it (<see cref="RunStatus.InternalError"/>), so one bad policy of a
    /// folder never stops the others.
    /// </summary>
    public PolicyRunResult Run(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Guarded(path, attempt => Load(path) switch
        {
            ({ } policy, _) => RunOne(policy, attempt),
            (_, var refused) => refused!,
        });
    }

    /// <summary>
    /// Runs a loaded policy (see the class remarks for the order of steps); never throws but for
    /// <see cref="OutOfMemoryException"/> (see <see cref="Guarded"/>).
    /// </summary>
    public PolicyRunResult Run(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Guarded(policy.Path, attempt => RunOne(policy, attempt));
    }

    /// <summary>
    /// Runs one policy through <paramref name="run"/>, turning a bug into that policy's <see cref="RunStatus.InternalError"/>
    /// so that a folder run goes on. The ledger stays consistent whatever step threw: every ledger write is one whole entry
    /// under the ledger's lock, released on the way out; a bug after the charge is recorded as a failed run by
    /// <see cref="ChargedRun.Execute"/> (and reported by <see cref="RunChecked"/>, which knows the epsilon spent), so the
    /// next run on that input is refused until <c>--force</c>; a bug between the charge and <see cref="ChargedRun.Execute"/>
    /// leaves the charge open, the state of an interrupted run, which the next run refuses
    /// (<see cref="RunStatus.InProgress"/>) until the operator passes <c>--force</c>. Whatever step threw, the summary row
    /// shows what <paramref name="run"/> noted in its <see cref="Attempt"/>: the dataset once the policy is loaded, and the
    /// epsilon charged as soon as the ledger has the charge.
    /// </summary>
    /// <remarks>
    /// <see cref="OutOfMemoryException"/> still stops the batch: it says nothing about one policy (the preflight admitted
    /// this run, so the estimate or the machine is wrong, and the next policy would meet the same memory), handling it may
    /// itself fail to allocate, and state the failing allocation left half-built cannot be trusted for the next run. Like a
    /// killed process, it leaves a charged run's charge open, which the next run refuses until <c>--force</c>.
    /// </remarks>
    private PolicyRunResult Guarded(string path, Func<Attempt, PolicyRunResult> run)
    {
        var attempt = new Attempt();
        try
        {
            return run(attempt);
        }
        catch (Exception ex) when (!InternalError.IsOutOfMemory(ex) && InternalError.IsBug(ex))
        {
            ReportBug(InternalError.Describe(ex), ex);
            if (attempt.EpsilonCharged > 0)
            {
                // Only a bug between the charge and the run gets here charged (the run records its own failures).
                log.WriteLine(Messages.RunChargeLeftOpen(path));
            }

            return Crashed(path, attempt.DatasetId, attempt.EpsilonCharged, ex);
        }
    }

    /// <summary>Loads the policy at <paramref name="path"/>, or says why not (nothing was charged).</summary>
    private (Policy? Policy, PolicyRunResult? Refused) Load(string path)
    {
        LoadResult<Policy> loaded;
        try
        {
            loaded = PolicyReader.Load(path);
        }
        catch (Exception ex) when (ex is DPSynthException or IOException or UnauthorizedAccessException)
        {
            // An unreadable file (a link loop, no permission, a device the reader refuses).
            log.WriteLine(ex.Message);
            return (null, new PolicyRunResult(path, null, StatusOf(ex), 0, "-", null, ex.Message));
        }

        if (!loaded.Succeeded)
        {
            foreach (var diagnostic in loaded.Diagnostics)
            {
                log.WriteLine(diagnostic.ToString());
            }

            return (null, new PolicyRunResult(path, null, RunStatus.Invalid, 0, "-", null, Messages.PolicyInvalid(path, loaded.Diagnostics.Length)));
        }

        return (loaded.GetValueOrThrow(), null);
    }

    private PolicyRunResult RunOne(Policy policy, Attempt attempt)
    {
        attempt.DatasetId = policy.Dataset.Id;
        try
        {
            return RunChecked(policy, attempt);
        }
        catch (RunConflictException ex)
        {
            log.WriteLine(ex.Message);
            return Result(policy, ex.Status, 0, ex.Status == RunStatus.Skipped ? "pass" : "-", ex.Bundle, ex.Message);
        }
        catch (Exception ex) when (ex is DPSynthException or IOException or UnauthorizedAccessException)
        {
            // Before any charge (a charged run records its own failure): the batch goes on with the next policy.
            log.WriteLine(ex.Message);
            return Result(policy, StatusOf(ex), 0, "-", null, ex.Message);
        }
    }

    /// <summary>Tells the operator of the bug <paramref name="ex"/>: <paramref name="line"/>, and the trace only when asked.</summary>
    private void ReportBug(string line, Exception ex)
    {
        log.WriteLine(line);
        if (InternalError.TraceIfAsked(ex, Environment.GetEnvironmentVariable) is { } trace)
        {
            log.WriteLine(trace);
        }
    }

    /// <summary>The summary row of a policy stopped by the bug <paramref name="ex"/>, having spent <paramref name="epsilon"/>.</summary>
    private static PolicyRunResult Crashed(string path, string? datasetId, double epsilon, Exception ex) =>
        new(path, datasetId, RunStatus.InternalError, epsilon, "-", null, InternalError.Describe(ex));

    /// <summary>The status of a run stopped before its charge by <paramref name="ex"/>, by the exit code it maps to.</summary>
    private static RunStatus StatusOf(Exception ex) => ex is ResourceRefusedException
        ? RunStatus.ResourceRefused
        : (ex as DPSynthException)?.ExitCode switch
        {
            ExitCode.BudgetRefused => RunStatus.BudgetRefused,
            ExitCode.AuditGateFailed => RunStatus.GateFailed,
            ExitCode.VerificationFailed => RunStatus.VerificationFailed,
            _ => RunStatus.Invalid,
        };

    private PolicyRunResult RunChecked(Policy policy, Attempt attempt)
    {
        // 1. Everything public: the plan, the sampling request, the signing certificate, the ledger's state.
        var dataset = policy.Dataset;
        var schema = dataset.Schema;
        // An inline schema is re-serialised without its comments, so a draft pasted into the policy shows only in the
        // policy's own text.
        if (SchemaInference.IsDraft(dataset.SchemaSource.Text)
            || (File.Exists(policy.Path) && SchemaInference.IsDraft(IO.RegularFile.ReadAllText(policy.Path, "the policy", System.Text.Encoding.UTF8))))
        {
            // Its bounds and categories were copied from the rows: the manifest would publish them, uncharged.
            throw new InputException(Messages.RunDraftSchema(policy.Path, dataset.SchemaSource.Name));
        }

        var insecure = policy.Privacy.InsecureDeterministicNoise is not null;
        if (insecure && !options.AllowInsecureNoise)
        {
            throw new InputException(Messages.RunInsecureNotAllowed(policy.Path));
        }

        // The run's one spend record is made here, and every later step states it (docs/architecture.md).
        var run = new SynthesisRun(SynthesizerFactory.Create(schema, policy.Synthesizer), policy.Privacy.Rho, policy.Privacy.Delta);
        var charged = run.Spend.Charged;
        var epsilon = run.Spend.Epsilon;
        var sampling = SamplingRequest.Parse(schema, policy.Release.Rebalance, policy.Release.Condition);

        // The preflight estimate, from public facts only (the input's size, never its rows), before the ledger is read:
        // a run that would not fit in memory is refused with nothing charged (and a dry run says so too).
        Preflight.Check(
            run.Synthesizer, dataset.Input, policy.Release.Rows, new PipelineShape(true, policy.Evaluation.Target is not null),
            MemoryLimit.Choose(options.MaxMemory, policy.Synthesizer.MaxMemoryBytes), log);
        var ledgerPath = options.Ledger ?? policy.Privacy.Ledger ?? throw new InputException(Messages.PolicyNoLedger(policy.Path));
        GuardOutputs(policy, ledgerPath);
        var ledger = new BudgetLedger(ledgerPath) { AllowUncapped = options.AllowUncapped };

        // The releases already published from this dataset are copies of the ledger's history that its host cannot
        // rewrite: a ledger that lost any of their charges was rolled back or replaced (and a new one must have none).
        var released = ReleasedCharges.In(policy.Release.Output);
        var verification = ledger.Verify();
        if (!verification.IsValid)
        {
            throw new BudgetRefusedException(Messages.LedgerUnverifiable(ledger.Path, verification.Problem!));
        }

        released.RequireIn(verification, dataset.Id);

        // A schema learnt by DP discovery is published with the bundle: its charge must be in this dataset's budget.
        if (schema.DpDiscovery is { } learnt)
        {
            DiscoveryCharge.RequireIn(learnt, verification.Entries, dataset.Id, policy.Privacy.Delta);
        }

        if (verification.Uninitialized && !options.InitLedger)
        {
            throw new BudgetRefusedException(Messages.LedgerNotInitialized(ledger.Path));
        }

        // Every refusal that the ledger's entries decide comes before anything is written (a new ledger, a test
        // certificate, a recovered outcome). Recovery below adds outcomes only, which spend nothing, so the spend and
        // the cap read here are those of the charge. In a dry run over a folder, earlier policies' planned spends count
        // too, as they would in the real run.
        var before = DatasetSpend.Of(verification.Entries, dataset.Id);
        var plannedKey = (ledger.Path, dataset.Id);
        var alreadyPlanned = options.DryRun ? plannedSpend.GetValueOrDefault(plannedKey, Rho.Zero) : Rho.Zero;
        var capAfter = CapAfter(policy, before);
        if (capAfter is null && !options.AllowUncapped)
        {
            throw new BudgetRefusedException(Messages.LedgerUncappedRefused(dataset.Id));
        }

        if (capAfter is { } cap && before.Spent + alreadyPlanned + charged > cap)
        {
            // In a dry run, what earlier policies of the batch would spend is not spent yet, and those the ledger records
            // as released are skipped by the real run when their input is unchanged: say which part is which.
            throw new BudgetRefusedException(alreadyPlanned > Rho.Zero
                ? Messages.RunPlannedCapExceeded(
                    dataset.Id, charged.ToDoubleUp(), before.Spent.ToDoubleUp(), alreadyPlanned.ToDoubleUp(), Rounding.ToDoubleDown(cap.Value))
                : Messages.LedgerCapExceeded(dataset.Id, charged.ToDoubleUp(), before.Spent.ToDoubleUp(), Rounding.ToDoubleDown(cap.Value)));
        }

        // The input's columns (its CSV header or Parquet footer; not a record), once the ledger's snapshot admits the
        // run: a missing or mistyped column, a wrong delimiter or an unreadable file is refused here, in a dry run too,
        // before anything is written or charged.
        InputFile.CheckColumns(dataset.Input, schema);

        if (verification.Uninitialized && !options.DryRun)
        {
            verification = ledger.Initialize().Verification;
            log.WriteLine(Messages.LedgerCreated(ledger.Path, ledger.AnchorPath));
        }

        var signer = insecure ? null : SigningFor(policy, ledger.Path, create: !options.DryRun);

        var history = RunHistory.Of(verification.Entries);
        foreach (var orphan in history.Orphans(dataset.Id))
        {
            log.WriteLine(Messages.RunOrphanedCharge(dataset.Id, orphan.RunId!, orphan.Rho, orphan.Time));
        }

        if (!options.DryRun && signer is not null && RecoverReleases(policy, ledger, history, signer) > 0)
        {
            verification = ledger.Verify();
            history = RunHistory.Of(verification.Entries);
        }

        if (options.DryRun)
        {
            // No data read: the input fingerprint (and so the re-run check) needs the file's bytes. What the ledger alone
            // decides is said as the real run would: an open charge of this policy is refused (or skipped, when released
            // on this input) whatever the input, so nothing would be spent, unless a bundle of it may be recovered.
            if (!options.Force && history.Open(dataset.Id, policy.Sha256) is [var open, ..] && !MayRecover(policy, open))
            {
                var refusal = Messages.RunPlannedOpen(policy.Path, open.RunId!, open.Time);
                log.WriteLine(refusal);
                return Result(policy, RunStatus.InProgress, 0, "-", null, refusal);
            }

            if (!options.Force && history.FailedLastOnSomeInput(dataset.Id, policy.Sha256) is { } failed)
            {
                log.WriteLine(Messages.RunPlannedButFailedBefore(policy.Path, failed.Time));
            }

            plannedSpend[plannedKey] = alreadyPlanned + charged;
            log.WriteLine(Messages.RunPlanned(policy.Path, dataset.Id, run.Plan.Method, charged.ToDoubleUp(), epsilon, run.Spend.Delta,
                (before.Spent + alreadyPlanned).ToDoubleUp(), capAfter is { } c ? Rounding.ToDoubleDown(c.Value) : null));
            if (history.ReleasedOnAnyInput(dataset.Id, policy.Sha256) is { } earlier)
            {
                log.WriteLine(Messages.RunPlannedButReleasedBefore(policy.Path, earlier.Bundle ?? "?", earlier.Time));
            }

            return Result(policy, RunStatus.Planned, epsilon, "-", null, "would spend this budget");
        }

        // 2. The keyed fingerprint of the input (reads its bytes; publishes only an HMAC under the operator's key) and the
        //    idempotent re-run check, first on the snapshot (to skip quietly), then again under the ledger's lock.
        var key = FingerprintKey.LoadOrCreate(ledger.Path);
        var fingerprint = InputFingerprint.Compute(key, dataset.Input);
        if (!options.Force)
        {
            RefuseRepeat(policy, history, fingerprint);
        }

        // 3. Cap and charge, before any private row is read.
        if (policy.Privacy.Cap is { } policyCap && (before.Cap is null || LedgerCap.Stored(policyCap) < Rho.FromDouble(before.Cap.Rho)))
        {
            ledger.SetCap(dataset.Id, policyCap);
            log.WriteLine(Messages.RunCapRecorded(dataset.Id, policyCap.Epsilon, policyCap.Delta));
        }

        var chargedRun = run.Charge(
            ledger, dataset.Id, $"{run.Mechanism}, policy {Path.GetFileName(policy.Path)}", policy.Sha256,
            options.Force ? null : entries => RefuseRepeat(policy, RunHistory.Of(entries), fingerprint));
        attempt.EpsilonCharged = epsilon; // first, so that a bug in any later step reports what the ledger holds
        log.WriteLine(Messages.SynthCharged(dataset.Id, charged.ToDoubleUp(), epsilon, run.Spend.Delta));
        PauseForTests(log);

        var context = new RunContext(policy, sampling, key, fingerprint, history, signer);
        Outcome? done = null;
        try
        {
            // The run records its own outcome: failed when this throws; released (with its bundle), gate failed or
            // insecure otherwise.
            return chargedRun.Execute(
                c => done = Execute(c, context),
                o => new RunEnd(o.LedgerOutcome, o.LedgerOutcome == RunOutcome.Released ? o.Result.Output : null),
                fingerprint,
                log).Result;
        }
        catch (LedgerAnchorNotMovedException ex) when (done is { } ended)
        {
            // The run ended and its outcome is in the ledger; only the anchored head lags. Not "failed, nothing released":
            // what happened stands (a released bundle is released), and the run fails so that the operator sees it.
            log.WriteLine(ex.Message);
            return ended.Result with { Status = RunStatus.OutcomeNotAnchored, Message = ex.Message };
        }
        catch (Exception ex) when (!InternalError.IsOutOfMemory(ex))
        {
            // Nothing was published. The budget is spent either way, and Execute recorded the failure, so the next run
            // on this input is refused until --force (RefuseRepeat). A bug is told as such, with the epsilon it spent.
            if (InternalError.IsBug(ex))
            {
                ReportBug(Messages.RunFailedAfterCharge(policy.Path, InternalError.Describe(ex)), ex);
                return Crashed(policy.Path, dataset.Id, epsilon, ex);
            }

            log.WriteLine(Messages.RunFailedAfterCharge(policy.Path, ex.Message));
            return Result(policy, RunStatus.Failed, epsilon, "-", null, ex.Message);
        }
    }

    /// <summary>
    /// Refuses a run whose policy was already released on this input, is running (or was interrupted) now, or whose last
    /// run on this input failed after its charge.
    /// </summary>
    private static void RefuseRepeat(Policy policy, RunHistory history, string fingerprint)
    {
        if (history.Released(policy.Dataset.Id, policy.Sha256, fingerprint) is { } released && SameSchema(released.Bundle, policy))
        {
            throw new RunConflictException(
                RunStatus.Skipped, released.Bundle, Messages.RunAlreadyReleased(policy.Path, released.Bundle ?? "?", released.Time));
        }

        if (history.Open(policy.Dataset.Id, policy.Sha256) is [var open, ..])
        {
            throw new RunConflictException(RunStatus.InProgress, null, Messages.RunInProgress(policy.Path, open.RunId!, open.Time));
        }

        // A failure after the charge on the same input (a bug, a full disk, an audit that cannot run) most likely recurs,
        // and each attempt spends the budget again: the operator decides, with --force.
        if (history.LastOutcome(policy.Dataset.Id, policy.Sha256, fingerprint) is { Outcome: RunOutcome.Failed } failed)
        {
            throw new RunConflictException(RunStatus.BudgetRefused, null, Messages.RunFailedBefore(policy.Path, failed.Time));
        }
    }

    // The re-run key is the policy file and the input; a referenced schema file can change on its own, so a release
    // counts only if its manifest (when still readable) carries the same schema text.
    private static bool SameSchema(string? bundle, Policy policy)
    {
        var path = bundle is null ? null : Path.Combine(bundle, BundleLayout.ManifestFileName);
        if (path is null || !File.Exists(path))
        {
            return true; // no double spending when in doubt
        }

        var manifest = ManifestJson.Read(File.ReadAllBytes(path), path);
        return !manifest.Succeeded || manifest.GetValueOrThrow().Schema.Text == policy.Dataset.SchemaSource.Text;
    }

    private Outcome Execute(ChargedRun run, RunContext context)
    {
        var (policy, sampling, key, fingerprint, history, signer) = context;
        var plan = run.Run.Plan;
        var spend = run.Spend;
        var epsilon = spend.Epsilon;
        var runId = run.RunId;
        var (ledger, charge, _, _) = run.Record!;
        var dataset = policy.Dataset;
        var schema = dataset.Schema;
        var created = ReleaseTime.For(started, signer);
        var name = BundleName(dataset.Id, created, runId);

        // 4. Read and split (per-row CSPRNG coins), fit on train only, sample (post-processing). The operator sees what the
        //    encoder skipped, dropped or changed; those counts depend on the rows and stay on the console.
        var encoded = InputFile.Encode(dataset.Input, schema);
        if (InputFingerprint.Compute(key, dataset.Input) != fingerprint)
        {
            // The file changed between the fingerprint and the parse: the manifest would not describe these rows.
            throw new InputException(Messages.RunInputChanged(dataset.Input));
        }

        log.WriteLine(encoded.ConsoleSummary(dataset.Input));
        var split = TrainHoldoutSplit.Split(encoded.Table, policy.Audits.TrainShare);
        var result = run.Fit(split.Train, progress, policy.Privacy.InsecureDeterministicNoise);

        // The post-processing stream (seedable) is used for sampling and decoding only. The audits draw from their own
        // unseeded stream: how many draws they make depends on the private holdout size, and a shared seeded stream
        // would carry that into the decoded CSV.
        var random = policy.Synthesizer.Seed is { } s ? new Random(s) : new Random();
        var synthetic = result.Sample(random, policy.Release.Rows, sampling);

        if (run.UsedInsecureNoise)
        {
            var folder = Path.Combine(Path.GetDirectoryName(ledger.Path)!, "insecure-test-output", name + ".INSECURE-NOT-PRIVATE");
            // Owner only (0700 on Unix): like an internal report, it is not for publishing.
            IO.PrivateFolder.Create(folder);
            CsvDecoder.WriteFile(Path.Combine(folder, "synthetic.csv"), schema, synthetic, random);
            IO.AtomicFile.WriteText(Path.Combine(folder, "NOT-PRIVATE.txt"), Messages.InsecureOutputNotice);
            log.WriteLine(Messages.RunInsecure(folder));
            return new Outcome(
                RunOutcome.Insecure,
                Result(policy, RunStatus.Insecure, epsilon, "-", folder, "insecure test noise: NOT PRIVATE, not signed, not released"));
        }

        if (signer is null)
        {
            throw new InvalidOperationException("a secure run needs a signing certificate"); // unreachable: loaded in step 1
        }

        // 5. Audit and gate (internal figures), evaluation (internal figures).
        var audit = PrivacyAudit.Run(split.Train, split.Holdout, synthetic, DistanceSpec.FromSchema(schema), new Random());
        var gate = new ReleaseGate(policy.Audits.Thresholds).Decide(audit);
        var evaluation = Evaluator.Evaluate(
            schema, encoded.Table, split.Train, split.Holdout, synthetic, policy.Evaluation.Target, policy.Evaluation.Groups);
        var attempts = history.GateAttempts(dataset.Id, fingerprint) + 1;
        var internalFolder = Path.Combine(policy.Release.Output, name + ".internal");
        var header = ReportHeader.For(dataset.Id, policy.Path, runId, created, plan);
        var budget = ReportBudget.For(spend, charge.Spend);
        var internalHtml = InternalReport.Render(new InternalReportContent(
            header, budget, encoded.Table.RowCount, split.Train.RowCount, split.Holdout.RowCount,
            checked((int)(encoded.RowsSkipped + encoded.RowsDropped)), audit, policy.Audits.Thresholds, gate, evaluation));
        InternalReportFolder.Write(internalFolder, internalHtml, evaluation);
        log.WriteLine(Messages.RunInternalReport(internalFolder));

        if (!gate.Passed)
        {
            log.WriteLine(Messages.RunGateFailed(policy.Path, string.Join("; ", gate.Reasons), attempts));
            return new Outcome(
                RunOutcome.GateFailed,
                Result(policy, RunStatus.GateFailed, epsilon, "fail", internalFolder, "the release gate refused the synthetic data"));
        }

        // 6. The bundle: only DP outputs, public facts and the stated disclosures.
        var target = new ReleaseTarget(
            policy.Release.Output, policy.Release.PublishInternalFigures, policy.Release.Formats.Contains("model"),
            policy.Release.Rebalance, policy.Release.Condition);
        var release = new ReleaseContents(
            new ManifestPolicy(Path.GetFileName(policy.Path), policy.Sha256), dataset.Id, dataset.SchemaSource, schema, target,
            plan, spend, sampling, result, synthetic, charge, runId, key.KeyId, fingerprint, created, attempts, header, budget,
            internalHtml);
        var bundle = ReleaseAssembler.Write(release, name, random, signer);
        log.WriteLine(Messages.RunReleased(bundle));
        return new Outcome(RunOutcome.Released, Result(policy, RunStatus.Released, epsilon, "pass", bundle, "released"));
    }

    /// <summary>
    /// A run killed after renaming its bundle into place but before recording its outcome left a complete, signed
    /// bundle behind an orphaned charge. Find such bundles (same run id, manifest verifies, same policy) and record them
    /// as released, so the re-run check sees them and the policy is not charged again.
    /// </summary>
    private int RecoverReleases(Policy policy, BudgetLedger ledger, RunHistory history, X509Certificate2 signer)
    {
        var recovered = 0;
        if (!Directory.Exists(policy.Release.Output))
        {
            return 0;
        }

        foreach (var orphan in history.Orphans(policy.Dataset.Id).Where(o => o.PolicySha256 == policy.Sha256))
        {
            var runId = orphan.RunId!;
            foreach (var folder in Directory.EnumerateDirectories(policy.Release.Output, $"*-{runId[..8]}"))
            {
                // Signed by this deployment's certificate, for this run and policy, under this ledger's fingerprint key.
                var check = BundleVerifier.Verify(folder, expectedSigner: signer);
                var keyFile = FingerprintKey.PathFor(ledger.Path);
                if (check.IsVerified && check.Manifest is { } manifest && manifest.RunId == runId && manifest.Policy.Sha256 == policy.Sha256
                    && File.Exists(keyFile) && FingerprintKey.LoadOrCreate(ledger.Path).KeyId == manifest.Dataset.InputFingerprint.KeyId)
                {
                    ledger.RecordOutcome(
                        policy.Dataset.Id, runId, policy.Sha256, RunOutcome.Released, manifest.Dataset.InputFingerprint.Value, folder);
                    log.WriteLine(Messages.RunRecoveredRelease(runId, folder));
                    recovered++;
                    break;
                }
            }
        }

        return recovered;
    }

    /// <summary>
    /// Whether the release folder holds a folder named as a bundle of <paramref name="open"/>'s run, which the real run
    /// checks (<see cref="RecoverReleases"/>) and, if it verifies, records as released: a dry run, which verifies
    /// nothing, cannot tell the outcome.
    /// </summary>
    private static bool MayRecover(Policy policy, LedgerEntry open) =>
        Directory.Exists(policy.Release.Output)
        && Directory.EnumerateDirectories(policy.Release.Output, $"*-{open.RunId![..8]}").Any();

    private X509Certificate2? SigningFor(Policy policy, string ledgerPath, bool create)
    {
        if (policy.Release.Signing is { } signing)
        {
            var password = signing.PasswordEnvironmentVariable is { } variable
                ? Environment.GetEnvironmentVariable(variable) ?? throw new InputException(Messages.RunPasswordVariableUnset(variable))
                : null;
            return SigningCertificate.Load(signing.Certificate, signing.Key, password);
        }

        // No certificate configured: a self-signed test certificate beside the ledger, made once and reused, so every
        // bundle of this deployment verifies against the same public certificate.
        var folder = Path.Combine(Path.GetDirectoryName(ledgerPath)!, "test-signing");
        if (!create)
        {
            return null; // a dry run writes nothing, not even a test certificate
        }

        log.WriteLine(Messages.RunTestCertificate(folder));
        return TestCertificate.LoadOrCreate(folder);
    }

    /// <summary>
    /// Refuses, before the charge, a ledger or release folder that is one of the policy's own files (the input, the
    /// schema, the policy, the signing certificate or key), and a release folder that is the ledger or one of its files.
    /// </summary>
    private static void GuardOutputs(Policy policy, string ledgerPath)
    {
        var ledgerName = ledgerPath == policy.Privacy.Ledger ? "privacy.ledger" : "--ledger";
        new OutputGuard()
            .Reads("the policy", policy.Path)
            .Reads("dataset.input", policy.Dataset.Input)
            .Reads("dataset.schema", policy.Dataset.SchemaSource.Name)
            .Reads("release.signing.certificate", policy.Release.Signing?.Certificate)
            .Reads("release.signing.key", policy.Release.Signing?.Key)
            .Ledger(ledgerName, ledgerPath)
            .Writes("release.output", policy.Release.Output)
            .Check();
    }

    /// <summary>The cap in force after this run's cap step: the policy may record or lower a cap, never raise it.</summary>
    private static Rho? CapAfter(Policy policy, DatasetSpend before)
    {
        var ledgerCap = before.Cap is { } c ? Rho.FromDouble(c.Rho) : (Rho?)null;
        if (policy.Privacy.Cap is not { } stated)
        {
            return ledgerCap;
        }

        var policyCap = LedgerCap.Stored(stated);
        if (ledgerCap is { } current && policyCap > current)
        {
            throw new BudgetRefusedException(Messages.RunPolicyRaisesCap(policy.Dataset.Id, stated.Epsilon, before.Cap!.Epsilon));
        }

        return ledgerCap is { } existing && existing < policyCap ? existing : policyCap;
    }

    private static string BundleName(string datasetId, DateTimeOffset created, string runId)
    {
        var safe = new string([.. datasetId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return string.Create(CultureInfo.InvariantCulture, $"{safe}-{created:yyyyMMdd'T'HHmmss'Z'}-{runId[..8]}");
    }

    private static void PauseForTests(TextWriter log)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(PauseAfterChargeVariable), CultureInfo.InvariantCulture, out var ms) && ms > 0)
        {
            log.WriteLine($"TEST FAULT INJECTION: {PauseAfterChargeVariable} is set; pausing {ms} ms after the charge");
            log.WriteLine("paused after the charge");
            log.Flush();
            Thread.Sleep(ms);
        }
    }

    private sealed record Outcome(string LedgerOutcome, PolicyRunResult Result);

    /// <summary>
    /// What one policy's run has done so far, noted as it goes, for <see cref="Guarded"/> to report when a bug stops it
    /// at a step that does not report its own failure (between the charge and <see cref="ChargedRun.Execute"/>, say).
    /// </summary>
    private sealed class Attempt
    {
        /// <summary>The policy's dataset, once the policy is loaded.</summary>
        public string? DatasetId { get; set; }

        /// <summary>The epsilon the ledger charged for this run (0 until it has).</summary>
        public double EpsilonCharged { get; set; }
    }

    /// <summary>What a charged policy run carries from its checks into <see cref="Execute"/>.</summary>
    private sealed record RunContext(
        Policy Policy, SamplingRequest Sampling, FingerprintKey Key, string Fingerprint, RunHistory History, X509Certificate2? Signer);

    private static PolicyRunResult Result(Policy policy, RunStatus status, double epsilon, string audit, string? output, string message) =>
        new(policy.Path, policy.Dataset.Id, status, epsilon, audit, output, message);
}
